"""The monthly meeting's agenda, computed from the cases of the meeting's area. Reads only.

Headings (``AgendaHeading``), for the month [start, end) and the moment ``now`` it is drawn up:

red_orange
    Open cases at red or orange risk, red first, oldest first.
overdue
    Cases on the clock (open, not suspended) whose deadline passed before ``now``.
escalated
    Cases escalated (提级) during the month, one line per case: first tier → last tier.
repeat_petitioners
    People who petitioned during the month and have at least two petitions in the area up to
    its end. A person is the same by the keyed hash of the ID number (one ``Person`` row);
    people registered without one are matched by the keyed hash of their phone. Only the
    masked name is kept (张**), never the number.
rises
    Cases received, by town × type, this month against the previous month; the largest rises
    first (ties: more cases this month, then the town's code, then the type).

Everything is counted through ``cases.selectors.countable``: a case merged into another counts
once, as the survivor. Each heading keeps at most ``LIMIT`` lines; its full count is returned
beside them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.cases.models import Case, CaseEvent, Party, PartyRole
from tiaojie.cases.scoping import region_ids_under
from tiaojie.cases.selectors import RUNNING, countable
from tiaojie.cases.workflow import OPEN, Action
from tiaojie.core.enums import CaseKind, Category, RiskLevel, Tier
from tiaojie.core.idnumber import mask_name
from tiaojie.regions.models import Region, RegionLevel

from .models import AgendaHeading

LIMIT = 50
RISES_SHOWN = 5


@dataclass(frozen=True)
class Draft:
    """One agenda line before it is stored."""

    heading: AgendaHeading
    title: str
    case_id: int | None = None
    case_code: str = ""
    detail: str = ""
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Agenda:
    items: list[Draft]
    totals: dict[str, int]


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month's first moment and the next month's, in the center's time zone."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=tz),
        dt.datetime.combine(following, dt.time(), tzinfo=tz),
    )


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def cases_in(region: Region) -> QuerySet[Case]:
    """The area's cases, each counted once (merged cases left out)."""
    return countable(Case.objects.filter(region_id__in=region_ids_under(region.pk)))


def build(region: Region, month: dt.date, *, now: dt.datetime) -> Agenda:
    scoped = cases_in(region)
    start, end = month_bounds(month)
    sections = {
        AgendaHeading.RED_ORANGE: _red_orange(scoped),
        AgendaHeading.OVERDUE: _overdue(scoped, now),
        AgendaHeading.ESCALATED: _escalated(scoped, start, end),
        AgendaHeading.REPEAT_PETITIONERS: _repeat_petitioners(scoped, start, end),
        AgendaHeading.RISES: _rises(region, scoped, month),
    }
    items: list[Draft] = []
    totals: dict[str, int] = {}
    for heading, drafts in sections.items():
        totals[heading.value] = len(drafts)
        items.extend(drafts[: RISES_SHOWN if heading == AgendaHeading.RISES else LIMIT])
    return Agenda(items, totals)


def _label(enum: Any, value: str) -> str:
    return str(enum(value).label) if value in enum.values else value


def _case_line(case: Case) -> str:
    unit = case.lead_unit.short_name or case.lead_unit.name if case.lead_unit else "—"
    return f"{case.region.name} · {case.get_status_display()} · {unit}"


def _red_orange(scoped: QuerySet[Case]) -> list[Draft]:
    cases = (
        scoped.filter(status__in=OPEN, risk_level__in=[RiskLevel.RED, RiskLevel.ORANGE])
        .select_related("region", "lead_unit")
        .order_by("received_at", "id")
    )
    ordered = sorted(cases, key=lambda c: c.risk_level != RiskLevel.RED)  # stable: red first
    return [
        Draft(
            AgendaHeading.RED_ORANGE,
            c.title,
            c.pk,
            c.code,
            f"{c.get_risk_level_display()} · {_case_line(c)}",
            {"risk": c.risk_level},
        )
        for c in ordered
    ]


def _overdue(scoped: QuerySet[Case], now: dt.datetime) -> list[Draft]:
    cases = (
        scoped.filter(status__in=RUNNING, due_at__lt=now)
        .select_related("region", "lead_unit")
        .order_by("due_at", "id")
    )
    drafts = []
    for c in cases:
        assert c.due_at is not None
        due = timezone.localdate(c.due_at)
        days = (timezone.localdate(now) - due).days
        drafts.append(
            Draft(
                AgendaHeading.OVERDUE,
                c.title,
                c.pk,
                c.code,
                _("Due %(date)s, %(days)s days overdue") % {"date": due.isoformat(), "days": days}
                + f" · {_case_line(c)}",
                {"due": due.isoformat(), "days_overdue": days},
            )
        )
    return drafts


