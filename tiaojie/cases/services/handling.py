"""Handling a case: accept or decline, assign, check in, work it, resolve or fail, return."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tiaojie.accounts.models import Unit, User
from tiaojie.core import clock, workdays
from tiaojie.core.enums import RiskLevel, Tier
from tiaojie.core.errors import DomainError
from tiaojie.regions.selectors import path_of

from .. import hooks, policies, tiers
from ..models import Assignment, AssignmentRole, Case, DeadlinePolicy, LegalRoute
from ..workflow import Action, EscalationTrigger
from .engine import SYSTEM, Actor, Change, due_from, in_site_language, need, transition
from .escalation import move_up, red_goes_up


def accept(
    case: Case, *, actor: Actor, expected_version: int | None = None, note: str = ""
) -> Case:
    """受理: the handling deadline starts now, under the policy for what the case is.

    The policy is the one the dispatch catalogue's rule for the case names, if it names one
    that exists, else the legal default (a 复查/复核 always runs under its legal 30 days).
    A case accepted with red risk goes to the district center at once, in the same
    transaction; then what the apps above registered runs (cases/hooks.py: in 急时 and 战时
    an orange or red case goes to the tier above).
    """
    handling, rule_id = handling_policy(
        kind=case.kind,
        category=case.category,
        risk_level=case.risk_level,
        region_path=case.region.path if Case.region.is_cached(case) else path_of(case.region_id),
        review_stage=case.review_stage,
    )

    def mutate(c: Case, now: dt.datetime) -> None:
        c.accepted_at = now
        c.policy = handling
        c.stage_started_at = now
        c.due_at = due_from(handling, now)
        c.extended = False

    payload = acceptance_payload(handling, rule_id)
    accepted_tier = case.tier
    # Only a case that may move on in the same transaction (red risk; what an app registered
    # for its risk, cases/hooks.py) needs the outer transaction: for any other the savepoint it
    # costs buys nothing (bench/lifecycle.py).
    moves_on = case.risk_level == RiskLevel.RED or hooks.acts_after_accept(case.risk_level)
    with transaction.atomic() if moves_on else contextlib.nullcontext():
        accepted = transition(
            case,
            actor,
            Action.ACCEPT,
            expected_version=expected_version,
            change=Change(reason=note, payload=payload),
            mutate=mutate,
        )
        return hooks.after_accept(red_goes_up(accepted), accepted_tier)


def handling_policy(
    *, kind: str, category: str, risk_level: str, region_path: str, review_stage: str = ""
) -> tuple[DeadlinePolicy, int | None]:
    """The handling policy for such a case and the dispatch rule that chose it (None: the law).

    Acceptance and the ledger's bulk writer (cases/bulk.py) both choose here.
    """
    legal = policies.handling_policy_code(kind, category, review_stage)
    if not review_stage:
        # No rule, or rules that tie: no proposal (the catalogue's screen shows it).
        proposal = hooks.proposal(kind, category, risk_level, region_path)
        if proposal is not None and proposal.policy_code:
            routed = policies.find(proposal.policy_code)
            if routed is not None:
                return routed, proposal.rule_id
    return policies.policy(legal), None


def acceptance_payload(policy: DeadlinePolicy, rule_id: int | None) -> dict[str, Any]:
    """The details of an acceptance event (the bulk path in cases/bulk.py writes the same)."""
    payload: dict[str, Any] = {"policy": policy.code}
    if rule_id is not None:
        payload["rule"] = rule_id
    return payload


def decline(
    case: Case, *, actor: Actor, route: str, reason: str, expected_version: int | None = None
) -> Case:
    """不予受理, pointing the applicant to the legal route (诉讼/仲裁/复议 …)."""
    if route not in LegalRoute.values:
        raise DomainError(_("Choose the legal route the applicant is pointed to."), code="no_route")
    reason = need(reason, _("the reason"))

    def mutate(c: Case, now: dt.datetime) -> None:
        c.decline_route = route
        c.outcome = reason
        c.closed_at = now
        c.due_at = None

    return transition(
        case,
        actor,
        Action.DECLINE,
        expected_version=expected_version,
        change=Change(reason=reason, payload={"route": route}),
        mutate=mutate,
    )


def assign(
    case: Case,
    *,
    actor: Actor,
    lead: Unit,
    assisting: Sequence[Unit] = (),
    handler: User | None = None,
    note: str = "",
    routing: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> Case:
    """交办: one lead unit and any assisting units, each with its own check-in deadline.

    ``routing``: what the dispatch catalogue proposed and whether the dispatcher followed it
    (or why not); kept in the event, so overrides can be counted and reviewed.
    """
    if lead in assisting:
        raise DomainError(_("The lead unit cannot also assist."), code="lead_assists")
    if handler is not None and handler.unit_id != lead.pk:
        raise DomainError(_("The handler must work in the lead unit."), code="handler_unit")
    check_in = policies.policy("check_in")

    def mutate(c: Case, now: dt.datetime) -> None:
        c.assignments.filter(ended_at=None).update(ended_at=now)
        check_in_due = due_from(check_in, now)
        Assignment.objects.create(
            case=c,
            unit=lead,
            role=AssignmentRole.LEAD,
            assigned_at=now,
            assigned_by=actor.user,
            check_in_due_at=check_in_due,
            due_at=c.due_at,
        )
        for unit in dict.fromkeys(assisting):
            Assignment.objects.create(
                case=c,
                unit=unit,
                role=AssignmentRole.ASSISTING,
                assigned_at=now,
                assigned_by=actor.user,
                check_in_due_at=check_in_due,
                due_at=c.due_at,
            )
        c.lead_unit = lead
        c.handler = handler
        c.stage_started_at = now

    return transition(
        case,
        actor,
        Action.ASSIGN,
        expected_version=expected_version,
        change=Change(
            reason=note,
            payload={
                "lead": lead.pk,
                "assisting": [u.pk for u in assisting],
                "handler": handler.pk if handler else None,
                **({"routing": routing} if routing else {}),
            },
        ),
        mutate=mutate,
        claim_first=True,
    )


def check_in(case: Case, *, actor: Actor, expected_version: int | None = None) -> Case:
    """签收: the lead unit takes the case; the one who signs becomes handler if none is named."""

    def mutate(c: Case, now: dt.datetime) -> None:
        c.assignments.filter(ended_at=None, role=AssignmentRole.LEAD).update(
            checked_in_at=now, checked_in_by=actor.user
        )
        if c.handler_id is None:
            c.handler = actor.user
        c.stage_started_at = now

    return transition(
        case,
        actor,
        Action.CHECK_IN,
        expected_version=expected_version,
        change=Change(),
        mutate=mutate,
        claim_first=True,
    )


def record_session(
    case: Case,
    *,
    actor: Actor,
    summary: str,
    held_at: dt.datetime | None = None,
    participants: Sequence[str] = (),
    expected_version: int | None = None,
) -> Case:
    """调解: a mediation session's record; the status stays in progress."""
    summary = need(summary, _("what happened in the session"))
    return transition(
        case,
        actor,
        Action.RECORD_SESSION,
        expected_version=expected_version,
        change=Change(
            reason=summary,
            payload={
                "held_at": (held_at or clock.now()).isoformat(),
                "participants": list(participants),
            },
        ),
    )


