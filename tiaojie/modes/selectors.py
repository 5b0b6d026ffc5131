"""Reading the dispatch modes: which mode holds for a place at a time, the banner, the log.

The lifecycle asks ``active_for`` on every deadline it sets, so the running and scheduled
periods are kept in process memory. Saving a period or a setting moves the "modes" cache
version in the same transaction, and every process reads the periods again at its next
request or task (tiaojie.core.cache). Periods that end by the clock need no change: readers
check ``running_at``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from tiaojie.accounts.models import UnitKind, User
from tiaojie.accounts.roles import DIRECTOR_ROLES, SUPERVISOR_ROLES, TIER_MOVER_ROLES, Role
from tiaojie.cases import scoping
from tiaojie.core import cache
from tiaojie.regions.models import Region, RegionLevel

from .models import SENDS_UP, STRICTNESS, Mode, ModePeriod, ModeSetting

# What a mode does when its setting row is missing (a flushed test database, or deleted by
# an admin): the same as the defaults migration 0002 writes.
FALLBACK_FACTOR = {Mode.NORMAL: 1.0, Mode.URGENT: 0.5, Mode.WARTIME: 0.25}
FALLBACK_ROLES = {
    Mode.NORMAL: [],
    Mode.URGENT: [Role.LEADER, Role.DISPATCHER],
    Mode.WARTIME: [Role.LEADER, Role.DISPATCHER, Role.TOWN_STAFF],
}


@dataclass(frozen=True)
class ActivePeriod:
    """A running or scheduled period, as the cache keeps it."""

    id: int
    mode: Mode
    scope_id: int
    scope_name: str
    covers_everything: bool  # the scope is the root of the region tree
    starts_at: dt.datetime
    until: dt.datetime
    reason: str
    factor: float

    def running_at(self, at: dt.datetime) -> bool:
        return self.starts_at <= at < self.until

    def covers(self, region_id: int) -> bool:
        return self.covers_everything or scoping.is_under(region_id, self.scope_id)

    @property
    def strictness(self) -> tuple[float, int]:
        """Sorts the strictest first: the smaller factor, then the stricter mode."""
        return (self.factor, -STRICTNESS[self.mode])

    @property
    def sends_up(self) -> bool:
        return self.mode in SENDS_UP

    def label(self) -> str:
        return str(Mode(self.mode).label)


def _load(now: dt.datetime) -> list[ActivePeriod]:
    # Periods that ended before ``now`` are left out; later ones are kept and checked by time.
    factor = ModeSetting.objects.filter(mode=OuterRef("mode")).values("deadline_factor")[:1]
    rows = (
        ModePeriod.objects.filter(ends_at__gt=now)
        .filter(Q(ended_at=None) | Q(ended_at__gt=now))
        .annotate(factor=Subquery(factor))
        .values_list(
            "id",
            "mode",
            "scope_id",
            "scope__name",
            "scope__parent_id",
            "starts_at",
            "ends_at",
            "ended_at",
            "reason",
            "factor",
        )
        .order_by("starts_at", "id")
    )
    periods = []
    for pk, mode, scope_id, name, parent_id, starts, ends, ended, reason, fac in rows:
        periods.append(
            ActivePeriod(
                id=pk,
                mode=Mode(mode),
                scope_id=scope_id,
                scope_name=name,
                covers_everything=parent_id is None,
                starts_at=starts,
                until=min(ends, ended) if ended else ends,
                reason=reason,
                factor=float(fac) if fac is not None else FALLBACK_FACTOR[Mode(mode)],
            )
        )
    return periods


def _read_periods(_key: None) -> list[ActivePeriod]:
    return _load(timezone.now())


_periods = cache.register(
    "modes.current_periods", _read_periods, depends_on=("modes", "regions"), maxsize=1
)


def current_periods() -> list[ActivePeriod]:
    """Periods not over when last read (running or scheduled): check them with ``running_at``."""
    return _periods.get(None)


def active_for(region_id: int | None, at: dt.datetime) -> ActivePeriod | None:
    """The strictest period running at ``at`` whose scope holds the region (None: 平时).

    A town's mode and the district's may overlap; the one with the smaller deadline factor
    (then the stricter mode) applies.
    """
    if region_id is None:
        return None
    running = [p for p in current_periods() if p.running_at(at) and p.covers(region_id)]
    return min(running, key=lambda p: p.strictness) if running else None


def deadline_factor(region_id: int | None, at: dt.datetime) -> float:
    """The share of a normal deadline that applies to a case in ``region_id`` at ``at``."""
    period = active_for(region_id, at)
    return period.factor if period else 1.0


def sends_up(region_id: int | None, at: dt.datetime) -> bool:
    """Whether orange and red cases accepted here now go straight to the tier above."""
    period = active_for(region_id, at)
    return bool(period and period.sends_up)


def banner_for(user: Any) -> list[ActivePeriod]:
    """The running periods that concern this staff member's area (theirs, above or below it)."""
    if not getattr(user, "is_authenticated", False):
        return []
    periods = current_periods()
    if not periods:
        return []
    now = timezone.now()
    unit = user.unit if user.unit_id else None
    shown = []
    for p in periods:
        if p.mode == Mode.NORMAL or not p.running_at(now):
            continue
        if unit is None or p.covers(unit.region_id) or scoping.is_under(p.scope_id, unit.region_id):
            shown.append(p)
    return sorted(shown, key=lambda p: p.strictness)


