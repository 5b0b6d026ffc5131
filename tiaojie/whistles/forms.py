"""Input parsing for whistle pages. The services decide; these only read what was sent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import Unit
from tiaojie.cases.models import Case
from tiaojie.regions.models import Region

from . import services
from .models import CallStatus
from .selectors import CallFilters, Period


def _text(label: Any, *, required: bool, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}),
        error_messages={"required": _("Please fill this in.")},
    )


class RaiseForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Departments to summon"),
        queryset=Unit.objects.none(),
        required=False,  # the service says "name at least one", in the same words everywhere
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    reason = _text(_("What is asked of them"), required=False)
    deadline_hours = forms.IntegerField(
        label=_("Check in within (hours)"),
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 1}),
        error_messages={"required": _("Please give the check-in deadline in hours.")},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = services.departments_for(case)  # type: ignore[attr-defined]
        self.fields["deadline_hours"].initial = services.default_hours(case)
        self.fields["deadline_hours"].widget.attrs["max"] = services.max_hours()


class CheckInForm(forms.Form):
    what_done = _text(_("What your department did"), required=False)


class CloseForm(forms.Form):
    note = _text(_("How the matter was handled (optional)"), required=False, rows=2)


STATUS_CHOICES = [
    ("failed", _("Late or absent")),
    ("", _("All check-ins")),
    *CallStatus.choices,
]


class CallFilterForm(forms.Form):
    town = forms.ModelChoiceField(
        label=_("Town"), queryset=Region.objects.none(), required=False, to_field_name="code"
    )
    unit = forms.ModelChoiceField(
        label=_("Department"), queryset=Unit.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Check-in"), choices=STATUS_CHOICES, required=False)
    raised_from = forms.DateField(
        label=_("Raised from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    raised_to = forms.DateField(
        label=_("Raised to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, towns: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns  # type: ignore[attr-defined]
        self.fields["town"].empty_label = _("All towns")  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["unit"].empty_label = _("All departments")  # type: ignore[attr-defined]
        for field in self.fields.values():
            small = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{small} {small}-sm"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("raised_from"), cleaned.get("raised_to")
        if start and end and start > end:
            self.add_error("raised_to", _("The end of the period is before its start."))
        return cleaned

    def filters(self) -> CallFilters:
        data: dict[str, Any] = self.cleaned_data if self.is_bound else {"status": "failed"}
        return CallFilters(
            town=data.get("town"),
            unit=data.get("unit"),
            period=Period(data.get("raised_from"), data.get("raised_to")),
            status=data.get("status", "failed"),
        )