def report(case: Case, *, actor: Actor, text: str, expected_version: int | None = None) -> Case:
    """An assisting unit reports back what it did."""
    text = need(text, _("the report"))

    def mutate(c: Case, now: dt.datetime) -> None:
        assert actor.user is not None and actor.user.unit_id is not None
        c.assignments.filter(ended_at=None, unit_id=actor.user.unit_id).update(
            reported_at=now, report=text, checked_in_at=now
        )

    return transition(
        case,
        actor,
        Action.REPORT,
        expected_version=expected_version,
        change=Change(reason=text),
        mutate=mutate,
        claim_first=True,
    )


def resolve(
    case: Case,
    *,
    actor: Actor,
    outcome: str,
    agreement: str = "",
    expected_version: int | None = None,
) -> Case:
    """化解: the outcome (and the mediation agreement, if any); follow-up is due next."""
    outcome = need(outcome, _("the outcome"))
    follow = policies.policy("follow_up")

    def mutate(c: Case, now: dt.datetime) -> None:
        c.outcome = outcome
        c.concluded_at = now
        c.stage_started_at = now
        c.due_at = due_from(follow, now)
        c.extended = False

    return transition(
        case,
        actor,
        Action.RESOLVE,
        expected_version=expected_version,
        change=Change(reason=outcome, payload={"agreement": agreement} if agreement else {}),
        mutate=mutate,
    )


