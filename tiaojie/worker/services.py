"""Writes on queued work that an operator makes: retrying work that used its attempts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from tiaojie.core.errors import Conflict

from .models import Lease


def retry(pk: Any) -> DBTaskResult:
    """Queue failed work again with a fresh count of attempts (the error stays until it runs)."""
    with transaction.atomic():
        moved = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=get_date_max(), finished_at=None
        )
        if not moved:
            raise Conflict(_("This work has not failed, or is queued again already."))
        Lease.objects.filter(pk=pk).update(attempts=0, worker_id="", expires_at=None)
        return DBTaskResult.objects.get(pk=pk)


KEEP_FINISHED = dt.timedelta(days=7)


def prune_finished() -> int:
    """Delete work that succeeded more than a week ago; failed work stays until retried."""
    old = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=timezone.now() - KEEP_FINISHED
    )
    return old.delete()[0]
