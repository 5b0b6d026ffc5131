"""A worker finishes a task only while it still holds the lease, in one compare-and-swap: a
worker that took the task over meanwhile keeps it, whatever the first one found before."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from tiaojie.worker.models import Lease
from tiaojie.worker.registry import job
from tiaojie.worker.runner import run_queued

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _row_locks() -> None:
    if connection.vendor == "sqlite":
        # It needs a row locked by one connection while another reads it; SQLite locks the
        # whole database, so the interleaving cannot be made there.
        pytest.skip("needs PostgreSQL's row locks")


locked = threading.Event()


def _take_over_while_finishing() -> None:
    """Another worker takes the task over, and commits just after the first one finished."""
    try:
        with transaction.atomic():
            lease = Lease.objects.select_for_update().get()
            lease.worker_id = "the-other-worker"
            lease.save(update_fields=["worker_id"])
            locked.set()
            threading.Event().wait(0.5)  # the first worker finishes meanwhile
    finally:
        connection.close()


@job(name="被接管的测试任务", max_attempts=3)
def taken_over(raises: bool) -> str:
    other = threading.Thread(target=_take_over_while_finishing)
    other.start()
    locked.wait(5)
    if raises:
        raise RuntimeError("finishing")
    return "done"


@pytest.mark.parametrize("raises", [False, True], ids=["succeeded", "failed"])
def test_a_task_taken_over_while_it_finished_stays_with_the_other_worker(raises: bool) -> None:
    locked.clear()
    taken_over.enqueue(raises)
    run_queued()
    task = DBTaskResult.objects.get()
    lease = Lease.objects.get()
    assert (task.status, lease.worker_id) == ("RUNNING", "the-other-worker")