def fail(
    case: Case,
    *,
    actor: Actor,
    reason: str,
    expected_version: int | None = None,
    escalate_up: bool = True,
) -> Case:
    """未化解: handling did not settle it.

    下级解决不了的提级管理: a dispute, request or hazard that the village or town tier could not
    resolve goes to the tier above at once, in the same transaction (the system escalates,
    trigger "failure"). At the district tier it stays unresolved, for the district center to
    close with guidance or escalate by hand. A petition stays unresolved at any tier: its
    handling ended in a decision, and the petitioner's way on is 复查 (cases/petitions.py).
    ``escalate_up=False`` records an outcome of the past (a ledger import) as it was.
    """
    reason = need(reason, _("the reason"))

    def mutate(c: Case, now: dt.datetime) -> None:
        c.outcome = reason
        c.concluded_at = now

    with transaction.atomic():
        failed = transition(
            case,
            actor,
            Action.FAIL,
            expected_version=expected_version,
            change=Change(reason=reason),
            mutate=mutate,
        )
        if not (escalate_up and tiers.fails_upward(failed)):
            return failed
        upper = tiers.above(failed.tier)
        if tiers.center_for(failed, upper) is None:
            return failed  # nobody above to take it: it stays with people to decide
        return move_up(
            failed,
            actor=SYSTEM,
            reason=in_site_language(
                gettext_noop("Not resolved at this tier: passed to the tier above.")
            ),
            to_tier=upper,
            trigger=EscalationTrigger.FAILURE,
        )


def return_case(
    case: Case, *, actor: Actor, reason: str, expected_version: int | None = None
) -> Case:
    """退回: the lead unit says the case is outside its remit (信访工作条例 art. 23).

    Within 5 working days of the assignment (the work calendar: holidays and 调休 count as
    they fall), with a reason. The case goes back, accepted, to the center that assigned it,
    to be assigned again; the first receiving unit keeps tracking it (首接负责) and is told.
    """
    reason = need(reason, _("the reason"))
    limit = policies.policy("remit_objection")

    def check(c: Case) -> None:
        lead = c.assignments.filter(ended_at=None, role=AssignmentRole.LEAD).first()
        if lead is None:
            return
        until = due_from(limit, lead.assigned_at)
        if clock.now() > until:
            raise DomainError(
                _(
                    "Too late to return: the case was assigned on %(assigned)s and could be "
                    "returned within %(days)s working days, until %(until)s. Ask the center "
                    "to reassign or escalate it instead."
                )
                % {
                    "assigned": timezone.localtime(lead.assigned_at).strftime("%Y-%m-%d"),
                    "days": limit.days,
                    "until": timezone.localtime(until).strftime("%Y-%m-%d %H:%M"),
                },
                code="return_too_late",
            )

    def mutate(c: Case, now: dt.datetime) -> None:
        lead = (
            c.assignments.filter(ended_at=None, role=AssignmentRole.LEAD)
            .select_related("assigned_by__unit")
            .first()
        )
        c.assignments.filter(ended_at=None).update(ended_at=now)
        c.lead_unit = _assigning_center(c, lead)
        c.handler = None
        c.stage_started_at = now

    return transition(
        case,
        actor,
        Action.RETURN,
        expected_version=expected_version,
        change=Change(reason=reason, payload={"unit": case.lead_unit_id}),
        mutate=mutate,
        check=check,
        claim_first=True,
    )


def _assigning_center(case: Case, lead: Assignment | None) -> Unit | None:
    """Where a returned case goes: the center whose staff assigned it, else its tier's center."""
    by = lead.assigned_by if lead is not None else None
    unit = by.unit if by is not None else None
    if unit is not None and unit.kind in tiers.CENTER_TIER:
        return unit
    return tiers.center_for(case, Tier(case.tier))


def suspend(case: Case, *, actor: Actor, reason: str, expected_version: int | None = None) -> Case:
    """中止: the clock stops (鉴定, 听证 …) until the case resumes."""
    reason = need(reason, _("the reason"))

    def mutate(c: Case, now: dt.datetime) -> None:
        c.suspended_at = now

    return transition(
        case,
        actor,
        Action.SUSPEND,
        expected_version=expected_version,
        change=Change(reason=reason),
        mutate=mutate,
    )


def resume(
    case: Case, *, actor: Actor, note: str = "", expected_version: int | None = None
) -> Case:
    """恢复: the deadline moves later by the time the case was suspended."""

    def mutate(c: Case, now: dt.datetime) -> None:
        if c.suspended_at and c.due_at:
            working = bool(c.policy and c.policy.working_days)
            c.due_at = workdays.extend_for_pause(
                c.due_at, c.suspended_at, now, working_days=working
            )
            c.assignments.filter(ended_at=None).update(due_at=c.due_at)
        c.suspended_at = None

    return transition(
        case,
        actor,
        Action.RESUME,
        expected_version=expected_version,
        change=Change(reason=note),
        mutate=mutate,
        claim_first=True,
    )
