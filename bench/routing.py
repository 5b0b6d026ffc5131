"""Routing a case with 2,000 dispatch rules loaded.

    .venv/bin/python bench/routing.py                       # SQLite (a temporary file)
    .ci/with-postgres .venv/bin/python bench/routing.py     # PostgreSQL

Builds the small demo center, adds rules until the catalogue holds 2,000 (town-specific
variants of the defaults for every town and village: the realistic way a catalogue grows),
then routes 2,000 cases of random kind, category, risk and place through ``engine.propose``
(the rule match plus the query for the serving units) and reports the median and p95.
``--smoke`` runs it at a size of seconds (CI). Destroys the database it is pointed at.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tiaojie.core import cache  # noqa: E402
from tiaojie.core.enums import CaseKind, Category, RiskLevel  # noqa: E402
from tiaojie.demo.builder import build_demo  # noqa: E402
from tiaojie.regions.models import Region, RegionLevel  # noqa: E402
from tiaojie.routing import engine  # noqa: E402
from tiaojie.routing.models import CatalogueVersion, DispatchRule  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", type=int, default=2000)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few seconds' run for CI: proves the script works, measures nothing",
    )
    args = parser.parse_args()
    if args.smoke:
        args.rules, args.cases = 100, 100
    call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", verbosity=0)
    build_demo(today=dt.date(2026, 11, 26), scale=0.02)
    cache.bump_all()  # the build writes in bulk: nothing cached before it is current
    rng = random.Random(7)
    places = list(Region.objects.filter(level__in=[RegionLevel.TOWN, RegionLevel.VILLAGE]))
    defaults = list(DispatchRule.objects.all())
    extra: list[DispatchRule] = []
    seen: set[tuple[str, str, str, int | None]] = {
        (r.kind, r.category, r.risk_level, None) for r in defaults
    }
    while len(defaults) + len(extra) < args.rules:
        base, region = rng.choice(defaults), rng.choice(places)
        key = (base.kind, base.category, base.risk_level, region.pk)
        if key in seen:
            continue
        seen.add(key)
        extra.append(
            DispatchRule(
                kind=base.kind,
                category=base.category,
                risk_level=base.risk_level,
                region=region,
                tier=base.tier,
                lead_kind=base.lead_kind,
                assisting_kinds=base.assisting_kinds,
            )
        )
    DispatchRule.objects.bulk_create(extra)
    cache.bump("routing")  # bulk_create sends no signals
    CatalogueVersion.objects.update_or_create(pk=1, defaults={"number": 2})
    leaves = list(Region.objects.filter(level__in=[RegionLevel.VILLAGE, RegionLevel.GRID]))
    cache.clear_all()
    engine.catalogue()  # compiled once per process, as in a server
    samples = []
    for _ in range(args.cases):
        kind = rng.choice(CaseKind.values)
        category, risk = rng.choice(Category.values), rng.choice(RiskLevel.values)
        path = rng.choice(leaves).path
        start = time.perf_counter()
        engine.propose(kind, category, risk, path)
        samples.append(time.perf_counter() - start)
    samples.sort()
    print(f"{connection.vendor}: {DispatchRule.objects.count():,} rules, {args.cases:,} cases")
    print(
        f"route a case: median {statistics.median(samples) * 1000:.2f} ms, "
        f"p95 {samples[int(len(samples) * 0.95)] * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
