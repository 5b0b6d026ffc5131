"""Input parsing for reviews, meetings and tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import Unit, User
from tiaojie.cases.action_forms import assignable_units
from tiaojie.cases.models import Case

from .models import ReviewDecision
from .services import task_units


def _text(label: Any, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}),
    )


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=ReviewDecision.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    conclusion = _text(_("Conclusion"))
    assign_to = forms.ModelChoiceField(
        label=_("Assign to (for the decision assign)"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, user: User, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"version": case.version})
        kwargs["prefix"] = "review"
        super().__init__(*args, **kwargs)
        self.fields["assign_to"].queryset = assignable_units(user)  # type: ignore[attr-defined]


class MonthInput(forms.DateInput):
    input_type = "month"


class OpenMeetingForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=MonthInput(format="%Y-%m", attrs={"class": "form-control"}),
    )


class MinutesForm(forms.Form):
    attendees = _text(_("Attendees"), required=False, rows=2)
    minutes = _text(_("Minutes"), required=False, rows=8)


class DecisionForm(forms.Form):
    text = _text(_("Decision"), rows=2)
    owner_unit = forms.ModelChoiceField(
        label=_("Owner unit"),
        queryset=Unit.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    owner_user = forms.ModelChoiceField(
        label=_("Person responsible (optional)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    due_on = forms.DateField(
        label=_("Deadline"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}),
    )
    case_code = forms.CharField(
        label=_("Case code (optional)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs["prefix"] = "decision"
        super().__init__(*args, **kwargs)
        self.user = user
        units = task_units(user)
        self.fields["owner_unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in units]
        ).order_by("region__path", "kind", "name")
        self.fields["owner_user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(unit__in=units, is_active=True)
            .select_related("unit")
            .order_by("unit", "real_name")
        )
        self.fields["owner_user"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.real_name}（{u.unit.short_name or u.unit.name}）"
        )
        self.fields["due_on"].initial = timezone.localdate() + dt.timedelta(days=30)

    def clean_case_code(self) -> Case | None:
        from tiaojie.cases.selectors import cases_for_user

        code = self.cleaned_data["case_code"].strip()
        if not code:
            return None
        case = cases_for_user(self.user).filter(code=code).first()
        if case is None:
            raise forms.ValidationError(_("No case with this code in your area."))
        return case


class TaskDoneForm(forms.Form):
    note = _text(_("What was done"), rows=2)
