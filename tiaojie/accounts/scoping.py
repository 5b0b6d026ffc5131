"""The one place that decides which area and which cases a user may see (DESIGN §1, §7)."""

from __future__ import annotations

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
        return own | Q(**{f"{p}region__path__startswith": unit.region.path})
    return own
