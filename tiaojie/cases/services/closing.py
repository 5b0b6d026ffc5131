"""The end of a case: follow-up (回访), closing, reopening (重办), merging and withdrawal."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from tiaojie.core import clock
from tiaojie.core.chain import insert_row
from tiaojie.core.errors import DomainError

from .. import policies
from ..history import next_event
from ..models import Case, Satisfaction
from ..workflow import OPEN, Action, Status
from .engine import Actor, Change, conflict, due_from, need, transition, write_row


def follow_up(
    case: Case,
    *,
    actor: Actor,
    satisfaction: str,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """回访, by someone other than the handler: satisfied closes, dissatisfied reopens (重办)."""
    if satisfaction not in Satisfaction.values:
        raise DomainError(_("Record how satisfied the applicant is."), code="no_satisfaction")

    def mutate(c: Case, now: dt.datetime) -> None:
        c.satisfaction = satisfaction
        if satisfaction == Satisfaction.DISSATISFIED:
            c.dissatisfied_count += 1
            c.concluded_at = None
            c.stage_started_at = now
            handling = c.policy or policies.policy(
                policies.handling_policy_code(c.kind, c.category)
            )
            c.due_at = due_from(handling, now)
            c.extended = False
        else:
            c.closed_at = now
            c.due_at = None

    return transition(
        case,
        actor,
        Action.FOLLOW_UP,
        expected_version=expected_version,
        change=Change(reason=note, payload={"satisfaction": satisfaction}, variant=satisfaction),
        mutate=mutate,
    )


def close(
    case: Case, *, actor: Actor, reason: str = "", expected_version: int | None = None
) -> Case:
    """办结 without a follow-up rating (unreachable applicant, unresolved with guidance)."""

    def mutate(c: Case, now: dt.datetime) -> None:
        c.closed_at = now
        c.due_at = None

    return transition(
        case,
        actor,
        Action.CLOSE,
        expected_version=expected_version,
        change=Change(reason=reason),
        mutate=mutate,
    )


def reopen(case: Case, *, actor: Actor, reason: str, expected_version: int | None = None) -> Case:
    """重办: a leader sends a closed case back to its lead unit with a fresh deadline."""
    reason = need(reason, _("the reason"))

    def mutate(c: Case, now: dt.datetime) -> None:
        c.reopen_count += 1
        c.closed_at = None
        c.concluded_at = None
        c.satisfaction = ""
        c.stage_started_at = now
        handling = c.policy or policies.policy(policies.handling_policy_code(c.kind, c.category))
        c.due_at = due_from(handling, now)
        c.extended = False

    return transition(
        case,
        actor,
        Action.REOPEN,
        expected_version=expected_version,
        change=Change(reason=reason),
        mutate=mutate,
    )


def merge(
    case: Case, *, actor: Actor, into: Case, reason: str = "", expected_version: int | None = None
) -> Case:
    """合并: a duplicate points to the surviving case; both histories stay."""
    if into.pk == case.pk:
        raise DomainError(_("A case cannot be merged into itself."), code="merge_self")
    if into.status not in OPEN and into.status != Status.CLOSED:
        raise DomainError(
            _("The surviving case must not be merged, declined or withdrawn."), code="merge_target"
        )

    def mutate(c: Case, now: dt.datetime) -> None:
        c.merged_into = into
        c.closed_at = now
        c.due_at = None
        c.suspended_at = None
        c.assignments.filter(ended_at=None).update(ended_at=now)

    with transaction.atomic():
        # Both rows locked in id order (merging A into B and B into A at once must not
        # deadlock), then the survivor checked as it is now, not as the caller saw it.
        rows = (
            Case.objects.select_for_update()
            .filter(pk__in=[case.pk, into.pk])
            .order_by("pk")
            .values_list("pk", "version", "status", "merged_into_id")
        )
        survivor = {pk: (version, status, merged) for pk, version, status, merged in rows}[into.pk]
        version, status, merged_into_id = survivor
        if version != into.version or merged_into_id == case.pk:
            raise conflict()
        if status not in OPEN and status != Status.CLOSED:
            raise DomainError(
                _("The surviving case must not be merged, declined or withdrawn."),
                code="merge_target",
            )
        merged = transition(
            case,
            actor,
            Action.MERGE,
            expected_version=expected_version,
            change=Change(reason=reason, payload={"into": into.code}),
            mutate=mutate,
            claim_first=True,
        )
        _record_absorbed(into.pk, merged, actor, reason)
        return merged


def _record_absorbed(survivor_pk: int, merged: Case, actor: Actor, reason: str) -> None:
    """The survivor's own history says which case was merged into it (its status stays).

    Called with the survivor's row locked, so its chain head and version are current.
    """
    survivor = Case.objects.get(pk=survivor_pk)
    event = next_event(
        survivor,
        action=Action.MERGE,
        actor_id=actor.user_id,
        actor_unit_id=actor.unit_id,
        at=clock.now(),
        from_status=survivor.status,
        to_status=survivor.status,
        reason=reason,
        payload={"absorbed": merged.code},
    )
    changed = {
        "version": survivor.version + 1,
        "event_count": survivor.event_count,
        "last_event_hash": survivor.last_event_hash,
    }
    if not write_row(survivor.pk, changed, version=survivor.version):
        raise conflict()
    insert_row(event)


def withdraw(case: Case, *, actor: Actor, reason: str, expected_version: int | None = None) -> Case:
    """撤回: the applicant withdraws."""
    reason = need(reason, _("the reason"))

    def mutate(c: Case, now: dt.datetime) -> None:
        c.closed_at = now
        c.due_at = None
        c.suspended_at = None
        c.assignments.filter(ended_at=None).update(ended_at=now)

    return transition(
        case,
        actor,
        Action.WITHDRAW,
        expected_version=expected_version,
        change=Change(reason=reason),
        mutate=mutate,
        claim_first=True,
    )
