"""The worker: claims queued work under a lease, runs it, and runs the periodic sweep.

django-tasks-db stores the queue and claims a task by marking it running, inside a locked
read (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, an exclusive transaction on SQLite),
so two workers never claim one task. What it lacks we add here (docs/worker.md):

- a lease (``Lease``) taken in the same transaction as the claim and renewed by a heartbeat
  thread while the task runs; a task whose lease ran out lost its process, and the next
  worker that looks takes it back (queues it again, or fails it when its attempts are used);
- attempts: a task that raises is queued again after a pause, up to its kind's
  ``max_attempts``; then it stays failed, with its error, for the operator page.

Work must therefore tolerate a second run after a crash: the ledger import writes all or
nothing, a text message carries a key the gateway uses to drop a repeat.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import secrets
import socket
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import (
    DatabaseError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from tiaojie.core import cache

from .models import Lease
from .registry import kind_of, steps

log = logging.getLogger("tiaojie.worker")

T = TypeVar("T")

# The library's own statuses (DESIGN §7: statuses are enums, never bare strings).
READY, RUNNING, SUCCESSFUL, FAILED = (
    TaskResultStatus.READY,
    TaskResultStatus.RUNNING,
    TaskResultStatus.SUCCESSFUL,
    TaskResultStatus.FAILED,
)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


def _lease_time() -> dt.timedelta:
    return dt.timedelta(seconds=settings.TIAOJIE_WORKER_LEASE_SECONDS)


def describe(exc: BaseException) -> str:
    """The class of an error and where it was raised, without its message (personal data)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__module__}.{type(exc).__qualname__}{where}"[:500]


# --- taking back what a dead process left ----------------------------------------------------
def take_back_expired() -> int:
    """Queue again (or fail, when its attempts are used) running work whose lease ran out."""
    now = timezone.now()
    taken = 0
    # The database's clock, for every worker alike: one whose clock runs ahead of the others'
    # must not take back work whose lease is still running.
    expired = Lease.objects.filter(expires_at__lt=Now(), task__status=RUNNING).values_list(
        "pk", "worker_id", "expires_at", "attempts", "task__task_path", "task__args_kwargs"
    )
    for pk, worker, expires, attempts, path, arguments in list(expired):
        with transaction.atomic():
            # Compare-and-swap on the lease: of two workers looking at once, one takes it.
            moved = Lease.objects.filter(pk=pk, worker_id=worker, expires_at=expires).update(
                worker_id="", expires_at=None, error="the worker stopped while running it"
            )
            if not moved:
                continue
            if attempts >= kind_of(path).max_attempts:
                DBTaskResult.objects.filter(pk=pk, status=RUNNING).update(
                    status=FAILED,
                    finished_at=now,
                    exception_class_path="tiaojie.worker.LeaseExpired",
                    traceback="",
                )
                _final_failure(pk, path, arguments)
            else:
                DBTaskResult.objects.filter(pk=pk, status=RUNNING).update(status=READY)
            log.warning("took back task %s from %s (attempt %s)", pk, worker, attempts)
            taken += 1
    return taken


def _final_failure(pk: Any, path: str, arguments: dict[str, Any]) -> None:
    """Tell the kind's app that its work failed for good, in the transaction that failed it."""
    hook = kind_of(path).on_final_failure
    if hook is None:
        return
    try:
        with transaction.atomic():
            hook(*arguments["args"], **arguments["kwargs"])
    except Exception as exc:
        # The task stays failed for the operator page all the same.
        log.error("final-failure hook of task %s (%s) failed: %s", pk, path, describe(exc))


# --- claiming and running ----------------------------------------------------------------------
def claim(worker_id: str) -> DBTaskResult | None:
    """The next ready task, marked running with a fresh lease in one transaction; or None."""
    ready = DBTaskResult.objects.ready()
    try:
        with exclusive_transaction(ready.db):
            task = ready.get_locked()
            if task is None:
                return None
            task.claim(worker_id)
            Lease.objects.get_or_create(task=task)
            Lease.objects.filter(pk=task.pk).update(
                worker_id=worker_id,
                expires_at=Now() + _lease_time(),
                attempts=F("attempts") + 1,
            )
            return task
    except OperationalError as exc:
        if is_locked_database_exception(exc):
            return None  # SQLite busy with another writer: look again next turn
        raise


class Heartbeat:
    """Renews a lease every third of its length, from a thread, while the work runs."""

    def __init__(self, pk: Any, worker_id: str) -> None:
        self.pk, self.worker_id = pk, worker_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"lease-{pk}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def _beat(self) -> None:
        every = settings.TIAOJIE_WORKER_LEASE_SECONDS / 3
        try:
            while not self.stop.wait(every):
                try:
                    Lease.objects.filter(pk=self.pk, worker_id=self.worker_id).update(
                        expires_at=Now() + _lease_time()
                    )
                except DatabaseError as exc:
                    # SQLite: the work holds the write lock in a long transaction; or the
                    # connection broke (a restart, a network blip). A broken connection keeps
                    # raising (psycopg 3), so drop it: the next beat opens a new one. The
                    # lease is long enough to miss a beat or two (settings).
                    log.warning("lease of %s not renewed this time: %s", self.pk, describe(exc))
                    with contextlib.suppress(DatabaseError):
                        connection.close()
        finally:
            connection.close()  # this thread's own connection


