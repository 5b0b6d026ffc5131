"""The portal's forms: what a citizen types, checked and turned into the service's input."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaojie.cases.models import Satisfaction
from tiaojie.core.idnumber import id_number_problem, is_valid_mobile, normalize_id_number
from tiaojie.regions.locate import locate
from tiaojie.regions.models import Region

from .selectors import Town
from .services import MAX_COMMENT, Submission
from .topics import grouped_choices

ID_PROBLEMS = {
    "format": _("An ID number has 18 characters: 17 digits and a last digit or X."),
    "birth_date": _("The date of birth in this ID number does not exist. Please check it."),
    "check_digit": _(
        "This ID number is not valid (its last character does not match). Please check it."
    ),
}
_SEPARATORS = re.compile(r"[\s\-()]")


class _Styled:
    """Bootstrap's classes on every widget (the templates render fields one by one)."""

    fields: dict[str, forms.Field]

    def _style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            else:
                widget.attrs.setdefault("class", "form-control")


class SubmitForm(_Styled, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=50)
    phone = forms.CharField(
        label=_("Mobile phone number"),
        max_length=20,
        help_text=_("We call this number about your matter."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    id_number = forms.CharField(
        label=_("ID card number (optional)"),
        max_length=30,
        required=False,
        help_text=_("Helps us connect this with matters you raised before."),
    )
    topic = forms.ChoiceField(label=_("What is it about?"), choices=grouped_choices)
    description = forms.CharField(
        label=_("What happened?"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Who is involved, what happened and what you would like to happen."),
    )
    occurred_on = forms.DateField(
        label=_("When did it happen? (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    town = forms.ChoiceField(label=_("Town or subdistrict"), required=False)
    village = forms.ChoiceField(label=_("Village or community"), required=False)
    address = forms.CharField(
        label=_("Address (optional)"),
        max_length=200,
        required=False,
        help_text=_("If you did not choose above, write the town and village, e.g. 下邽镇东庆村."),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the notice above and agree that my personal information is used "
            "to handle this matter."
        ),
        error_messages={
            "required": _("Without your agreement we cannot receive the matter online.")
        },
    )
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # Left empty by people (it is hidden from them); robots fill it in.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args: Any, area: Region | None, towns: list[Town], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area = area
        self._style()
        town_field = self.fields["town"]
        village_field = self.fields["village"]
        assert isinstance(town_field, forms.ChoiceField)
        assert isinstance(village_field, forms.ChoiceField)
        town_field.choices = [("", _("— choose —")), *((t.code, t.name) for t in towns)]
        village_field.choices = [
            ("", _("— choose (optional) —")),
            *((t.name, t.villages) for t in towns if t.villages),
        ]

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        phone = _SEPARATORS.sub("", self.cleaned_data["phone"])
        phone = phone.removeprefix("+86").removeprefix("0086")
        if not is_valid_mobile(phone):
            raise forms.ValidationError(
                _("Please give an 11-digit mainland mobile number, such as 138 0000 0000.")
            )
        return phone

    def clean_id_number(self) -> str:
        value = normalize_id_number(_SEPARATORS.sub("", self.cleaned_data["id_number"]))
        if value and (problem := id_number_problem(value)):
            raise forms.ValidationError(ID_PROBLEMS[problem])
        return value

    def clean_occurred_on(self) -> dt.date | None:
        day = self.cleaned_data["occurred_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(_("The form could not be sent. Please try again."))
        data["region"] = self._place(data)
        return data

    def _place(self, data: dict[str, Any]) -> Region | None:
        """The town and village chosen, else the place the address names (regions/locate.py)."""
        if self.area is None:
            raise forms.ValidationError(_("Online submission is not set up yet."))
        under = Region.objects.subtree(self.area)
        town = under.filter(code=data.get("town") or "-").first()
        village = under.filter(code=data.get("village") or "-").first()
        if village is not None:
            if town is not None and not village.path.startswith(town.path):
                self.add_error("village", _("This village is not in the town you chose."))
                return None
            return village
        address = data.get("address", "")
        if town is not None:
            return (locate(address, town) if address else None) or town
        # An address that names only the county is the district center's to place.
        found = locate(address, self.area) if address else None
        if found is None:
            self.add_error(
                "town", _("Please choose the town, or write an address with the town's name.")
            )
            return None
        return found

    def submission(self) -> Submission:
        data = self.cleaned_data
        day = data.get("occurred_on")
        return Submission(
            name=data["name"],
            phone=data["phone"],
            id_number=data["id_number"],
            topic=data["topic"],
            description=data["description"],
            region=data["region"],
            address=data["address"],
            form_token=data["form_token"],
            occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12))) if day else None,
        )


class LookupForm(_Styled, forms.Form):
    case_code = forms.CharField(
        label=_("Case code"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    query_code = forms.CharField(
        label=_("Query code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def clean_case_code(self) -> str:
        return _SEPARATORS.sub("", self.cleaned_data["case_code"])


class RateForm(LookupForm):
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with the handling?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us? (optional)"),
        max_length=MAX_COMMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
