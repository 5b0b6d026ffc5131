"""The heartbeat keeps renewing a lease after its database connection broke once: a blip
must not let another worker take over work that is still running."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import connection

from tiaojie.worker.models import Lease
from tiaojie.worker.registry import job
from tiaojie.worker.runner import run_queued

pytestmark = pytest.mark.django_db(transaction=True)

BEAT = 0.3  # the lease is three beats long


def _expiry() -> Any:
    return Lease.objects.values_list("expires_at", flat=True).get()


def _break_the_heartbeat() -> None:
    """Break the other connection (the heartbeat's) once, as a restart or a blip would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND backend_type = 'client backend'"
            )
        else:
            # SQLite has no other server process to kill: its next renewal fails instead.
            cursor.execute("INSERT INTO blip VALUES (1)")


@job(name="长任务（测试）", max_attempts=1)
def outlives_a_blip(pk: int) -> bool:
    time.sleep(BEAT * 1.5)  # the heartbeat has its connection
    _break_the_heartbeat()
    time.sleep(BEAT * 3)  # the failed beat, then beats that should renew again
    before = _expiry()
    time.sleep(BEAT * 3)
    return bool(_expiry() > before)


@pytest.fixture
def _blips_on_sqlite():
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE blip (n integer)")
        # The first renewal after a blip fails with a database error (and clears the blip).
        cursor.execute(
            "CREATE TRIGGER blip_once BEFORE UPDATE ON worker_lease"
            " WHEN (SELECT count(*) FROM blip) > 0"
            " BEGIN DELETE FROM blip; SELECT RAISE(FAIL, 'blip'); END"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER blip_once")
        cursor.execute("DROP TABLE blip")


def test_the_lease_is_renewed_again_after_the_heartbeats_connection_broke(
    settings, _blips_on_sqlite
) -> None:
    settings.TIAOJIE_WORKER_LEASE_SECONDS = BEAT * 3
    result = outlives_a_blip.enqueue(1)
    assert run_queued() == 1
    result.refresh()
    assert result.status == "SUCCESSFUL" and result.return_value is True
