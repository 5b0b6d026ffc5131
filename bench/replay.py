"""Rule replay over 100,000 cases: the preview a dispatcher waits for before saving a change.

    .venv/bin/python bench/replay.py                       # SQLite, scratch file
    .ci/with-postgres .venv/bin/python bench/replay.py     # PostgreSQL

Loads the real division lists of 临渭区 (shipped in tiaojie/regions/data), a district
center, the 27 town centers and the departments the default catalogue names, then ``--cases``
cases of random kind, category, risk and village received over the last three months
(bulk-inserted: this measures the replay, not registration). Four in five got a lead
assignment, one in twenty was escalated afterwards and one in a hundred before it was
assigned, so "what happened" has all its paths; every case also has three ordinary events to
look past. Then times ``routing.replay.preview`` of a change to the neighbours' rule as the
district dispatcher (three months: every case), median of ``--runs``.
``--smoke`` runs it at a size of seconds (CI). Empties the database it is pointed at: never
point it at real data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'tiaojie-bench-replay.sqlite3'}"
)

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from tiaojie.accounts.models import Unit, UnitKind, User  # noqa: E402
from tiaojie.accounts.roles import Role  # noqa: E402
from tiaojie.accounts.services import role_groups  # noqa: E402
from tiaojie.cases.models import Assignment, AssignmentRole, Case, CaseEvent  # noqa: E402
from tiaojie.core import cache, clock  # noqa: E402
from tiaojie.core.chain import purge_allowed  # noqa: E402
from tiaojie.core.enums import CaseKind, Category, RiskLevel, Tier  # noqa: E402
from tiaojie.regions import linwei  # noqa: E402
from tiaojie.regions.models import Region, RegionLevel  # noqa: E402
from tiaojie.routing import replay  # noqa: E402
from tiaojie.routing.defaults import default_rules  # noqa: E402
from tiaojie.routing.models import CatalogueVersion, DispatchRule  # noqa: E402

BATCH = 5_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _fresh() -> tuple[User, list[Region], dict[str, Unit], dict[int | None, Unit]]:
    call_command("migrate", verbosity=0)
    purge_allowed(True)  # a previous run wrote append-only events
    call_command("flush", "--no-input", verbosity=0)
    purge_allowed(False)
    # The default catalogue again (the flush emptied it).
    DispatchRule.objects.bulk_create(DispatchRule(**rule) for rule in default_rules())
    CatalogueVersion.objects.get_or_create(pk=1)
    cache.clear_all()
    report = linwei.import_linwei()
    assert report.ok, report.errors[:3]
    county = Region.objects.get(code="610502000000")
    center = Unit.objects.create(
        name="临渭区综治中心", kind=UnitKind.DISTRICT_CENTER, region=county
    )
    departments: dict[str, Unit] = {
        kind: Unit.objects.create(name=str(kind.label), kind=kind, region=county)
        for kind in UnitKind
        if kind not in (UnitKind.DISTRICT_CENTER, UnitKind.TOWN_CENTER, UnitKind.VILLAGE_COMMITTEE)
    }
    departments[UnitKind.DISTRICT_CENTER] = center
    towns: dict[int | None, Unit] = {
        t.pk: Unit.objects.create(name=f"{t.name}综治中心", kind=UnitKind.TOWN_CENTER, region=t)
        for t in Region.objects.filter(level=RegionLevel.TOWN)
    }
    user = User.objects.create_user(username="bench", real_name="派单目录")
    user.unit = center
    user.save()
    user.groups.set([role_groups()[Role.DISPATCHER]])
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE).order_by("pk"))
    return User.objects.get(pk=user.pk), villages, departments, towns


def _cases(
    n: int, villages: list[Region], departments: dict[str, Unit], towns: dict[int | None, Unit]
) -> None:
    rng = random.Random(6)
    now = clock.now()
    center = departments[UnitKind.DISTRICT_CENTER]
    kinds = [CaseKind.DISPUTE] * 7 + [CaseKind.PETITION, CaseKind.REQUEST, CaseKind.HAZARD]
    risks = [RiskLevel.BLUE] * 6 + [RiskLevel.YELLOW] * 3 + [RiskLevel.ORANGE, RiskLevel.RED]
    lead_kinds = list(departments)
    made = 0
    while made < n:
        size = min(BATCH, n - made)
        batch = []
        for i in range(made, made + size):
            village = rng.choice(villages)
            batch.append(
                Case(
                    code=f"2026{i:06d}",
                    kind=rng.choice(kinds),
                    category=rng.choice(Category.values),
                    risk_level=rng.choice(risks),
                    channel="window",
                    title="回放测试",
                    description="",
                    region=village,
                    received_at=now - dt.timedelta(minutes=rng.randrange(85 * 24 * 60)),
                    first_unit=towns[village.parent_id],
                    tier=Tier.VILLAGE,
                )
            )
        with transaction.atomic():
            cases = Case.objects.bulk_create(batch)
            assignments: list[Assignment] = []
            events: list[CaseEvent] = []
            for case in cases:
                # The history every case has (registered, accepted, assigned ...): the replay
                # must find the few tier moves among them.
                events.extend(
                    _event(case, case.received_at, seq, action, {"note": "x"})
                    for seq, action in enumerate(("register", "accept", "assign"))
                )
                roll = rng.random()
                town = towns[case.region.parent_id]
                at = case.received_at + dt.timedelta(hours=2)
                if roll < 0.01:  # escalated before anyone assigned it
                    events.append(_escalation(case, at, Tier.VILLAGE, Tier.TOWN, town))
                    continue
                if roll < 0.8:
                    lead = rng.choice([town, town, departments[rng.choice(lead_kinds)]])
                    assignments.append(
                        Assignment(case=case, unit=lead, role=AssignmentRole.LEAD, assigned_at=at)
                    )
                if roll < 0.05:
                    later = at + dt.timedelta(days=3)
                    events.append(_escalation(case, later, Tier.VILLAGE, Tier.TOWN, town))
                elif roll < 0.06:
                    later = at + dt.timedelta(days=3)
                    events.append(_escalation(case, later, Tier.TOWN, Tier.DISTRICT, center))
            Assignment.objects.bulk_create(assignments)
            CaseEvent.objects.bulk_create(events)
        made += size
        log(f"  {made:,} cases")


def _escalation(case: Case, at: dt.datetime, low: str, high: str, to: Unit) -> CaseEvent:
    return _event(case, at, 9, "escalate", {"from_tier": low, "to_tier": high, "to_unit": to.pk})


def _event(
    case: Case, at: dt.datetime, seq: int, action: str, payload: dict[str, object]
) -> CaseEvent:
    # Not hash-chained (nothing here verifies history); the replay reads action and payload.
    return CaseEvent(
        case=case, seq=seq, action=action, at=at, payload=payload, prev_hash="0", hash="0"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few seconds' run for CI: proves the script works, measures nothing",
    )
    args = parser.parse_args()
    if args.smoke:
        args.cases, args.runs = 1_000, 1
    user, villages, departments, towns = _fresh()
    _cases(args.cases, villages, departments, towns)
    change = DispatchRule.objects.get(kind="dispute", category="neighbourhood", region=None)
    change.tier, change.lead_kind = Tier.TOWN, UnitKind.TOWN_CENTER

    samples, result = [], None
    for n in range(args.runs):
        start = time.perf_counter()
        result = replay.preview(change, user=user, months=3)
        samples.append(time.perf_counter() - start)
        log(f"run {n + 1}: {samples[-1]:.2f} s")
    assert result is not None

    with connection.cursor() as cursor:
        cursor.execute(
            "SHOW server_version"
            if connection.vendor == "postgresql"
            else "SELECT sqlite_version()"
        )
        version = cursor.fetchone()[0]
    print(f"\n{connection.vendor} {version}")
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, Django {django.get_version()}"
    )
    print(
        f"replayed {result.total:,} cases ({result.routed:,} assigned), "
        f"{len(result.differences):,} differences, {DispatchRule.objects.count()} rules"
    )
    print(
        f"  preview: median {statistics.median(samples):.2f} s, "
        f"min {min(samples):.2f} s, max {max(samples):.2f} s over {args.runs} runs"
    )
    print(f"  load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
