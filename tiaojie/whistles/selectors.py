"""Reads of whistles: a case's whistles, the list of check-ins, the evaluation's counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from tiaojie.accounts.models import Unit
from tiaojie.cases.models import Case
from tiaojie.cases.selectors import cases_for_user
from tiaojie.core.errors import NotFound
from tiaojie.regions.models import Region

from .models import CallStatus, Whistle, WhistleCall


def whistles_of(case: Case) -> list[Whistle]:
    """The case's whistles, newest first, each with its calls (the case is already scoped)."""
    calls = WhistleCall.objects.select_related("unit", "checked_in_by").order_by("unit__name")
    return list(
        case.whistles.select_related("raised_by", "raised_by_unit", "closed_by").prefetch_related(
            Prefetch("calls", queryset=calls)
        )
    )


def whistle_for_user(user: Any, code: str, pk: int) -> Whistle:
    """One whistle of a case the user may see, or NotFound (unknown and out of scope alike)."""
    whistle = (
        Whistle.objects.filter(pk=pk, case__code=code, case__in=cases_for_user(user))
        .select_related("case", "raised_by", "raised_by_unit")
        .first()
    )
    if whistle is None:
        raise NotFound("whistle not found")
    return whistle


@dataclass(frozen=True)
class Period:
    """Calendar days from ``start`` to ``end``, both included, in the site's time zone; an
    end left out is open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def q(self, field: str) -> Q:
        zone = timezone.get_current_timezone()
        q = Q()
        if self.start:
            q &= Q(**{f"{field}__gte": dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)})
        if self.end:
            after = self.end + dt.timedelta(days=1)
            q &= Q(**{f"{field}__lt": dt.datetime.combine(after, dt.time.min, tzinfo=zone)})
        return q


def _absent_q(now: dt.datetime) -> Q:
    """Absent: marked by the sweeper, or past the deadline before the sweeper came by."""
    return Q(status=CallStatus.ABSENT) | Q(status=CallStatus.PENDING, due_at__lte=now)


@dataclass(frozen=True)
class CallFilters:
    town: Region | None = None
    unit: Unit | None = None
    period: Period = Period()
    # "failed" (late or absent, the default), "" (all) or one CallStatus value.
    status: str = "failed"


def calls_for_user(user: Any, f: CallFilters) -> QuerySet[WhistleCall]:
    """Check-ins on whistles of cases the user may see, newest whistle first."""
    now = timezone.now()
    qs = WhistleCall.objects.filter(whistle__case__in=cases_for_user(user))
    qs = qs.filter(f.period.q("whistle__raised_at"))
    if f.town is not None:
        qs = qs.filter(whistle__case__region__path__startswith=f.town.path)
    if f.unit is not None:
        qs = qs.filter(unit=f.unit)
    if f.status == "failed":
        qs = qs.filter(Q(status=CallStatus.LATE) | _absent_q(now))
    elif f.status == CallStatus.ABSENT:
        qs = qs.filter(_absent_q(now))
    elif f.status == CallStatus.PENDING:
        qs = qs.filter(status=CallStatus.PENDING, due_at__gt=now)
    elif f.status:
        qs = qs.filter(status=f.status)
    return qs.select_related(
        "unit", "checked_in_by", "whistle__case__region", "whistle__raised_by_unit"
    ).order_by("-whistle__raised_at", "whistle_id", "unit__name")


@dataclass(frozen=True)
class DepartmentTally:
    """One department's check-ins in a period: how often summoned and how it answered."""

    unit: Unit
    summoned: int
    on_time: int
    late: int
    absent: int
    pending: int

    @property
    def failed(self) -> int:
        return self.late + self.absent


def late_checkins(period: Period, region: Region) -> list[DepartmentTally]:
    """Per department, the whistles of ``period`` on cases in ``region`` and how it checked
    in: the evaluation's (考核) count of late and absent check-ins. Departments with the
    most late or absent come first; released calls (whistle closed before their deadline)
    are not counted at all."""
    now = timezone.now()
    rows = list(
        WhistleCall.objects.filter(period.q("whistle__raised_at"))
        .filter(whistle__case__region__path__startswith=region.path)
        .exclude(status=CallStatus.RELEASED)
        .values("unit_id")
        .annotate(
            summoned=Count("id"),
            on_time=Count("id", filter=Q(status=CallStatus.ON_TIME)),
            came_late=Count("id", filter=Q(status=CallStatus.LATE)),
            absent=Count("id", filter=_absent_q(now)),
            pending=Count("id", filter=Q(status=CallStatus.PENDING, due_at__gt=now)),
        )
        .order_by()
    )
    units = Unit.objects.in_bulk([row["unit_id"] for row in rows])
    tallies = [
        DepartmentTally(
            unit=units[row["unit_id"]],
            summoned=row["summoned"],
            on_time=row["on_time"],
            late=row["came_late"],
            absent=row["absent"],
            pending=row["pending"],
        )
        for row in rows
    ]
    return sorted(tallies, key=lambda t: (-t.failed, -t.summoned, t.unit.name))