# --- who may switch where ---------------------------------------------------------------------
DISTRICT_SWITCH_ROLES = DIRECTOR_ROLES
TOWN_SWITCH_ROLES = TIER_MOVER_ROLES
# Who may read the log of modes (the banner is shown to every staff member).
READ_ROLES = SUPERVISOR_ROLES


def switch_scopes(user: User) -> list[Region]:
    """The scopes this user may switch: a district center's whole district and each of its
    towns; a town center's own town. Nobody else switches anything."""
    if not scoping.works_cases(user):
        return []
    unit = user.unit
    assert unit is not None
    if unit.kind == UnitKind.DISTRICT_CENTER and user.role_codes & DISTRICT_SWITCH_ROLES:
        towns = Region.objects.filter(parent_id=unit.region_id, level=RegionLevel.TOWN)
        return [unit.region, *towns.order_by("code")]
    if unit.kind == UnitKind.TOWN_CENTER and user.role_codes & TOWN_SWITCH_ROLES:
        return [unit.region]
    return []


def may_switch(user: User, scope: Region) -> bool:
    return any(r.pk == scope.pk for r in switch_scopes(user))


def may_read(user: User) -> bool:
    return scoping.works_cases(user) and bool(user.role_codes & READ_ROLES)


def periods_for_user(user: User) -> QuerySet[ModePeriod]:
    """The log: every period whose scope is the user's area, above it or below it."""
    unit = user.unit
    if not may_read(user) or unit is None:
        return ModePeriod.objects.none()
    region = unit.region
    above = region.path.rstrip("/").split("/")
    return (
        ModePeriod.objects.filter(Q(scope__code__in=above) | Q(scope__path__startswith=region.path))
        .select_related("scope", "started_by", "ended_by")
        .order_by("-starts_at", "-id")
    )


@dataclass(frozen=True)
class Effect:
    """What a mode does, from its setting row or the defaults."""

    mode: Mode
    factor: float
    notify_roles: list[str]
    notify_unit_ids: list[int]


def effects() -> list[Effect]:
    rows = {s.mode: s for s in ModeSetting.objects.prefetch_related("notify_units")}
    found = []
    for mode in Mode:
        row = rows.get(mode)
        if row is None:
            found.append(Effect(mode, FALLBACK_FACTOR[mode], list(FALLBACK_ROLES[mode]), []))
        else:
            units = [u.pk for u in row.notify_units.all()]
            found.append(Effect(mode, float(row.deadline_factor), list(row.notify_roles), units))
    return found


def effect_of(mode: str) -> Effect:
    return next(e for e in effects() if e.mode == mode)


def settings_table() -> list[tuple[str, float, list[str]]]:
    """Each mode with its deadline factor and the roles also told, for the page."""
    labels = dict(Role.choices)
    return [
        (str(e.mode.label), e.factor, [str(labels.get(r, r)) for r in e.notify_roles])
        for e in effects()
    ]
