"""Oversight of a case's deadlines: supervision (督办) and extension (延期)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from ..models import Case
from ..workflow import Action
from .engine import Actor, Change, extended_due, need, refuse_if_ruled_out, transition


def supervise(
    case: Case, *, actor: Actor, note: str = "", expected_version: int | None = None
) -> Case:
    """督办: one step up the ladder: reminder → 督办 → 挂牌督办."""
    refuse_if_ruled_out(Action.SUPERVISE, case)
    level = case.supervision_level + 1

    def mutate(c: Case, now: dt.datetime) -> None:
        c.supervision_level = max(c.supervision_level + 1, level)

    return transition(
        case,
        actor,
        Action.SUPERVISE,
        expected_version=expected_version,
        change=Change(reason=note, payload={"level": level}),
        mutate=mutate,
    )


def extend(case: Case, *, actor: Actor, reason: str, expected_version: int | None = None) -> Case:
    """延期: approved by a leader, once per stage, by the policy's extension."""
    reason = need(reason, _("the reason"))

    def check(c: Case) -> None:
        # On the claimed state: once per stage, and only where the policy has an extension.
        refuse_if_ruled_out(Action.EXTEND, c)

    def mutate(c: Case, now: dt.datetime) -> None:
        assert c.policy is not None and c.due_at is not None
        c.due_at = extended_due(c.policy, c.due_at)
        c.extended = True
        c.assignments.filter(ended_at=None).update(due_at=c.due_at)

    return transition(
        case,
        actor,
        Action.EXTEND,
        expected_version=expected_version,
        change=Change(reason=reason),
        mutate=mutate,
        check=check,
        claim_first=True,
    )