def _escalated(scoped: QuerySet[Case], start: dt.datetime, end: dt.datetime) -> list[Draft]:
    events = (
        CaseEvent.objects.filter(action=Action.ESCALATE, at__gte=start, at__lt=end, case__in=scoped)
        .order_by("at", "seq")
        .values_list("case_id", "payload", "at")
    )
    moves: dict[int, list[tuple[str, str, dt.datetime]]] = defaultdict(list)
    for case_id, payload, at in events:
        moves[case_id].append((payload.get("from_tier", ""), payload.get("to_tier", ""), at))
    cases = Case.objects.filter(pk__in=moves).select_related("region", "lead_unit").in_bulk()
    drafts = []
    for case_id, steps in moves.items():  # first escalation of the month first
        c = cases[case_id]
        first, last = _label(Tier, steps[0][0]), _label(Tier, steps[-1][1])
        drafts.append(
            Draft(
                AgendaHeading.ESCALATED,
                c.title,
                c.pk,
                c.code,
                f"{first} → {last} · {timezone.localtime(steps[0][2]):%Y-%m-%d} · {_case_line(c)}",
                {"from_tier": steps[0][0], "to_tier": steps[-1][1], "times": len(steps)},
            )
        )
    return drafts


def _repeat_petitioners(
    scoped: QuerySet[Case], start: dt.datetime, end: dt.datetime
) -> list[Draft]:
    petitions = scoped.filter(kind=CaseKind.PETITION, received_at__lt=end)
    rows = (
        Party.objects.filter(role=PartyRole.APPLICANT, case__in=petitions)
        .order_by("case__received_at", "case_id")
        .values_list(
            "person_id",
            "person__id_number_hash",
            "person__phone_hash",
            "person__name",
            "case_id",
            "case__code",
            "case__received_at",
        )
    )
    people: dict[tuple[str, Any], dict[str, Any]] = {}
    for person_id, id_hash, phone_hash, name, case_id, code, received in rows:
        key: tuple[str, Any] = (
            ("id", id_hash)
            if id_hash
            else ("phone", phone_hash)
            if phone_hash
            else ("p", person_id)
        )
        entry = people.setdefault(key, {"name": name, "cases": {}})
        entry["name"] = name
        entry["cases"][case_id] = (code, received)
    drafts = []
    for entry in people.values():
        cases = entry["cases"]
        recent = [pk for pk, (_code, received) in cases.items() if received >= start]
        if len(cases) < 2 or not recent:
            continue
        masked = mask_name(entry["name"])
        drafts.append(
            Draft(
                AgendaHeading.REPEAT_PETITIONERS,
                masked,
                recent[-1],
                cases[recent[-1]][0],
                _("%(n)s petitions, %(m)s this month") % {"n": len(cases), "m": len(recent)},
                {
                    "petitions": len(cases),
                    "this_month": len(recent),
                    "cases": [code for code, _received in cases.values()],
                },
            )
        )
    drafts.sort(key=lambda d: (-d.figures["petitions"], -d.figures["this_month"], d.title))
    return drafts


def _towns_of(region: Region) -> dict[int, Region]:
    """Region id → its town, for every region at or under a town in ``region``'s subtree."""
    under = Region.objects.filter(path__startswith=region.path)
    towns = {r.path: r for r in under.filter(level=RegionLevel.TOWN)}
    mapping = {}
    for pk, path in under.values_list("pk", "path"):
        for town_path, town in towns.items():
            if path.startswith(town_path):
                mapping[pk] = town
                break
    return mapping


def _rises(region: Region, scoped: QuerySet[Case], month: dt.date) -> list[Draft]:
    start, end = month_bounds(month)
    before, _start = month_bounds(previous_month(month))
    counts = (
        scoped.filter(received_at__gte=before, received_at__lt=end)
        .values("region_id", "category")
        .annotate(
            this=Count("id", filter=Q(received_at__gte=start)),
            previous=Count("id", filter=Q(received_at__lt=start)),
        )
        .order_by()
    )
    towns = _towns_of(region)
    totals: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    by_pk: dict[int, Region] = {}
    for row in counts:
        town = towns.get(row["region_id"])
        if town is None:
            continue  # a case placed above any town (the district itself)
        by_pk[town.pk] = town
        pair = totals[(town.pk, row["category"])]
        pair[0] += row["this"]
        pair[1] += row["previous"]
    rises = [
        (this - previous, this, previous, by_pk[town_pk], category)
        for (town_pk, category), (this, previous) in totals.items()
        if this > previous
    ]
    rises.sort(key=lambda r: (-r[0], -r[1], r[3].code, r[4]))
    return [
        Draft(
            AgendaHeading.RISES,
            f"{town.name} · {_label(Category, category)}",
            None,
            "",
            _("%(this)s this month, %(previous)s the month before (+%(rise)s)")
            % {"this": this, "previous": previous, "rise": rise},
            {
                "town": town.code,
                "town_name": town.name,
                "category": category,
                "this": this,
                "previous": previous,
                "rise": rise,
                "from": start.date().isoformat(),
                "to": (end - dt.timedelta(days=1)).date().isoformat(),
            },
        )
        for rise, this, previous, town, category in rises
    ]
