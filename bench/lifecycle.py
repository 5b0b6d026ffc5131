"""Lifecycle at scale on PostgreSQL: a transition vs raw SQL, and the pages at N cases.

    .ci/with-postgres .venv/bin/python bench/lifecycle.py --cases 1000000

Builds a small demo center (regions, units, staff), then adds N synthetic cases with one
INSERT … SELECT generate_series, and measures (medians):
- a transition (accept: lock, check, event, deadline, version) through the service, against
  a plain single-row UPDATE + INSERT of an event in raw SQL, side by side in this run;
- the filtered case list's first page and the workbench, rendered by the real views
  (Django test client, so this is server time without the network).
Destroys the database it is pointed at: never point it at real data.

    .ci/with-postgres .venv/bin/python bench/lifecycle.py --smoke    # seconds, for CI

`--reuse` keeps the built database when it already holds the synthetic cases asked for (it
only migrates), so fixes can be measured again without a 1,000,000-case build each time. It
needs a server that outlives one run: start PostgreSQL yourself on a data directory you keep
(as `.ci/with-postgres` does, without its clean-up) and set DATABASE_URL. Each run accepts
`2 × --transitions` of the registered cases; when too few are left, it builds again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from tiaojie.accounts.models import User  # noqa: E402
from tiaojie.accounts.testing import StaffClient as Client  # noqa: E402
from tiaojie.cases import services  # noqa: E402
from tiaojie.cases.models import Case  # noqa: E402
from tiaojie.cases.services import Actor  # noqa: E402
from tiaojie.core import cache  # noqa: E402
from tiaojie.demo.builder import build_demo  # noqa: E402

SYNTHETIC = """
INSERT INTO cases_case (
    code, kind, category, channel, title, description, region_id, address, received_at,
    people_count, risk_level, sensitivity, sensitive_notes, status, tier, first_unit_id,
    lead_unit_id, outcome, satisfaction, review_stage, version, stage_started_at, extended,
    supervision_level, decline_route, reopen_count, dissatisfied_count, event_count,
    last_event_hash, due_at, created_at, updated_at
)
SELECT
    'S' || lpad(g::text, 9, '0'),
    (ARRAY['dispute','dispute','dispute','petition','request','hazard'])[1 + (g %% 6)],
    (ARRAY['neighbourhood','marriage_family','housing_homestead','labour','contract','other'])
        [1 + (g %% 6)],
    (ARRAY['window','phone','hotline','online','grid','visit','letter'])[1 + (g %% 7)],
    '合成事项 ' || g, '邻居装修噪音扰民，楼上漏水，工地欠薪等合成描述 ' || g,
    v.ids[1 + (g %% array_length(v.ids, 1))], '',
    now() - make_interval(secs => (g %% 94608000)),
    1, 'blue', 'ordinary', '',
    CASE WHEN g %% 50 = 0 THEN 'in_progress' WHEN g %% 97 = 0 THEN 'registered' ELSE 'closed' END,
    'town', u.center, NULL, '', '', '',
    1, now(), false, 0, '', 0, 0, 0, '',
    CASE WHEN g %% 50 = 0 OR g %% 97 = 0 THEN now() + make_interval(hours => (g %% 400) - 200) END,
    now(), now()
FROM generate_series(1, %(n)s) AS g,
     (SELECT array_agg(id ORDER BY id) AS ids FROM regions_region WHERE level = 'village') AS v,
     (SELECT min(id) AS center FROM accounts_unit WHERE kind = 'district_center') AS u
"""


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def _reusable(cases: int, needed: int) -> bool:
    """True if the database holds ``cases`` synthetic cases, ``needed`` of them registered."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('cases_case') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT count(*) FROM cases_case WHERE code LIKE 'S%%'")
        if cursor.fetchone()[0] != cases:
            return False
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM cases_case WHERE code LIKE 'S%%' "
            "AND status = 'registered' LIMIT %s) AS left_to_accept",
            [needed],
        )
        return bool(cursor.fetchone()[0] == needed)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--transitions", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=15, help="requests per page measured")
    parser.add_argument(
        "--smoke", action="store_true", help="a tiny run (seconds) that proves the script works"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database if it already holds the synthetic cases (see the docstring)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.cases, args.transitions, args.rounds = 2_000, 5, 2
    assert connection.vendor == "postgresql", "run this on PostgreSQL (.ci/with-postgres)"
    started = time.perf_counter()
    if args.reuse and _reusable(args.cases, args.transitions * 2):
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            # The last run's accepts left pages that index-only scans must visit again.
            cursor.execute("VACUUM ANALYZE")
        print(f"setup: reusing {Case.objects.count():,} cases")
    else:
        # From an empty schema, as on a fresh server: the migrations' own rows (calendar,
        # policies) are there as they would be in production.
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        call_command("migrate", verbosity=0)
        build_demo(today=dt.date(2026, 11, 26), scale=0.02)
        cache.bump_all()  # the build writes in bulk: nothing cached before it is current
        with connection.cursor() as cursor:
            cursor.execute(SYNTHETIC, {"n": args.cases})
            # As autovacuum would have by now: index-only counts need the visibility map.
            cursor.execute("VACUUM ANALYZE")
        print(f"setup: {Case.objects.count():,} cases in {time.perf_counter() - started:.0f} s")

    clerk = User.objects.get(username="center_clerk")
    actor = Actor(clerk)
    registered = list(
        Case.objects.filter(status="registered", code__startswith="S").order_by("pk")[
            : args.transitions * 2
        ]
    )
    service_cases, raw_cases = registered[::2], registered[1::2]

    # One of each in turn, so that both sides see the same load on a shared machine.
    service_samples, raw_samples = [], []
    for service_case, raw_case in zip(service_cases, raw_cases, strict=False):
        start = time.perf_counter()
        services.accept(service_case, actor=actor)
        service_samples.append(time.perf_counter() - start)

        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE cases_case SET status = 'accepted', accepted_at = now(), "
                "due_at = now() + interval '30 days', version = version + 1 WHERE id = %s",
                [raw_case.pk],
            )
            cursor.execute(
                "INSERT INTO cases_caseevent (case_id, seq, action, actor_id, at, from_status, "
                "to_status, reason, payload, prev_hash, hash) VALUES "
                "(%s, 1, 'accept', %s, now(), 'registered', 'accepted', '', '{}', '', '')",
                [raw_case.pk, clerk.pk],
            )
        raw_samples.append(time.perf_counter() - start)
    service_ms = statistics.median(service_samples) * 1000
    raw_ms = statistics.median(raw_samples) * 1000

    pages = {}
    for username in ("xiagui_clerk", "center_dispatcher"):
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(username=username))
        for name, url in (
            ("case list (open)", "/cases/?status=open"),
            ("case list (all)", "/cases/"),
            ("workbench", "/workbench/"),
        ):

            def page(url: str = url, client: Client = client) -> object:
                response = client.get(url)
                assert response.status_code == 200, response.status_code
                return response

            page()  # warm
            pages[(name, username)] = _median_ms(page, args.rounds)

    print(f"cases: {Case.objects.count():,}")
    print(f"transition (accept) via service: median {service_ms:.2f} ms")
    print(f"raw UPDATE + INSERT:             median {raw_ms:.2f} ms")
    print(f"ratio service / raw:             {service_ms / raw_ms:.2f}")
    for (name, username), ms in pages.items():
        print(f"{name:<18} {username:<18} median {ms:.1f} ms")


if __name__ == "__main__":
    main()
