"""What a case's own state rules out, beyond the workflow table: each guard written once.

The table (cases/workflow.py) says who may take an action from which status. A few actions
also depend on the case itself: a case already with the leadership group, supervision
already at the top, a deadline that cannot be extended, a case that cannot be handed further
down. The case page leaves such an action out (``actions_for``) and the action's service
refuses it (``engine.refuse_if_ruled_out``), both by asking ``refusal`` here. Each service
asks where its answer belongs: escalate, hand back and supervise before anything else,
extend on the claimed row.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from tiaojie.core.enums import Tier

from .. import tiers
from ..models import Case, SupervisionLevel
from ..workflow import Action


def _tier_above(case: Case) -> str:
    if case.tier == Tier.LEADERSHIP:
        return str(_("The case is already with the leadership group."))
    return ""


def _supervision(case: Case) -> str:
    if case.supervision_level >= SupervisionLevel.LISTED:
        return str(_("The case is already listed for supervision."))
    return ""


def _extension(case: Case) -> str:
    if case.extended:
        return str(_("This stage has already been extended once."))
    if case.policy is None or not case.policy.extension_days or case.due_at is None:
        return str(_("This case's deadline cannot be extended."))
    return ""


GUARDS: dict[Action, Callable[[Case], str]] = {
    Action.ESCALATE: _tier_above,
    Action.SUPERVISE: _supervision,
    Action.EXTEND: _extension,
    Action.DEESCALATE: tiers.deescalation_refusal,
}


def refusal(action: Action, case: Case) -> str:
    """Why ``case``'s own state rules ``action`` out ("" when it does not)."""
    guard = GUARDS.get(action)
    return guard(case) if guard else ""
