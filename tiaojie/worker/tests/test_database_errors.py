"""A database error in the worker's loop (a restart, a dropped connection) is logged and the
loop goes on: the worker process does not end, and runs the work once the database answers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tiaojie.worker.registry import job
from tiaojie.worker.runner import Worker

pytestmark = pytest.mark.django_db


@job(name="数据库故障测试任务")
def fine() -> str:
    return "ok"


@pytest.fixture
def claims_fail() -> Iterator[None]:
    """Every new lease fails in the database, as a claim does while the database restarts."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse() RETURNS trigger AS $$"
                " BEGIN RAISE EXCEPTION 'down'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse BEFORE INSERT ON worker_lease"
                " FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse BEFORE INSERT ON worker_lease"
                " BEGIN SELECT RAISE(ABORT, 'down'); END"
            )
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER refuse ON worker_lease"
            if connection.vendor == "postgresql"
            else "DROP TRIGGER refuse"
        )


def test_a_database_error_in_a_turn_is_logged_and_the_worker_goes_on(claims_fail, caplog) -> None:
    fine.enqueue()
    said: list[str] = []
    worker = Worker(sweep_every=0, idle=0.01, write=said.append)
    assert worker.turn() is False  # the claim failed; the worker lives on
    assert "worker step failed" in caplog.text and "down" not in caplog.text
    assert DBTaskResult.objects.get().status == "READY"


def test_once_the_database_answers_the_work_runs() -> None:
    fine.enqueue()
    worker = Worker(sweep_every=0, idle=0.01, write=lambda _: None)
    assert worker.turn() is True
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
