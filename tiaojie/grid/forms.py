"""The report as the phone sends it (multipart: fields and an optional photo), checked for form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaojie.core.enums import RiskLevel
from tiaojie.core.idnumber import is_valid_mobile

from .services import WHAT, ReportData

MAX_DESCRIPTION = 2000


class ReportForm(forms.Form):
    key = forms.CharField(
        max_length=64,
        validators=[RegexValidator(r"^[A-Za-z0-9-]{8,64}$", _("The report key is not valid."))],
    )
    grid = forms.IntegerField(label=_("Grid"), min_value=1)
    what = forms.ChoiceField(
        label=pgettext_lazy("grid report", "What is it about?"),
        choices=[(k, w.label) for k, w in WHAT.items()],
    )
    description = forms.CharField(label=_("What happened"), max_length=MAX_DESCRIPTION, strip=True)
    people_count = forms.IntegerField(
        label=_("Number of people"), min_value=1, max_value=100000, initial=1
    )
    risk_level = forms.ChoiceField(
        label=_("Risk colour"), choices=RiskLevel.choices, initial=RiskLevel.BLUE
    )
    resident_name = forms.CharField(label=_("Resident's name"), max_length=50, required=False)
    resident_phone = forms.CharField(label=_("Resident's mobile"), max_length=20, required=False)
    # The page rounds to six decimals (about 10 cm), more than any phone knows.
    latitude = forms.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False
    )
    longitude = forms.DecimalField(
        max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False
    )
    accuracy = forms.IntegerField(min_value=0, max_value=1_000_000, required=False)
    written_at = forms.DateTimeField(required=False)
    photo = forms.FileField(label=_("Photo"), required=False, allow_empty_file=True)

    def clean_resident_phone(self) -> str:
        phone = self.cleaned_data["resident_phone"].strip()
        if phone and not is_valid_mobile(phone):
            raise forms.ValidationError(_("Enter an 11-digit mobile number."))
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("resident_phone") and not (data.get("resident_name") or "").strip():
            self.add_error("resident_name", _("Give the resident's name with their number."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("A location needs both latitude and longitude."))
        return data

    def report(self) -> ReportData:
        d = self.cleaned_data
        return ReportData(
            key=d["key"],
            grid_id=d["grid"],
            what=d["what"],
            description=d["description"],
            people_count=d["people_count"],
            risk_level=d["risk_level"],
            resident_name=d["resident_name"].strip(),
            resident_phone=d["resident_phone"],
            latitude=d.get("latitude"),
            longitude=d.get("longitude"),
            accuracy_m=d.get("accuracy"),
            written_at=d.get("written_at"),
        )
