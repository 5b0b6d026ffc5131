"""The one place that decides which area and which cases a user may see (DESIGN §1, §7).

A case-work user sees the cases of their unit's area (centers and village committees: the
region subtree), the cases their unit leads or first received, and the cases their unit has
an assignment on, or that a higher app says it also sees (``also_sees``: whistles adds the
cases a unit was summoned to). Everything else answers 404, exactly like a case that does
not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet

from tiaojie.accounts.models import Unit, UnitKind
from tiaojie.accounts.roles import CASEWORK_ROLES
from tiaojie.core import cache

# Centers and village committees see everything in their area; departments see only the
# cases they lead or first received (least privilege: 人社局 has no business reading a
# neighbours' quarrel it was never given).
AREA_UNIT_KINDS = frozenset(
    {UnitKind.DISTRICT_CENTER, UnitKind.TOWN_CENTER, UnitKind.VILLAGE_COMMITTEE}
)


# Other ways a unit comes to see a case, each registered by the app that makes them when it
# is ready (whistles: a department summoned by a whistle), so cases never imports them.
# A contribution takes the unit and its area (the region ids it sees whole, None for a
# department) and returns a values query of case ids, leaving out the cases in that area.
ScopeContribution = Callable[[Unit, "list[int] | None"], "QuerySet[Any, int]"]
_contributions: list[ScopeContribution] = []


def also_sees(contribution: ScopeContribution) -> ScopeContribution:
    """Register a rule by which a unit also sees cases outside its area and its own work."""
    if contribution not in _contributions:
        _contributions.append(contribution)
    return contribution


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
    area: list[int] | None = None
    if sees_whole_area(unit):
        if _is_whole_deployment(unit.region_id):
            # The district center of a one-county deployment sees every case: no filter
            # at all, so its lists and counts need no join with the region tree.
            return Q()
        area = region_ids_under(unit.region_id)
        own |= Q(**{f"{p}region_id__in": area})
    if worked := _assigned_elsewhere(unit, area):
        own |= Q(**{f"{p}pk__in": worked})
    return own


def _assigned_elsewhere(unit: Unit, area: list[int] | None) -> list[int]:
    """Cases the unit has (or had) an assignment on, or sees by a registered contribution,
    that the rest of its scope misses.

    An assisting unit sees the case it helps with, and keeps seeing it after its part ended
    (its check-in and report are part of the record). Passed as a list of ids rather than a
    subquery so PostgreSQL can still OR the scope's index scans together; the list is short
    because the cases it leads, received or has in its area are left out.
    """
    from tiaojie.cases.models import Assignment

    worked = Assignment.objects.filter(unit=unit).exclude(case__lead_unit=unit)
    worked = worked.exclude(case__first_unit=unit)
    if area is not None:
        worked = worked.exclude(case__region_id__in=area)
    ids = worked.order_by().values_list("case_id", flat=True)
    if _contributions:
        # One query for all of them.
        ids = ids.union(*(contribution(unit, area) for contribution in _contributions))
    return sorted(set(ids))


def _read_roots(_key: None) -> frozenset[int]:
    from tiaojie.regions.models import Region

    return frozenset(Region.objects.filter(parent=None).values_list("pk", flat=True))


def _read_subtree(region_id: int) -> tuple[list[int], frozenset[int]]:
    from tiaojie.regions.models import Region

    path = Region.objects.filter(pk=region_id).values_list("path", flat=True).first() or "\0"
    ids = list(Region.objects.filter(path__startswith=path).values_list("pk", flat=True))
    return ids, frozenset(ids)


# Every scoped query asks; the tree changes when regions are imported or grids added, which
# moves the "regions" version.
_roots = cache.register("cases.region_roots", _read_roots, depends_on=("regions",), maxsize=1)
_subtrees = cache.register(
    "cases.region_subtrees", _read_subtree, depends_on=("regions",), maxsize=4096
)


def _is_whole_deployment(region_id: int) -> bool:
    """True when this region is the one and only root of the tree."""
    return _roots.get(None) == {region_id}


def region_ids_under(region_id: int) -> list[int]:
    """Ids of a region and everything under it, kept per process until the tree changes.

    Scoped queries filter ``region_id = ANY(ids)``: PostgreSQL answers that from the index on
    cases.region_id and can OR it with the lead-unit and first-unit indexes, where a join on
    the path prefix reads far more rows (bench/lifecycle.py: 138 ms against 8 ms at a million
    cases). A town has a few hundred regions at most.
    """
    return _subtrees.get(region_id)[0]


def in_area(unit: Unit, region_id: int) -> bool:
    """True if ``region_id`` lies in the area of ``unit`` (no query while the cache holds)."""
    return _is_whole_deployment(unit.region_id) or region_id in _subtrees.get(unit.region_id)[1]


def is_under(region_id: int, top_id: int) -> bool:
    """True if ``region_id`` is ``top_id`` or lies under it (no query while the cache holds)."""
    return region_id in _subtrees.get(top_id)[1]