def run(task: DBTaskResult, worker_id: str) -> bool:
    """Run a claimed task under its lease; True if it succeeded."""
    try:
        with Heartbeat(task.pk, worker_id):
            value = task.task.call(*task.args_kwargs["args"], **task.args_kwargs["kwargs"])
    except Exception as exc:
        log.error("task %s (%s) failed: %s", task.pk, task.task_path, describe(exc))
        _failed(task, worker_id, exc)
        return False
    _succeeded(task, worker_id, value)
    return True


def _let_go(pk: Any, worker_id: str, **fields: Any) -> bool:
    """Give up our lease, if we still hold it: a compare-and-swap, so a worker that took the
    task back meanwhile (our lease ran out) keeps it and we change nothing of the task."""
    return bool(
        Lease.objects.filter(pk=pk, worker_id=worker_id).update(
            worker_id="", expires_at=None, **fields
        )
    )


def _succeeded(task: DBTaskResult, worker_id: str, value: Any) -> None:
    with transaction.atomic():
        if _let_go(task.pk, worker_id, error=""):
            # What DBTaskResult.set_successful writes, in the same transaction as the lease.
            DBTaskResult.objects.filter(pk=task.pk, status=RUNNING).update(
                status=SUCCESSFUL,
                finished_at=timezone.now(),
                return_value=value,
                exception_class_path="",
                traceback="",
            )


def _failed(task: DBTaskResult, worker_id: str, exc: BaseException) -> None:
    attempts = (
        Lease.objects.filter(pk=task.pk, worker_id=worker_id)
        .values_list("attempts", flat=True)
        .first()
    )
    if attempts is None:
        return  # taken back while it ran; the other worker owns it now
    now = timezone.now()
    with transaction.atomic():
        if not _let_go(task.pk, worker_id, error=describe(exc)):
            return
        if attempts >= kind_of(task.task_path).max_attempts:
            DBTaskResult.objects.filter(pk=task.pk, status=RUNNING).update(
                status=FAILED,
                finished_at=now,
                exception_class_path=describe(exc).split(" at ")[0],
                # The frames only: the message may quote personal data.
                traceback="".join(traceback.format_tb(exc.__traceback__)),
            )
            _final_failure(task.pk, task.task_path, task.args_kwargs)
        else:
            pause = dt.timedelta(seconds=settings.TIAOJIE_WORKER_RETRY_SECONDS * attempts)
            DBTaskResult.objects.filter(pk=task.pk, status=RUNNING).update(
                status=READY, run_after=now + pause
            )


# --- the periodic sweep ------------------------------------------------------------------------
def sweep(*, due: Callable[[str, float | None], bool] | None = None) -> list[str]:
    """Run every registered step (or those ``due`` says are due); each step's report."""
    reports = []
    for step in steps():
        if due is not None and not due(step.name, step.every):
            continue
        try:
            reports.append(step.run())
        except Exception as exc:
            # One broken step must not stop the others, nor the queued work. Its class and
            # place only: a message may quote personal data or a database's DETAIL line.
            log.error("sweep step %s failed: %s", step.name, describe(exc))
            reports.append(f"{step.name} failed")
            _fresh_connection()
    return reports


def _fresh_connection() -> None:
    """Drop a broken or outlived connection, as Django does between requests.

    Not inside a transaction: there it would close the caller's (a test's) connection.
    """
    if not connection.in_atomic_block:
        close_old_connections()


class Worker:
    """One worker process: the periodic sweep, then queued work, until told to stop."""

    def __init__(
        self, *, sweep_every: float | None = None, idle: float = 1.0, write: Callable[[str], Any]
    ) -> None:
        self.id = new_worker_id()
        self.sweep_every = settings.TIAOJIE_SWEEP_SECONDS if sweep_every is None else sweep_every
        self.idle = idle
        self.write = write
        self.stopping = False
        self.last: dict[str, float] = {}

    def _due(self, name: str, every: float | None) -> bool:
        gap = self.sweep_every if every is None else every
        now = time.monotonic()
        if now - self.last.get(name, -1e9) < gap:
            return False
        self.last[name] = now
        return True

    def turn(self) -> bool:
        """Sweep what is due, take back dead work, run one task; True if a task ran."""
        _fresh_connection()
        # Like a request: what another process changed since (a mode, a rule) counts now.
        self._survive(cache.checkpoint)
        if self.sweep_every:
            for report in sweep(due=self._due):
                self.write(report)
        self._survive(take_back_expired)
        task = self._survive(lambda: claim(self.id))
        if not task:
            return False
        ok = self._survive(lambda: run(task, self.id))
        self.write(f"task {task.pk} {task.task_path}: {'done' if ok else 'failed'}")
        return True

    def _survive(self, step: Callable[[], T]) -> T | None:
        """Run one step of a turn; a database error (a restart, a dropped connection) is
        logged and the loop goes on with a new connection, after a pause. A task left
        running is taken back when its lease runs out."""
        try:
            return step()
        except DatabaseError as exc:
            log.warning("worker step failed, going on: %s", describe(exc))
            _fresh_connection()
            time.sleep(min(self.idle, 1.0))
            return None

    def work(self, *, burst: bool = False) -> None:
        """Run until stopped; with ``burst``, until nothing is ready to run."""
        while not self.stopping:
            if self.turn():
                continue
            if burst:
                return
            time.sleep(self.idle)


def run_queued(*, worker_id: str | None = None) -> int:
    """Run every ready task in this process, until none is ready (tests, `--burst`)."""
    worker = worker_id or new_worker_id()
    done = 0
    take_back_expired()
    while (task := claim(worker)) is not None:
        run(task, worker)
        done += 1
    return done
