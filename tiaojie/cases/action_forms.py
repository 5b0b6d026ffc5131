"""One small form per case action: what the person must say to take it. Parsing only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import Unit, UnitKind, User
from tiaojie.core.errors import DomainError

from . import services
from .models import Case, LegalRoute, Satisfaction
from .services import Actor
from .workflow import Action


def _text(label: Any, *, required: bool = True, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}),
    )


class ActionForm(forms.Form):
    """Every action form carries the version the page showed (a stale page cannot win)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user
        for name, field in self.fields.items():
            if name != "version" and isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")


class NoteForm(ActionForm):
    note = _text(_("Note"), required=False)


class ReasonForm(ActionForm):
    reason = _text(_("Reason"))


class DeclineForm(ActionForm):
    route = forms.ChoiceField(label=_("Legal route"), choices=LegalRoute.choices)
    reason = _text(_("Reason"))


def assignable_units(user: User) -> QuerySet[Unit]:
    """Units a dispatcher may give work to: those in their area and the district departments."""
    area = user.unit.region if user.unit else None
    if area is None:
        return Unit.objects.none()
    departments = Q(region__level="county") & ~Q(kind=UnitKind.DISTRICT_CENTER)
    return (
        Unit.objects.filter(is_active=True)
        .filter(Q(region__path__startswith=area.path) | departments)
        .exclude(kind=UnitKind.DISTRICT_CENTER)
        .order_by("region__path", "kind", "name")
    )


class AssignForm(ActionForm):
    lead = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.none())
    assisting = forms.ModelMultipleChoiceField(
        label=_("Assisting units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 5}),
    )
    note = _text(_("Note"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = assignable_units(self.user)
        self.fields["lead"].queryset = units  # type: ignore[attr-defined]
        self.fields["assisting"].queryset = units  # type: ignore[attr-defined]


class SessionForm(ActionForm):
    summary = _text(_("What happened in the session"), rows=3)
    participants = forms.CharField(
        label=_("Participants"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class ReportForm(ActionForm):
    text = _text(_("Report"), rows=3)


class ResolveForm(ActionForm):
    outcome = _text(_("Outcome"), rows=3)
    agreement = _text(_("Mediation agreement (printable)"), required=False, rows=6)


class FollowUpForm(ActionForm):
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), choices=Satisfaction.choices)
    note = _text(_("Note"), required=False)


class MergeForm(ActionForm):
    into = forms.CharField(
        label=_("Surviving case code"),
        max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    reason = _text(_("Reason"), required=False)

    def clean_into(self) -> Case:
        from .selectors import cases_for_user

        code = self.cleaned_data["into"].strip()
        target = cases_for_user(self.user).filter(code=code).first()
        if target is None:
            raise forms.ValidationError(_("No case with this code in your area."))
        return target


Call = Callable[[Case, Actor, int, dict[str, Any]], Case]

# action → (form, how to call the service with the cleaned data)
ACTIONS: dict[Action, tuple[type[ActionForm], Call]] = {
    Action.ACCEPT: (
        NoteForm,
        lambda c, a, v, d: services.accept(c, actor=a, expected_version=v, note=d["note"]),
    ),
    Action.DECLINE: (
        DeclineForm,
        lambda c, a, v, d: services.decline(
            c, actor=a, expected_version=v, route=d["route"], reason=d["reason"]
        ),
    ),
    Action.ASSIGN: (
        AssignForm,
        lambda c, a, v, d: services.assign(
            c,
            actor=a,
            expected_version=v,
            lead=d["lead"],
            assisting=list(d["assisting"]),
            note=d["note"],
        ),
    ),
    Action.CHECK_IN: (
        ActionForm,
        lambda c, a, v, d: services.check_in(c, actor=a, expected_version=v),
    ),
    Action.RECORD_SESSION: (
        SessionForm,
        lambda c, a, v, d: services.record_session(
            c,
            actor=a,
            expected_version=v,
            summary=d["summary"],
            participants=[p for p in d["participants"].replace("，", ",").split(",") if p.strip()],
        ),
    ),
    Action.REPORT: (
        ReportForm,
        lambda c, a, v, d: services.report(c, actor=a, expected_version=v, text=d["text"]),
    ),
    Action.RESOLVE: (
        ResolveForm,
        lambda c, a, v, d: services.resolve(
            c, actor=a, expected_version=v, outcome=d["outcome"], agreement=d["agreement"]
        ),
    ),
    Action.FAIL: (
        ReasonForm,
        lambda c, a, v, d: services.fail(c, actor=a, expected_version=v, reason=d["reason"]),
    ),
    Action.ESCALATE: (
        ReasonForm,
        lambda c, a, v, d: services.escalate(c, actor=a, expected_version=v, reason=d["reason"]),
    ),
    Action.RETURN: (
        ReasonForm,
        lambda c, a, v, d: services.return_case(c, actor=a, expected_version=v, reason=d["reason"]),
    ),
    Action.SUPERVISE: (
        NoteForm,
        lambda c, a, v, d: services.supervise(c, actor=a, expected_version=v, note=d["note"]),
    ),
    Action.EXTEND: (
        ReasonForm,
        lambda c, a, v, d: services.extend(c, actor=a, expected_version=v, reason=d["reason"]),
    ),
    Action.SUSPEND: (
        ReasonForm,
        lambda c, a, v, d: services.suspend(c, actor=a, expected_version=v, reason=d["reason"]),
    ),
    Action.RESUME: (
        NoteForm,
        lambda c, a, v, d: services.resume(c, actor=a, expected_version=v, note=d["note"]),
    ),
    Action.FOLLOW_UP: (
        FollowUpForm,
        lambda c, a, v, d: services.follow_up(
            c, actor=a, expected_version=v, satisfaction=d["satisfaction"], note=d["note"]
        ),
    ),
    Action.CLOSE: (
        ReasonForm,
        lambda c, a, v, d: services.close(c, actor=a, expected_version=v, reason=d["reason"]),
    ),
    Action.REOPEN: (
        ReasonForm,
        lambda c, a, v, d: services.reopen(c, actor=a, expected_version=v, reason=d["reason"]),
    ),
    Action.MERGE: (
        MergeForm,
        lambda c, a, v, d: services.merge(
            c, actor=a, expected_version=v, into=d["into"], reason=d["reason"]
        ),
    ),
    Action.WITHDRAW: (
        ReasonForm,
        lambda c, a, v, d: services.withdraw(c, actor=a, expected_version=v, reason=d["reason"]),
    ),
}


def form_for(action: Action, *, case: Case, user: User, data: Any = None) -> ActionForm:
    form_class = ACTIONS[action][0]
    return form_class(
        data, case=case, user=user, initial={"version": case.version}, prefix=action.value
    )


def run(action: Action, form: ActionForm) -> Case:
    """Call the service for a valid form; DomainError and Conflict pass to the caller."""
    if not form.is_valid():
        raise DomainError(
            " ".join(str(e) for errors in form.errors.values() for e in errors),
            code="invalid_input",
        )
    data = form.cleaned_data
    return ACTIONS[action][1](form.case, Actor(form.user), data["version"], data)
