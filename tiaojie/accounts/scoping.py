"""The one place that decides which area and which cases a user may see (DESIGN §1, §7)."""

from __future__ import annotations

import time
from typing import Any

from django.db.models import Q

from tiaojie.accounts.models import Unit, UnitKind
from tiaojie.accounts.roles import CASEWORK_ROLES

# Centers and village committees see everything in their area; departments see only the
# cases they lead or first received (least privilege: 人社局 has no business reading a
# neighbours' quarrel it was never given).
AREA_UNIT_KINDS = frozenset(
    {UnitKind.DISTRICT_CENTER, UnitKind.TOWN_CENTER, UnitKind.VILLAGE_COMMITTEE}
)


def works_cases(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.unit_id
        and user.role_codes & CASEWORK_ROLES
    )


def sees_whole_area(unit: Unit) -> bool:
    return unit.kind in AREA_UNIT_KINDS


def case_scope_q(user: Any, *, prefix: str = "") -> Q | None:
    """A filter on cases (or on a relation to them, via ``prefix``) for this user.

    None means the user sees no cases at all.
    """
    if not works_cases(user):
        return None
    unit = user.unit
    p = f"{prefix}__" if prefix else ""
    own = Q(**{f"{p}lead_unit": unit}) | Q(**{f"{p}first_unit": unit})
    if sees_whole_area(unit):
        if _is_whole_deployment(unit.region_id):
            # The district center of a one-county deployment sees every case: no filter
            # at all, so its lists and counts need no join with the region tree.
            return Q()
        return own | Q(**{f"{p}region__path__startswith": unit.region.path})
    return own


_ROOTS_SECONDS = 60
_roots: tuple[float, frozenset[int]] = (0.0, frozenset())


def _is_whole_deployment(region_id: int) -> bool:
    """True when this region is the one and only root of the tree (checked once a minute)."""
    global _roots
    now = time.monotonic()
    if now - _roots[0] > _ROOTS_SECONDS:
        from tiaojie.regions.models import Region

        _roots = (now, frozenset(Region.objects.filter(parent=None).values_list("pk", flat=True)))
    return _roots[1] == {region_id}


def clear_cache() -> None:
    global _roots
    _roots = (0.0, frozenset())
