"""One small form per case action: what the person must say to take it. Parsing only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import Unit, UnitKind, User
from tiaojie.core.enums import RiskLevel
from tiaojie.core.errors import DomainError

from . import hooks, services
from .models import Case, LegalRoute, Satisfaction, Sensitivity
from .sensitivity import restricted
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
    override_reason = _text(
        _("Why not the proposed units (needed when you choose others)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = assignable_units(self.user)
        self.fields["lead"].queryset = units  # type: ignore[attr-defined]
        self.fields["assisting"].queryset = units  # type: ignore[attr-defined]
        # The dispatch catalogue's proposal, if an app registered one (cases/hooks.py).
        self.proposal = hooks.proposal_for(self.case)
        if self.proposal and self.proposal.lead_unit in units:
            self.fields["lead"].initial = self.proposal.lead_unit
            self.fields["assisting"].initial = [
                u for u in self.proposal.assisting_units if u in units
            ]

    def clean_assisting(self) -> list[Unit]:
        return list(self.cleaned_data["assisting"])

    def clean(self) -> dict[str, Any]:
        """The dispatcher confirms the catalogue's proposal or overrides it with a reason."""
        cleaned = super().clean() or {}
        reason = (cleaned.pop("override_reason", "") or "").strip()
        proposal = self.proposal
        if proposal is None or "lead" not in cleaned:
            cleaned["routing"] = None
            return cleaned
        followed = cleaned["lead"] == proposal.lead_unit and set(
            cleaned.get("assisting", [])
        ) == set(proposal.assisting_units)
        if not followed and not reason:
            self.add_error(
                "override_reason",
                _("You chose other units than proposed: please give the reason."),
            )
        cleaned["routing"] = {
            "rule": proposal.rule_id,
            "proposed_lead": proposal.lead_unit.pk if proposal.lead_unit else None,
            "proposed_assisting": [u.pk for u in proposal.assisting_units],
            "followed": followed,
            "override_reason": reason,
        }
        return cleaned


class RiskForm(ActionForm):
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    reason = _text(_("Reason"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risk_level"].initial = self.case.risk_level


class SessionForm(ActionForm):
    summary = _text(_("What happened in the session"), rows=3)
    participants = forms.CharField(
        label=_("Participants"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def clean_participants(self) -> list[str]:
        names = self.cleaned_data["participants"].replace("，", ",").split(",")
        return [name.strip() for name in names if name.strip()]


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


class LabelForm(ActionForm):
    sensitivity = forms.ChoiceField(label=_("Security label"), choices=Sensitivity.choices)
    notes = _text(_("Health and psychological notes"), required=False, rows=3)
    reason = _text(_("Reason"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sensitivity"].initial = self.case.sensitivity
        if restricted(self.user, self.case):
            # Someone who may not read the notes may not overwrite them either.
            del self.fields["notes"]
        else:
            self.fields["notes"].initial = self.case.sensitive_notes

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned.setdefault("notes", None)
        return cleaned


# action → (its form, its service). Each form's fields are the service's keyword arguments,
# cleaned into the types the service takes.
ACTIONS: dict[Action, tuple[type[ActionForm], Callable[..., Case]]] = {
    Action.ACCEPT: (NoteForm, services.accept),
    Action.DECLINE: (DeclineForm, services.decline),
    Action.ASSIGN: (AssignForm, services.assign),
    Action.CHECK_IN: (ActionForm, services.check_in),
    Action.RECORD_SESSION: (SessionForm, services.record_session),
    Action.REPORT: (ReportForm, services.report),
    Action.RESOLVE: (ResolveForm, services.resolve),
    Action.FAIL: (ReasonForm, services.fail),
    Action.ESCALATE: (ReasonForm, services.escalate),
    Action.DEESCALATE: (ReasonForm, services.deescalate),
    Action.RETURN: (ReasonForm, services.return_case),
    Action.SUPERVISE: (NoteForm, services.supervise),
    Action.EXTEND: (ReasonForm, services.extend),
    Action.SUSPEND: (ReasonForm, services.suspend),
    Action.RESUME: (NoteForm, services.resume),
    Action.FOLLOW_UP: (FollowUpForm, services.follow_up),
    Action.CLOSE: (ReasonForm, services.close),
    Action.REOPEN: (ReasonForm, services.reopen),
    Action.MERGE: (MergeForm, services.merge),
    Action.WITHDRAW: (ReasonForm, services.withdraw),
    Action.LABEL: (LabelForm, services.set_label),
    Action.SET_RISK: (RiskForm, services.set_risk),
}


def form_for(action: Action, *, case: Case, user: User, data: Any = None) -> ActionForm:
    form_class = ACTIONS[action][0]
    return form_class(
        data, case=case, user=user, initial={"version": case.version}, prefix=action.value
    )


def invalid_input(form: forms.Form) -> DomainError:
    """Every error of an invalid form, in one message."""
    return DomainError(
        " ".join(str(e) for errors in form.errors.values() for e in errors), code="invalid_input"
    )


def run(action: Action, form: ActionForm) -> Case:
    """Call the service for a valid form; DomainError and Conflict pass to the caller."""
    if not form.is_valid():
        raise invalid_input(form)
    fields = dict(form.cleaned_data)
    version = fields.pop("version")
    service = ACTIONS[action][1]
    return service(form.case, actor=Actor(form.user), expected_version=version, **fields)
