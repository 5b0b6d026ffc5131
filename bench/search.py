"""Case search: recall against LIKE, first-page latency, and what indexing costs registration.

    .venv/bin/python bench/search.py                       # SQLite, 100,000 cases
    .ci/with-postgres .venv/bin/python bench/search.py --cases 1000000

Builds ``--cases`` cases with the demo's text generator (seeded, so every run sees the same
ledger), indexes them in bulk, then

1. recall: 200 random two- to four-character substrings of the cases' texts; for each, the
   cases a plain LIKE scan finds (``contains`` on title, description, outcome) must all be in
   the search result. Prints recall (must be 100 %) and precision (LIKE hits / search hits);
2. latency: p50/p95 of the first page (ORDER BY received_at DESC LIMIT 25) for those
   queries, over all cases and scoped to one town, plus the count a paginator would ask;
3. registration: K cases, one transaction each, with and without indexing in the same
   transaction — as a bare insert and through the ``register_case`` service; median of
   ``--runs`` runs.

Without DATABASE_URL it uses a scratch SQLite file under /tmp. ``--smoke`` runs it at a size
of seconds (CI). It empties the database it is pointed at: never point it at real data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'tiaojie-bench-search.sqlite3'}"
)

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q, QuerySet  # noqa: E402

from tiaojie.accounts.models import Unit, UnitKind, User  # noqa: E402
from tiaojie.cases import services  # noqa: E402
from tiaojie.cases.models import Case  # noqa: E402
from tiaojie.cases.search import reindex_case, reindex_cases, search_cases  # noqa: E402
from tiaojie.core.chain import purge_allowed  # noqa: E402
from tiaojie.core.enums import CaseKind, Category, Channel  # noqa: E402
from tiaojie.demo.people import fake_name  # noqa: E402
from tiaojie.demo.texts import CATEGORIES, KINDS, compose, outcome_text  # noqa: E402
from tiaojie.regions.models import Region, RegionLevel  # noqa: E402

TOWNS = ("下邽镇", "桥南镇", "阳郭镇", "孝义镇", "官底镇", "龙背镇", "故市镇", "三张镇")
VILLAGES = ("东庆村", "西庆村", "南岭村", "北塬村", "新庄社区", "白杨村")
START = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
SPAN_SECONDS = 5 * 365 * 86400


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _ms(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))] * 1000


# --- the ledger -------------------------------------------------------------------------------
class Place:
    """The county, its towns and villages, and the one unit that receives every case."""

    def __init__(self, county_unit: Unit, towns: list[tuple[Region, list[Region]]]) -> None:
        self.county_unit = county_unit
        self.towns = towns

    @classmethod
    def existing(cls) -> Place:
        towns = Region.objects.filter(level=RegionLevel.TOWN).order_by("code")
        return cls(
            Unit.objects.get(kind=UnitKind.DISTRICT_CENTER),
            [(t, list(t.children.order_by("code"))) for t in towns],
        )

    @classmethod
    def create(cls) -> Place:
        county = Region.objects.create(code="610502000000", name="临渭区", level=RegionLevel.COUNTY)
        county_unit = Unit.objects.create(
            name="临渭区综治中心", kind=UnitKind.DISTRICT_CENTER, region=county
        )
        towns: list[tuple[Region, list[Region]]] = []
        for t, town_name in enumerate(TOWNS):
            town = Region.objects.create(
                code=f"610502{100 + t:03d}000",
                name=town_name,
                level=RegionLevel.TOWN,
                parent=county,
            )
            villages = [
                Region.objects.create(
                    code=f"610502{100 + t:03d}{201 + v:03d}",
                    name=name,
                    level=RegionLevel.VILLAGE,
                    parent=town,
                )
                for v, name in enumerate(VILLAGES)
            ]
            towns.append((town, villages))
        return cls(county_unit, towns)


def _cases(
    place: Place, count: int, rng: random.Random, first: int, *, total: int
) -> Iterator[Case]:
    """``count`` cases numbered from ``first`` of a ledger of ``total`` spread over five years.

    Cases arrive in time order, as a real register fills (and as the demo builder inserts
    them), so the table's physical order follows ``received_at``.
    """
    categories = list(CATEGORIES)
    step = SPAN_SECONDS / max(total, 1)
    for n in range(first, first + count):
        town, villages = rng.choice(place.towns)
        village = rng.choice(villages)
        kind, category = rng.choice(KINDS), rng.choice(categories)
        title, description = compose(
            kind,
            category,
            rng,
            applicant=fake_name(rng),
            respondent=fake_name(rng),
            town=town.name,
            village=village.name,
        )
        closed = rng.random() < 0.8
        yield Case(
            code=f"B{n:09d}",
            kind=kind,
            category=category,
            channel=Channel.WINDOW,
            title=title[:200],
            description=description,
            outcome=(
                outcome_text(kind, category, rng, resolved=True, description=description)
                if closed
                else ""
            ),
            region=village,
            received_at=START + dt.timedelta(seconds=(n + rng.random()) * step),
            first_unit=place.county_unit,
        )


def build(count: int, seed: int) -> Place:
    call_command("migrate", verbosity=0)
    purge_allowed(True)  # a previous run's registrations wrote append-only events
    call_command("flush", "--no-input", verbosity=0)
    purge_allowed(False)
    place = Place.create()
    rng = random.Random(seed)
    start = time.perf_counter()
    batch: list[Case] = []
    for n, case in enumerate(_cases(place, count, rng, 0, total=count), 1):
        batch.append(case)
        if len(batch) == 5000 or n == count:
            Case.objects.bulk_create(batch)
            batch = []
        if n % 100_000 == 0:
            log(f"  {n} cases, {time.perf_counter() - start:.0f} s")
    log(f"built {count} cases in {time.perf_counter() - start:.0f} s")
    return place


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# --- measurements -----------------------------------------------------------------------------
def draw_queries(count: int, rng: random.Random) -> list[str]:
    """Substrings of 2-4 characters (no whitespace) of random cases' texts."""
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    queries: list[str] = []
    while len(queries) < count:
        row = (
            Case.objects.filter(pk__gte=rng.randint(1, top))
            .order_by("pk")
            .values_list("title", "description", "outcome")
            .first()
        )
        text = rng.choice([t for t in row or () if t] or [""])
        length = rng.randint(2, 4)
        if len(text) < length:
            continue
        start = rng.randrange(len(text) - length + 1)
        q = text[start : start + length]
        if q.split() == [q]:
            queries.append(q)
    return queries


