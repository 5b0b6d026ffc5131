"""Ledger import at county scale: 100,000 rows checked and imported, SQLite or PostgreSQL.

    .venv/bin/python bench/ledger.py                                  # SQLite, scratch file
    .ci/with-postgres .venv/bin/python bench/ledger.py                # PostgreSQL

Loads the real division lists of 临渭区 (tiaojie/regions/data: 27 towns, 399 villages), makes a
district dispatcher, and writes a ledger of ``--rows`` invented rows (GBK CSV, the way
offices export it; ``--xlsx`` for Excel) spread over every village, a third of them
concluded. Each run empties the database and then times, through the same services the
pages use: the upload (reading the header), the dry run (every row checked) and the import
(checked again, then every case written with its history and search entry in one
transaction). Medians over ``--runs``; the target is an import under 60 s. Afterwards the
history chain of every case is verified. Without DATABASE_URL it uses a scratch SQLite file
under /tmp. ``--smoke`` runs it at a size of seconds (CI). It empties the database it is
pointed at: never point it at real data.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'tiaojie-bench-ledger.sqlite3'}"
)
os.environ.setdefault("TIAOJIE_LEDGER_MAX_MB", "200")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tiaojie.accounts.models import Unit, UnitKind, User  # noqa: E402
from tiaojie.accounts.roles import Role  # noqa: E402
from tiaojie.accounts.services import role_groups  # noqa: E402
from tiaojie.cases.history import verify_all  # noqa: E402
from tiaojie.cases.models import Case, CaseEvent  # noqa: E402
from tiaojie.core import cache  # noqa: E402
from tiaojie.core.chain import purge_allowed  # noqa: E402
from tiaojie.ledger import services  # noqa: E402
from tiaojie.ledger.models import ImportStatus, LedgerImport  # noqa: E402
from tiaojie.ledger.tests.samples import csv_bytes, ledger_rows, write_xlsx  # noqa: E402
from tiaojie.regions import linwei  # noqa: E402
from tiaojie.regions.models import Region  # noqa: E402
from tiaojie.worker.runner import run_queued  # noqa: E402


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _places() -> list[tuple[str, str]]:
    with linwei.VILLAGES.open(encoding="utf-8") as f:
        return [(row["town"], row["village"]) for row in csv.DictReader(f)]


def _fresh() -> User:
    call_command("migrate", verbosity=0)
    purge_allowed(True)  # a previous run's import wrote append-only events
    call_command("flush", "--no-input", verbosity=0)
    purge_allowed(False)
    # Process caches of rows the flush removed (policies, region names, areas).
    cache.clear_all()
    report = linwei.import_linwei()
    assert report.ok, report.errors[:3]
    county = Region.objects.get(code="610502000000")
    unit = Unit.objects.create(name="临渭区综治中心", kind=UnitKind.DISTRICT_CENTER, region=county)
    user = User.objects.create_user(username="bench", real_name="台账导入")
    user.unit = unit
    user.save()
    user.groups.set([role_groups()[Role.DISPATCHER]])
    return User.objects.get(pk=user.pk)


def _run(content: bytes, name: str) -> dict[str, float]:
    user = _fresh()
    timings = {}
    start = time.perf_counter()
    ledger = services.upload(user=user, file=SimpleUploadedFile(name, content))
    timings["upload"] = time.perf_counter() - start
    services.set_mapping(ledger, user=user, mapping=ledger.mapping, defaults=ledger.defaults)
    start = time.perf_counter()
    run_queued()
    timings["dry run"] = time.perf_counter() - start
    ledger.refresh_from_db()
    assert ledger.status == ImportStatus.CHECKED and not ledger.problem_rows, ledger.problems[:5]
    services.start_import(ledger, user=user)
    start, cpu = time.perf_counter(), time.process_time()
    run_queued()
    timings["import"] = time.perf_counter() - start
    timings["import (this process's CPU)"] = time.process_time() - cpu
    ledger = LedgerImport.objects.get(pk=ledger.pk)
    assert ledger.status == ImportStatus.DONE, ledger.error
    timings["cases"] = Case.objects.count()
    timings["events"] = CaseEvent.objects.count()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--xlsx", action="store_true", help="an Excel file instead of GBK CSV")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few seconds' run for CI: proves the script works, measures nothing",
    )
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.runs = 300, 1

    rows = ledger_rows(args.rows, _places())
    if args.xlsx:
        path = write_xlsx(Path(tempfile.gettempdir()) / "tiaojie-bench-ledger.xlsx", rows)
        content, name = path.read_bytes(), "台账.xlsx"
    else:
        content, name = csv_bytes(rows, encoding="gbk"), "台账.csv"
    log(f"{connection.vendor}: {args.rows:,} rows, {len(content) / 1e6:.1f} MB ({name})")

    runs = []
    for n in range(args.runs):
        timings = _run(content, name)
        log(f"run {n + 1}: " + ", ".join(f"{k} {v:,.1f}" for k, v in timings.items()))
        runs.append(timings)
    broken = list(verify_all())
    log(f"history chains broken: {len(broken)}")

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    print(f"\n{connection.vendor} {version}")
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, Django {django.get_version()}"
    )
    print(f"{args.rows:,} rows ({name}, {len(content) / 1e6:.1f} MB), median of {args.runs}:")
    for key in ("upload", "dry run", "import", "import (this process's CPU)"):
        print(f"  {key:8s} {statistics.median(r[key] for r in runs):7.1f} s")
    print(f"  load average during the runs: {os.getloadavg()[0]:.1f}")
    print(
        f"  cases {runs[-1]['cases']:,.0f}, events {runs[-1]['events']:,.0f}, "
        f"broken chains {len(broken)}"
    )
    if broken:
        sys.exit(1)


if __name__ == "__main__":
    main()
