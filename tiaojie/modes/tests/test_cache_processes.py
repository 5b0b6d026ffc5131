"""Two processes on one database: a mode switched, a catalogue rule saved and a calendar day
imported in one are seen by the other at its very next request, although it keeps all three
cached (tiaojie.core.cache)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tiaojie.accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
DAY = "2025-03-05"  # an ordinary Wednesday, until the county declares it a holiday

# A long-running process, as an app or worker process is: each line on its stdin is a new
# request (or task), answered with what it sees and how many queries that took.
READER = """
import datetime as dt, json, sys
import django
django.setup()
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tiaojie.core import cache, clock, workdays
from tiaojie.modes import selectors as modes
from tiaojie.routing import engine

region_id, day = int(sys.argv[1]), dt.date.fromisoformat(sys.argv[2])
for _line in sys.stdin:
    cache.checkpoint()  # what the start of every request does
    with CaptureQueriesContext(connection) as seen:
        answer = {
            "factor": modes.deadline_factor(region_id, clock.now()),
            "rules": sorted(rule.pk for rule in engine.catalogue().rules),
            "workday": workdays.is_workday(day),
        }
    answer["queries"] = len(seen.captured_queries)
    print(json.dumps(answer), flush=True)
"""

# The other process: an administrator's change through the service, then it exits.
WRITER = """
import datetime as dt, sys
import django
django.setup()
from tiaojie.core import clock, workdays
from tiaojie.regions.models import Region

what = sys.argv[1]
if what == "mode":
    from tiaojie.accounts.models import User
    from tiaojie.modes import services
    services.start_mode(
        actor=User.objects.get(pk=int(sys.argv[2])),
        mode="urgent",
        scope=Region.objects.get(pk=int(sys.argv[3])),
        reason="汛期防汛",
        ends_at=clock.now() + dt.timedelta(days=1),
    )
elif what == "rule":
    from tiaojie.routing import services
    from tiaojie.routing.models import DispatchRule
    rule = DispatchRule(
        kind="dispute", category="labour", region=Region.objects.get(pk=int(sys.argv[2])),
        tier="town", lead_kind="town_center",
    )
    services.save_rule(rule, actor=None, reason="下邽镇试点")
    print(rule.pk)
elif what == "calendar":
    assert workdays.import_calendar(sys.argv[2]).ok
"""


def _database_url(tmp_path: Path) -> str:
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    # The test database lives in memory: copy it to a file both processes open.
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def test_a_change_in_one_process_is_seen_at_once_by_another(world, tmp_path) -> None:
    dispatcher = world.user("district_dispatcher", world.center, Role.DISPATCHER)
    holiday = tmp_path / "holiday.csv"
    holiday.write_text(f"date,is_workday,name\n{DAY},0,地方假日\n", encoding="utf-8")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }

    def run(*args: Any) -> str:
        done = subprocess.run(  # noqa: S603 - this interpreter, our own script
            [sys.executable, "-c", WRITER, *map(str, args)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    reader = subprocess.Popen(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", READER, str(world.village_a.pk), DAY],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def ask() -> dict[str, Any]:
        assert reader.stdin and reader.stdout
        reader.stdin.write("\n")
        reader.stdin.flush()
        line = reader.stdout.readline()
        assert line, reader.stderr.read() if reader.stderr else ""
        answer: dict[str, Any] = json.loads(line)
        return answer

    try:
        first = ask()
        assert first["factor"] == 1.0 and first["workday"] is True
        # Kept: the next request asks the database only for the cache versions.
        assert ask() == {**first, "queries": 1}

        run("mode", dispatcher.pk, world.county.pk)
        assert ask()["factor"] == 0.5

        rule_id = int(run("rule", world.town_a.pk))
        assert ask()["rules"] == sorted([*first["rules"], rule_id])

        run("calendar", holiday)
        answer = ask()
        assert answer["workday"] is False
        assert answer["factor"] == 0.5  # what did not change is still kept
        assert ask()["queries"] == 1
    finally:
        if reader.stdin:
            reader.stdin.close()
        reader.wait(timeout=30)
