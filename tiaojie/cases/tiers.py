"""The tiers a case moves between (village → town → district → leadership group), in one place.

Which center owns which tier, where a new case starts, which centers act on it, who takes it
when it goes up or comes back down, and when it goes up by itself. The case services, the
whistles, the reviews of the meetings and the demo's replay all ask here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tiaojie.accounts.models import Unit, UnitKind
from tiaojie.core.enums import CaseKind, RiskLevel, Tier
from tiaojie.regions.models import Region, RegionLevel

from .workflow import Action

if TYPE_CHECKING:
    from .models import Case

TIER_ORDER = [Tier.VILLAGE, Tier.TOWN, Tier.DISTRICT, Tier.LEADERSHIP]
# The tier each kind of center owns: a village committee the village's, a town center the
# town's, the district center the district's and the leadership group's (it staffs it).
CENTER_TIER: dict[str, Tier] = {
    UnitKind.VILLAGE_COMMITTEE: Tier.VILLAGE,
    UnitKind.TOWN_CENTER: Tier.TOWN,
    UnitKind.DISTRICT_CENTER: Tier.LEADERSHIP,
}
# The kind of center that works a case at each tier (the district center staffs the
# leadership group).
CENTER_KIND: dict[Tier, str] = {
    Tier.VILLAGE: UnitKind.VILLAGE_COMMITTEE,
    Tier.TOWN: UnitKind.TOWN_CENTER,
    Tier.DISTRICT: UnitKind.DISTRICT_CENTER,
    Tier.LEADERSHIP: UnitKind.DISTRICT_CENTER,
}


def rank(tier: str) -> int:
    """The tier's place from the bottom (village 0, leadership group 3)."""
    return TIER_ORDER.index(Tier(tier))


def above(tier: str) -> Tier:
    """The tier above ``tier`` (the leadership group has none: IndexError)."""
    return TIER_ORDER[rank(tier) + 1]


def below(tier: str) -> Tier:
    """The tier below ``tier``."""
    return TIER_ORDER[rank(tier) - 1]


def is_local(tier: str) -> bool:
    """A village or town tier: worked in the town, below the district center."""
    return rank(tier) < rank(Tier.DISTRICT)


def owns_tier(unit: Unit, tier: str) -> bool:
    """Whether ``unit`` is a center of the tier ``tier`` (district: district and above)."""
    own = CENTER_TIER.get(unit.kind)
    if own is None:
        return False
    if own == Tier.LEADERSHIP:
        return rank(tier) >= rank(Tier.DISTRICT)
    return own == tier


def reaches_tier(unit: Unit, tier: str) -> bool:
    """Whether ``unit``'s center acts at ``tier``: its own tier and the ones below it."""
    own = CENTER_TIER.get(unit.kind)
    return own is not None and rank(tier) <= rank(own)


def case_tier(region: Region, unit: Unit) -> Tier:
    """The tier a new case starts at, by its place and the unit that receives it."""
    tier = {RegionLevel.GRID: Tier.VILLAGE, RegionLevel.VILLAGE: Tier.VILLAGE}.get(
        RegionLevel(region.level), Tier.TOWN if region.level == RegionLevel.TOWN else Tier.DISTRICT
    )
    if tier == Tier.VILLAGE:
        # Registered at a town or district window, a village case starts with the town.
        tier = Tier.VILLAGE if unit.kind == UnitKind.VILLAGE_COMMITTEE else Tier.TOWN
    return tier


def review_tier(tier: str, decided_at: str) -> Tier:
    """Where a 复查/复核 request starts: the level above the one that decided looks again."""
    upper = TIER_ORDER[min(rank(decided_at) + 1, len(TIER_ORDER) - 1)]
    return max(Tier(tier), upper, key=TIER_ORDER.index)


def holding_tier(case: Case) -> Tier:
    """The tier that reviews the case now (研判): a village case is reviewed by its town."""
    tier = Tier(case.tier)
    return Tier.TOWN if tier == Tier.VILLAGE else tier


def center_for(case: Case, tier: Tier) -> Unit | None:
    """The governance center that owns ``tier`` for the case's place."""
    codes = case.region.path.rstrip("/").split("/")
    return (
        Unit.objects.filter(kind=CENTER_KIND[tier], region__code__in=codes, is_active=True)
        .order_by("-region__depth")
        .first()
    )


def start_tier(case: Case) -> Tier:
    """The tier the case started at: before its first escalation, else where it is."""
    first = (
        case.events.filter(action=Action.ESCALATE)
        .order_by("seq")
        .values_list("payload", flat=True)
        .first()
    )
    if first and first.get("from_tier") in Tier.values:
        return Tier(first["from_tier"])
    return Tier(case.tier)


def fails_upward(case: Case) -> bool:
    """Whether an unresolved ``case`` goes to the tier above by itself (services.fail)."""
    return case.kind != CaseKind.PETITION and is_local(case.tier)


def deescalation_refusal(case: Case) -> str:
    """Why the case cannot be handed back now, from its own state ("" when it can)."""
    if rank(case.tier) <= rank(start_tier(case)):
        return str(_("The case started at this tier; it cannot be handed further down."))
    if case.risk_level == RiskLevel.RED:
        return str(_("A red-risk case stays with the district while its risk is red."))
    return ""