def like_ids(q: str) -> set[int]:
    condition = Q(title__contains=q) | Q(description__contains=q) | Q(outcome__contains=q)
    return set(Case.objects.filter(condition).values_list("pk", flat=True))


def recall(queries: list[str]) -> tuple[float, float, int, int]:
    missed = found_total = like_total = 0
    for q in queries:
        like = like_ids(q)
        hits = set(search_cases(Case.objects.all(), q).values_list("pk", flat=True))
        missed += len(like - hits)
        like_total += len(like)
        found_total += len(hits)
        if like - hits:
            log(f"  MISSED {len(like - hits)} for {q!r}")
    return (
        100.0 * (like_total - missed) / max(like_total, 1),
        100.0 * like_total / max(found_total, 1),
        like_total,
        found_total,
    )


def latencies(queries: list[str], base: Callable[[], QuerySet[Case]]) -> list[float]:
    samples = []
    for q in queries:
        list(search_cases(base(), q)[:25])  # warm: we measure the index, not the disk
        start = time.perf_counter()
        list(search_cases(base(), q)[:25])
        samples.append(time.perf_counter() - start)
    return samples


def count_latencies(queries: list[str], cap: int | None = None) -> list[float]:
    """Counting the hits: all of them, or at most ``cap`` + 1 (the case list's paginator)."""
    samples = []
    for q in queries:
        start = time.perf_counter()
        hits = search_cases(Case.objects.all(), q).order_by()
        (hits if cap is None else hits[: cap + 1]).count()
        samples.append(time.perf_counter() - start)
    return samples


