"""Reads of queued work for the operator page and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import Lease
from .registry import kind_of


@dataclass(frozen=True)
class FailedWork:
    """One piece of work that used all its attempts."""

    id: str
    kind: str
    task_path: str
    attempts: int
    max_attempts: int
    error: str
    enqueued_at: Any
    finished_at: Any


def failed_work(limit: int = 200) -> list[FailedWork]:
    """Work that used all its attempts, newest first."""
    rows = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).order_by("-finished_at")[
        :limit
    ]
    leases = {lease.pk: lease for lease in Lease.objects.filter(pk__in=[r.pk for r in rows])}
    out = []
    for row in rows:
        lease = leases.get(row.pk)
        kind = kind_of(row.task_path)
        out.append(
            FailedWork(
                id=str(row.pk),
                kind=str(kind.name),
                task_path=row.task_path,
                attempts=lease.attempts if lease else 1,
                max_attempts=kind.max_attempts,
                error=(lease.error if lease else "") or row.exception_class_path,
                enqueued_at=row.enqueued_at,
                finished_at=row.finished_at,
            )
        )
    return out


def counts() -> dict[str, int]:
    """How many tasks are in each state (READY, RUNNING, SUCCESSFUL, FAILED)."""
    rows = DBTaskResult.objects.order_by().values("status").annotate(n=Count("pk"))
    return {r["status"]: r["n"] for r in rows}
