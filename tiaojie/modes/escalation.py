"""急时 and 战时: an orange or red case goes straight to the tier above when it is accepted.

Registered with the case lifecycle (cases/hooks.py) and called inside the accepting
transaction, after the red-risk rule: a case that rule has already sent up is not sent up
again. Without a center above, the case stays.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from tiaojie.cases import services, tiers
from tiaojie.cases.models import Case
from tiaojie.core import clock
from tiaojie.core.enums import RiskLevel, Tier

from . import selectors

SENT_UP_IN_MODE = frozenset({RiskLevel.ORANGE, RiskLevel.RED})


def sent_up_in_mode(case: Case, accepted_tier: str) -> Case:
    """The accepted ``case``, sent to the tier above if the mode in force says so."""
    if case.risk_level not in SENT_UP_IN_MODE or case.tier == Tier.LEADERSHIP:
        return case
    if tiers.rank(case.tier) > tiers.rank(accepted_tier):
        return case  # already sent up (red risk goes to the district)
    period = selectors.active_for(case.region_id, clock.now())
    if period is None or not period.sends_up:
        return case
    if tiers.center_for(case, tiers.above(case.tier)) is None:
        return case
    return services.escalate(
        case,
        actor=services.SYSTEM,
        reason=_site_mode_reason(period, case),
        trigger="mode",
    )


def _site_mode_reason(period: selectors.ActivePeriod, case: Case) -> str:
    """Why the mode sent the case up, in the site's language (it goes into the history)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(mode)s dispatch mode: %(risk)s risk goes straight to the tier above.") % {
            "mode": period.label(),
            "risk": RiskLevel(case.risk_level).label,
        }
