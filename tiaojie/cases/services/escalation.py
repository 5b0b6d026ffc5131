"""Moving a case between tiers: escalate (提级), hand back (交回), and the risk that moves it.

Escalation by hand, by the deadline sweeper, on failure at a lower tier, on red risk and in a
dispatch mode all go through ``move_up``; where a tier's center is and which tier is above
are cases/tiers.py's.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tiaojie.accounts.models import Unit
from tiaojie.core.enums import RiskLevel, Tier
from tiaojie.core.errors import DomainError

from .. import policies, tiers
from ..models import Case
from ..workflow import Action, EscalationTrigger, rule_for
from .engine import (
    SYSTEM,
    Actor,
    Change,
    due_from,
    in_site_language,
    need,
    refuse_if_ruled_out,
    transition,
)


def escalate(
    case: Case,
    *,
    actor: Actor,
    reason: str,
    expected_version: int | None = None,
    trigger: str = EscalationTrigger.HAND,
) -> Case:
    """提级: the next tier's center takes the case over; the lower tier still sees it.

    ``trigger`` says why (by hand, deadline, failure to resolve, red risk, dispatch mode);
    it is kept in the event and shown in the history.
    """
    reason = need(reason, _("the reason"))
    if trigger not in EscalationTrigger.values:
        raise DomainError(_("Unknown reason for escalating."), code="invalid_input")
    refuse_if_ruled_out(Action.ESCALATE, case)  # before asking for the tier above
    upper = tiers.above(case.tier)
    return move_up(
        case,
        actor=actor,
        reason=reason,
        to_tier=upper,
        trigger=trigger,
        expected_version=expected_version,
    )


def move_up(
    case: Case,
    *,
    actor: Actor,
    reason: str,
    to_tier: Tier,
    trigger: str,
    expected_version: int | None = None,
) -> Case:
    """The center of ``to_tier`` takes the case over: every escalation (by hand, deadline,
    failure, red risk, dispatch mode) ends here."""
    center = tiers.center_for(case, to_tier)
    if center is None:
        raise DomainError(_("No governance center is set up for the tier above."), code="no_center")

    def mutate(c: Case, now: dt.datetime) -> None:
        hand_to(c, now, tier=to_tier, center=center)
        if c.accepted_at is None:
            c.accepted_at = now

    return transition(
        case,
        actor,
        Action.ESCALATE,
        expected_version=expected_version,
        change=Change(
            reason=reason,
            payload={
                "from_tier": case.tier,
                "to_tier": to_tier,
                "to_unit": center.pk,
                "trigger": trigger,
            },
        ),
        mutate=mutate,
        claim_first=True,
    )


def hand_to(c: Case, now: dt.datetime, *, tier: Tier, center: Unit) -> None:
    """The case starts afresh with ``center`` at ``tier`` (escalation and 交回 alike)."""
    c.assignments.filter(ended_at=None).update(ended_at=now)
    c.tier = tier
    c.lead_unit = center
    c.handler = None
    c.stage_started_at = now
    if c.policy_id is None:
        c.policy = policies.policy(policies.handling_policy_code(c.kind, c.category))
    c.due_at = due_from(c.policy, now)  # type: ignore[arg-type]
    c.extended = False
    # An earlier failure stays in the history, not on the case, and a paused clock restarts
    # with the new deadline.
    c.suspended_at = None
    c.concluded_at = None
    c.outcome = ""


def red_goes_up(case: Case) -> Case:
    """红色风险立即提级: a red case below the district goes to the district center at once.

    Called inside the transaction that accepted the case or raised its risk. A case not
    being worked (registered, awaiting its follow-up) goes up when it is accepted; without
    a district center nothing moves.
    """
    if (
        case.risk_level != RiskLevel.RED
        or not tiers.is_local(case.tier)
        or case.status not in rule_for(Action.ESCALATE).sources
        or tiers.center_for(case, Tier.DISTRICT) is None
    ):
        return case
    return move_up(
        case,
        actor=SYSTEM,
        reason=in_site_language(
            gettext_noop("Red risk: the district center takes the case at once.")
        ),
        to_tier=Tier.DISTRICT,
        trigger=EscalationTrigger.RED_RISK,
    )


def deescalate(
    case: Case, *, actor: Actor, reason: str, expected_version: int | None = None
) -> Case:
    """交回: the center of the case's tier hands it back to the tier below, with a reason.

    Never below the tier the case started at, and not while its risk is red. The lower
    center leads it again under a new deadline from the case's policy.
    """
    reason = need(reason, _("the reason"))
    refuse_if_ruled_out(Action.DEESCALATE, case)
    lower = tiers.below(case.tier)
    center = tiers.center_for(case, lower)
    if center is None:
        raise DomainError(_("No governance center is set up for the tier below."), code="no_center")

    def mutate(c: Case, now: dt.datetime) -> None:
        hand_to(c, now, tier=lower, center=center)

    return transition(
        case,
        actor,
        Action.DEESCALATE,
        expected_version=expected_version,
        change=Change(
            reason=reason,
            payload={"from_tier": case.tier, "to_tier": lower, "to_unit": center.pk},
        ),
        mutate=mutate,
        claim_first=True,
    )


def set_risk(
    case: Case,
    *,
    actor: Actor,
    risk_level: str,
    reason: str,
    expected_version: int | None = None,
) -> Case:
    """风险等级: raise or lower the case's risk, with a reason. Raised to red, a case below
    the district goes to the district center at once (same transaction)."""
    if risk_level not in RiskLevel.values:
        raise DomainError(_("Choose a risk level."), code="invalid_input")
    reason = need(reason, _("the reason"))
    if risk_level == case.risk_level:
        raise DomainError(_("The case already has this risk level."), code="same_risk")
    before = case.risk_level

    def mutate(c: Case, now: dt.datetime) -> None:
        c.risk_level = risk_level

    with transaction.atomic():
        changed = transition(
            case,
            actor,
            Action.SET_RISK,
            expected_version=expected_version,
            change=Change(reason=reason, payload={"from": before, "to": risk_level}),
            mutate=mutate,
        )
        return red_goes_up(changed)