def registration(place: Place, k: int, runs: int, seed: int) -> dict[str, tuple[float, float]]:
    """Median seconds for K registrations, without and with indexing, two ways."""
    rng = random.Random(seed + 1)
    clerk = User.objects.create_user(username=f"bench{seed}", password=None, real_name="bench")
    clerk.unit = place.county_unit
    clerk.save()
    actor = services.Actor(clerk)
    before = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    next_code = [10_000_000_000]

    def bare(index: bool) -> float:
        cases = list(_cases(place, k, rng, next_code[0], total=next_code[0]))
        next_code[0] += k
        start = time.perf_counter()
        for case in cases:
            with transaction.atomic():
                case.save()
                if index:
                    reindex_case(case, notes=())
        return time.perf_counter() - start

    def service(index: bool) -> float:
        cases = list(_cases(place, k, rng, 0, total=k))
        start = time.perf_counter()
        for c in cases:
            with transaction.atomic():
                case = services.register_case(
                    actor=actor,
                    kind=CaseKind.DISPUTE,
                    category=Category.NEIGHBOURHOOD,
                    channel=Channel.WINDOW,
                    title=c.title,
                    description=c.description,
                    region=c.region,
                    parties=[services.PartyInput(name="张三")],
                )
                if index:
                    reindex_case(case, notes=())
        return time.perf_counter() - start

    results = {}
    for name, fn in (("bare insert", bare), ("register_case", service)):
        fn(False), fn(True)  # warm up
        plain, indexed = [], []
        for _ in range(runs):  # alternate, so drift hits both alike
            plain.append(fn(False))
            indexed.append(fn(True))
        results[name] = (statistics.median(plain), statistics.median(indexed))
    # Half the cases above were registered without indexing: index them now, so the ledger
    # stays searchable as a whole (for --reuse).
    reindex_cases(Case.objects.filter(pk__gt=before))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--register", type=int, default=200, help="K cases per timing run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the ledger a previous run left behind"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few seconds' run for CI: proves the script works, measures nothing",
    )
    args = parser.parse_args()
    if args.smoke:
        args.cases, args.queries, args.register, args.runs = 1_000, 20, 10, 1

    if args.reuse:
        place, reindex_seconds = Place.existing(), 0.0
        args.cases = Case.objects.count()
    else:
        place = build(args.cases, args.seed)
        start = time.perf_counter()
        reindex_cases(batch=5000)
        reindex_seconds = time.perf_counter() - start
        log(f"indexed in {reindex_seconds:.0f} s")
    analyze()

    queries = draw_queries(args.queries, random.Random(args.seed))
    log("recall …")
    recall_pct, precision_pct, like_total, found_total = recall(queries)
    log("latency …")
    town = place.towns[0][0]
    everything = latencies(queries, Case.objects.all)
    scoped = latencies(queries, lambda: Case.objects.filter(region__path__startswith=town.path))
    counts = count_latencies(queries)
    capped = count_latencies(queries, cap=2000)
    log("registration …")
    reg = registration(place, args.register, args.runs, args.seed)

    engine = connection.vendor
    version = getattr(connection, "pg_version", None) or f"SQLite {sqlite3.sqlite_version}"
    print(f"engine: {engine} ({version}), cases: {args.cases:,}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    if not args.reuse:
        rate = args.cases / reindex_seconds
        print(f"bulk index (reindex_cases): {reindex_seconds:.0f} s ({rate:,.0f} cases/s)")
    print()
    print(f"| measure ({len(queries)} queries of 2-4 characters) | value |")
    print("|---|---|")
    print(f"| recall vs LIKE | {recall_pct:.2f} % ({like_total:,} LIKE hits) |")
    print(f"| precision vs LIKE | {precision_pct:.2f} % ({found_total:,} search hits) |")
    for label, samples in (
        ("first page, all cases", everything),
        ("first page, one town", scoped),
        ("count of all hits", counts),
        ("count capped at 2,001 (list paginator)", capped),
    ):
        print(
            f"| {label}: p50 / p95 / max | {_ms(samples, 50):.1f} / {_ms(samples, 95):.1f}"
            f" / {max(samples) * 1000:.1f} ms |"
        )
    for name, (plain, indexed) in reg.items():
        per = 1000 / args.register
        print(
            f"| {name}, {args.register} cases: without / with index | "
            f"{plain * per:.2f} / {indexed * per:.2f} ms per case (× {indexed / plain:.2f}) |"
        )


if __name__ == "__main__":
    main()
