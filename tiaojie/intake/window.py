"""Window registration (窗口登记): the form a clerk fills for walk-ins, visits, calls and letters.

Parsing and validation only; ``cases.services.register_case`` writes. The place is chosen
from the region tree of the clerk's area (typed with autocompletion) or, when left empty,
read from the address (``regions.locate``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import REGISTER_ROLES
from tiaojie.cases.models import Case, Gender, PartyRole
from tiaojie.cases.scoping import works_cases
from tiaojie.cases.selectors import cases_for_user
from tiaojie.cases.services import PartyInput
from tiaojie.core.enums import CaseKind, Category, Channel, RiskLevel
from tiaojie.core.idnumber import id_number_problem, is_valid_mobile, normalize_id_number
from tiaojie.regions.locate import locate_id
from tiaojie.regions.models import Region, RegionLevel

# Channels a person at the window takes down; machines and the portal have their own.
WINDOW_CHANNELS = (Channel.WINDOW, Channel.VISIT, Channel.PHONE, Channel.LETTER)
# A landline with its area code: 0913-1234567, 091312345678.
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")

ID_PROBLEMS = {
    "format": _("An ID number has 18 characters: 17 digits, then a digit or X."),
    "birth_date": _("The birth date in this ID number does not exist."),
    "check_digit": _("The last character of this ID number does not match (check digit)."),
}


def may_register(user: User) -> bool:
    return works_cases(user) and bool(user.role_codes & REGISTER_ROLES)


def _input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", "autocomplete": "off", **attrs})


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "form-select"})


# --- the place ----------------------------------------------------------------------------------
def place_labels(root: Region) -> dict[str, int]:
    """Each region under ``root`` by the name the clerk types: 下邽镇东庆村第一网格 → id.

    Names below the county, joined: one pass over the subtree (ordered by path, so a
    parent comes before its children).
    """
    labels: dict[int, str] = {}
    found: dict[str, int] = {}
    rows = (
        Region.objects.subtree(root)
        .order_by("path")
        .values_list("pk", "parent_id", "name", "level")
    )
    for pk, parent, name, level in rows:
        above = labels.get(parent, "") if parent else ""
        shown = level not in (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY)
        labels[pk] = above + name if shown else above
        found.setdefault(labels[pk] or name, pk)
    return found


def resolve_place(root: Region, place: str, address: str) -> Region | None:
    """The region typed (a label or any name ``locate`` reads), else the one the address names."""
    place = "".join(place.split())
    if place:
        pk = place_labels(root).get(place) or locate_id(place, root)
    else:
        pk = locate_id(address, root) if address.strip() else None
    return Region.objects.filter(pk=pk).first() if pk else None


# --- the parties ----------------------------------------------------------------------------------
def clean_id_number(value: str) -> str:
    value = normalize_id_number(value)
    if value and (problem := id_number_problem(value)):
        raise forms.ValidationError(ID_PROBLEMS[problem], code=problem)
    return value


def clean_phone(value: str) -> str:
    value = value.strip().replace(" ", "")
    if value and not (is_valid_mobile(value) or _LANDLINE.match(value)):
        raise forms.ValidationError(
            _("Give an 11-digit mobile number, or a landline with its area code."), code="phone"
        )
    return value


class PartyForm(forms.Form):
    """One person: the applicant first, then respondents and others, any number of them."""

    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices, widget=_select())
    name = forms.CharField(label=_("Name"), max_length=50, widget=_input())
    id_number = forms.CharField(
        label=_("ID number"), required=False, max_length=18, widget=_input(inputmode="text")
    )
    phone = forms.CharField(
        label=_("Phone"), required=False, max_length=20, widget=_input(inputmode="tel")
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=200, widget=_input())

    # A row the clerk added but left empty is no party; the role alone is not an entry.
    DATA_FIELDS = ("name", "id_number", "phone", "address")

    def has_changed(self) -> bool:
        return any(name in self.changed_data for name in self.DATA_FIELDS)

    def clean_id_number(self) -> str:
        return clean_id_number(self.cleaned_data["id_number"])

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def party_input(self) -> PartyInput:
        data = self.cleaned_data
        id_number = data["id_number"]
        gender = ""
        if id_number:  # the 17th digit: odd for men, even for women (GB 11643)
            gender = Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE
        return PartyInput(
            name=data["name"].strip(),
            role=data["role"],
            id_number=id_number,
            phone=data["phone"],
            address=data["address"].strip(),
            gender=gender,
        )


class BasePartyFormSet(forms.BaseFormSet):
    channel = ""

    def clean(self) -> None:
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.has_changed() and f.cleaned_data]
        if not filled or filled[0].cleaned_data["role"] != PartyRole.APPLICANT:
            raise forms.ValidationError(_("The applicant comes first."), code="no_applicant")
        seen: set[str] = set()
        for form in filled:
            number = form.cleaned_data["id_number"]
            if number and number in seen:
                form.add_error("id_number", _("This ID number is already given for another party."))
            seen.add(number)
        applicant = filled[0].cleaned_data
        if self.channel == Channel.LETTER:
            if not (applicant["address"] or applicant["phone"]):
                filled[0].add_error(
                    "address", _("A letter is answered in writing: give the applicant's address.")
                )
        elif not (applicant["id_number"] or applicant["phone"]):
            filled[0].add_error(
                "phone", _("Give the applicant's ID number or phone number, to reach them again.")
            )

    def parties(self) -> list[PartyInput]:
        return [f.party_input() for f in self.forms if f.has_changed() and f.cleaned_data]


PartyFormSet = forms.formset_factory(
    PartyForm, formset=BasePartyFormSet, extra=0, min_num=1, validate_min=True, max_num=50
)


def party_formset(data: Any = None, *, channel: str = "") -> BasePartyFormSet:
    formset = cast(
        BasePartyFormSet,
        PartyFormSet(data, prefix="party", initial=[{"role": PartyRole.APPLICANT}]),
    )
    formset.channel = channel
    return formset


# --- the matter -----------------------------------------------------------------------------------
class WindowForm(forms.Form):
    """What the matter is, how it came in and where it happened."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(c.value, c.label) for c in WINDOW_CHANNELS],
        initial=Channel.WINDOW,
        widget=forms.Select(attrs={"class": "form-select", "autofocus": True}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=CaseKind.choices, initial=CaseKind.DISPUTE, widget=_select()
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("Choose a category")), *Category.choices],
        widget=_select(),
    )
    title = forms.CharField(label=_("Title"), max_length=200, widget=_input())
    description = forms.CharField(
        label=_("What happened and what is asked"),
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=100,
        widget=_input(list="place-options"),
        help_text=_("A town, village or grid; left empty, it is read from the address."),
    )
    address = forms.CharField(
        label=_("Address of the matter"), required=False, max_length=200, widget=_input()
    )
    people_count = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        max_value=100000,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        help_text=_(
            "A collective visit: everyone who came; at most 5 representatives as applicants."
        ),
    )
    risk_level = forms.ChoiceField(
        label=_("Risk"), choices=RiskLevel.choices, initial=RiskLevel.BLUE, widget=_select()
    )
    review_of = forms.CharField(
        label=_("Review of case (复查/复核)"),
        required=False,
        max_length=20,
        widget=_input(),
        help_text=_("For a petition against a decision: the code of the decided case."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.area: Region = user.unit.region  # type: ignore[union-attr]

    def clean_review_of(self) -> Case | None:
        code = self.cleaned_data["review_of"].strip()
        if not code:
            return None
        original = cases_for_user(self.user).filter(code=code).first()
        if original is None:
            raise forms.ValidationError(_("No case with this code in your area."), code="review_of")
        return original

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "place" in data and "address" in data:
            region = resolve_place(self.area, data["place"], data["address"])
            if region is None:
                where = "place" if data["place"].strip() else "address"
                message = (
                    _("No town, village or grid of your area has this name.")
                    if where == "place"
                    else _("Choose the place, or write an address that names the town or village.")
                )
                self.add_error("place", message)
            data["region"] = region
        return data


def place_options(user: User) -> Sequence[str]:
    """The names the place field offers (towns, villages, grids of the clerk's area)."""
    if user.unit is None:
        return []
    return [label for label in place_labels(user.unit.region) if label]
