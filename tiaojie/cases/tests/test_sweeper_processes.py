"""Two sweepers at once (two processes, PostgreSQL): every overdue case is escalated once."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from tiaojie.accounts.models import Notification, NotificationKind
from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.models import Case, CaseEvent
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.core.enums import CaseKind, Category, Channel

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
CASES = 40


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_two_sweepers_never_act_twice(world) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    clerk = Actor(world.user("clerk_a", world.center_a, Role.WINDOW_CLERK, Role.DISPATCHER))
    world.user("district", world.center, Role.DISPATCHER)
    codes = []
    for n in range(CASES):
        case = services.register_case(
            actor=clerk,
            kind=CaseKind.DISPUTE,
            category=Category.NEIGHBOURHOOD,
            channel=Channel.WINDOW,
            title=f"纠纷{n}",
            description="邻里纠纷。",
            region=world.village_a,
            parties=[PartyInput(name="郑十")],
        )
        case = services.accept(case, actor=clerk)
        services.assign(case, actor=clerk, lead=world.center_a)
        codes.append(case.code)
    # Everything fell due an hour ago.
    Case.objects.filter(code__in=codes).update(due_at=timezone.now() - dt.timedelta(hours=1))
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    sweepers = [
        subprocess.Popen(
            [sys.executable, "-m", "tiaojie", "sweep"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in sweepers]
    assert all(p.returncode == 0 for p in sweepers), outputs
    escalations = CaseEvent.objects.filter(case__code__in=codes, action="escalate")
    assert escalations.count() == CASES
    assert escalations.values("case").distinct().count() == CASES
    assert (
        Notification.objects.filter(kind=NotificationKind.ESCALATED)
        .values("case")
        .distinct()
        .count()
        == CASES
    )
    # Both did part of the work, or one did all; either way the totals add up to one each.
    done = sum(int(out.split("escalated ")[1].split(",")[0]) for out, _err in outputs)
    assert done == CASES
