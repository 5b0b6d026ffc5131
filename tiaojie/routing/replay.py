"""Rule replay (规则回放): past cases routed under a changed catalogue, before it is saved.

For each case received in the last N months the dispatcher may see, three answers are put
side by side, each a (tier, lead unit kind) pair:

- before: the active catalogue as it is now;
- after: the catalogue with the change;
- actual: what happened — the first time the case got a lead. That is its first lead
  assignment (交办), with the tier the case was at then (the tier before the first
  escalation or hand-back after it, else the case's tier now); or, if the case was
  escalated before it was ever assigned (red risk, say), that escalation's tier and the
  kind of the center that took it. ("", "") when it never got a lead.

Only cases whose answer changes (before ≠ after) are listed. The replay reads with
``values_list`` and matches against compiled catalogues, and answers each distinct matter
(kind, category, risk, place) once, so 100,000 cases take about a second (docs/benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from tiaojie.accounts.models import Unit
from tiaojie.cases.models import Assignment, AssignmentRole, Case, CaseEvent
from tiaojie.cases.selectors import cases_for_user
from tiaojie.core import clock
from tiaojie.core.errors import DomainError
from tiaojie.regions.models import Region

from . import engine
from .models import DispatchRule
from .services import check_rule

DEFAULT_MONTHS = 3
MAX_MONTHS = 24

Route = tuple[str, str]  # (tier, lead unit kind); ("", error code) when no rule or a tie
NOT_ROUTED: Route = ("", "")


@dataclass(frozen=True)
class Difference:
    case_code: str
    before: Route
    after: Route
    actual: Route


@dataclass(frozen=True)
class Replay:
    version: int  # the catalogue version the replay was made against
    since: dt.datetime
    total: int  # cases replayed
    routed: int  # of which actually got a lead
    agree_before: int  # routed cases whose actual routing the active catalogue gives
    agree_after: int  # ... and the changed one
    differences: list[Difference]


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time ``months`` calendar months earlier (the 31st → the month's last)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            day -= 1


def preview(rule: DispatchRule, *, user: Any, months: int = DEFAULT_MONTHS) -> Replay:
    """How the cases of the last ``months`` months would route with ``rule`` saved as it is.

    ``rule`` may be unsaved (a new rule) or a changed copy of a stored one; inactive means
    taken out. Raises DomainError when saving would be refused (a duplicate, say).
    """
    if not 1 <= months <= MAX_MONTHS:
        raise DomainError("months out of range", code="bad_input")
    version, current = engine.load()
    check_rule(rule, current.changed(None, without=rule.pk))
    candidate = current.changed(
        engine.compile_rule(rule) if rule.is_active else None, without=rule.pk
    )
    since = months_before(clock.now(), months)
    cases = cases_for_user(user).filter(received_at__gte=since)
    return compare(current, candidate, cases, version=version, since=since)


def compare(
    current: engine.Catalogue,
    candidate: engine.Catalogue,
    cases: QuerySet[Case],
    *,
    version: int = 0,
    since: dt.datetime | None = None,
) -> Replay:
    rows = list(
        cases.order_by("-received_at", "-id").values_list(
            "pk", "code", "kind", "category", "risk_level", "region_id", "tier"
        )
    )
    actual = actual_routes(cases, {row[0]: row[6] for row in rows})
    # A case's place matters to the match only through the deepest rule region that holds it,
    # so the answers are worked out once per (kind, category, risk, that region): a few
    # hundred matches for any number of cases. Places are read by id, without a join.
    paths = dict(Region.objects.order_by().values_list("pk", "path"))
    scopes = sorted({r.region_path for r in (*current.rules, *candidate.rules)}, key=len)
    scope_of: dict[int, str] = {}
    answers: dict[tuple[str, str, str, str], tuple[Route, Route]] = {}
    differences = []
    routed = agree_before = agree_after = 0
    for pk, code, kind, category, risk, region_id, _tier in rows:
        scope = scope_of.get(region_id)
        if scope is None:
            path = paths[region_id]
            deepest = (s for s in reversed(scopes) if path.startswith(s))
            scope = scope_of[region_id] = next(deepest, "")
        matter = (kind, category, risk, scope)
        pair = answers.get(matter)
        if pair is None:
            pair = answers[matter] = (_answer(current, matter), _answer(candidate, matter))
        before, after = pair
        happened = actual.get(pk, NOT_ROUTED)
        if happened != NOT_ROUTED:
            routed += 1
            agree_before += before == happened
            agree_after += after == happened
        if before != after:
            differences.append(Difference(code, before, after, happened))
    return Replay(
        version=version,
        since=since or dt.datetime.min.replace(tzinfo=dt.UTC),
        total=len(rows),
        routed=routed,
        agree_before=agree_before,
        agree_after=agree_after,
        differences=differences,
    )


def _answer(catalogue: engine.Catalogue, matter: tuple[str, str, str, str]) -> Route:
    try:
        rule = catalogue.match(*matter)
    except DomainError as exc:
        return ("", exc.code)
    return (rule.tier, rule.lead_kind)


def actual_routes(cases: QuerySet[Case], tiers: dict[int, str]) -> dict[int, Route]:
    """{case id: (tier, lead unit kind)} at the first time each case got a lead.

    ``tiers``: each case's tier now. Cases never given a lead are left out. No time is read
    into Python (converting 100,000 of them is most of the cost): the database orders the
    assignments and tells for each tier move whether a lead had been assigned before it.
    """
    ids = cases.order_by().values("pk")
    kinds = dict(Unit.objects.order_by().values_list("pk", "kind"))
    leads = Assignment.objects.filter(case__in=ids, role=AssignmentRole.LEAD)
    first_lead: dict[int, str] = {}
    for case_id, unit_id in leads.order_by("case_id", "assigned_at", "pk").values_list(
        "case_id", "unit_id"
    ):
        first_lead.setdefault(case_id, kinds.get(unit_id, ""))
    # Tier moves (escalation; a hand-back too if it records the same keys), oldest first,
    # each marked with whether the case had a lead assignment by then.
    assigned_before = Assignment.objects.filter(
        case=OuterRef("case_id"), role=AssignmentRole.LEAD, assigned_at__lte=OuterRef("at")
    )
    moves: dict[int, list[tuple[bool, dict[str, Any]]]] = {}
    for case_id, after_lead, payload in (
        CaseEvent.objects.filter(case__in=ids, payload__has_key="to_tier")
        .annotate(after_lead=Exists(assigned_before))
        .order_by("case_id", "seq")
        .values_list("case_id", "after_lead", "payload")
    ):
        moves.setdefault(case_id, []).append((after_lead, payload))
    out: dict[int, Route] = {}
    for case_id in first_lead.keys() | moves.keys():
        lead = first_lead.get(case_id)
        case_moves = moves.get(case_id, [])
        if case_moves and (lead is None or not case_moves[0][0]):
            # Moved before anyone was assigned: the center that took it over.
            payload = case_moves[0][1]
            out[case_id] = (str(payload["to_tier"]), kinds.get(payload.get("to_unit") or 0, ""))
            continue
        later = [p for after_lead, p in case_moves if after_lead]
        # The tier the case had when assigned: what the first later move started from, or,
        # if it never moved, the tier it has now.
        tier = str(later[0].get("from_tier", "")) if later else tiers.get(case_id, "")
        out[case_id] = (tier, lead or "")
    return out
