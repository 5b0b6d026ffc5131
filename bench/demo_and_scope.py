"""Demo build time and the scoped case list, on the database DATABASE_URL names.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/demo_and_scope.py --runs 3

Each run builds the demo into an empty database (migrations first), then times the subtree
query and the first page of the case list for a town clerk and the district dispatcher.
Reports medians. Without DATABASE_URL it uses a scratch SQLite file under /tmp. ``--smoke``
builds a small demo once (CI: proves the script works, measures nothing). Destroys the
database it is pointed at: never point it at real data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Never the development database by accident: this script flushes what it is pointed at.
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'tiaojie-bench-demo.sqlite3'}"
)

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from tiaojie.accounts.models import User  # noqa: E402
from tiaojie.accounts.testing import StaffClient as Client  # noqa: E402
from tiaojie.core import cache  # noqa: E402
from tiaojie.core.chain import purge_allowed  # noqa: E402
from tiaojie.demo.builder import build_demo  # noqa: E402
from tiaojie.regions.models import Region  # noqa: E402


def _timed(fn: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few seconds' run for CI: proves the script works, measures nothing",
    )
    args = parser.parse_args()
    scale, repeat = 1.0, 20
    if args.smoke:
        args.runs, scale, repeat = 1, 0.02, 3
    builds: list[float] = []
    subtree: list[float] = []
    pages: dict[str, list[float]] = {"xiagui_clerk": [], "center_dispatcher": []}
    for _run in range(args.runs):
        if builds:
            purge_allowed(True)  # the previous run's demo wrote append-only events
        call_command("flush", "--no-input", verbosity=0)
        if builds:
            purge_allowed(False)
            # Process caches of rows the flush removed (policies, region names, areas).
            cache.clear_all()
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        build_demo(today=dt.date(2026, 11, 26), scale=scale)
        builds.append(time.perf_counter() - start)
        cache.bump_all()  # the build writes in bulk: nothing cached before it is current
        root = Region.objects.get(code="610502000000")

        def whole_tree(root: Region = root) -> object:
            return list(Region.objects.subtree(root))

        subtree.append(_timed(whole_tree, repeat))
        for username, sink in pages.items():
            client = Client(HTTP_HOST="localhost")
            client.force_login(User.objects.get(username=username))
            client.get("/cases/")

            def first_page(client: Client = client) -> object:
                response = client.get("/cases/?status=open")
                assert response.status_code == 200, response.status_code
                return response

            sink.append(_timed(first_page, repeat))
    engine = django.db.connection.vendor
    print(f"engine: {engine}, runs: {args.runs}")
    print(f"demo build:                 median {statistics.median(builds):.1f} s")
    print(f"subtree of the county:      median {statistics.median(subtree):.2f} ms")
    print(f"case list, town clerk:      median {statistics.median(pages['xiagui_clerk']):.1f} ms")
    print(
        f"case list, district center: median {statistics.median(pages['center_dispatcher']):.1f} ms"
    )


if __name__ == "__main__":
    main()
