"""Jobs outlive the request: a thread runs them after the commit, a worker takes over the
ones whose process died, and two workers never run one job twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from tiaojie.accounts.roles import Role
from tiaojie.cases.models import Case
from tiaojie.ledger import services
from tiaojie.ledger.models import ImportStatus, LedgerImport

from .samples import csv_bytes, ledger_rows

PLACES = [("下邽镇", "东庆村")]


def _ledger(user: Any, rows: int = 6) -> LedgerImport:
    data = csv_bytes(ledger_rows(rows, PLACES))
    return services.upload(user=user, file=SimpleUploadedFile("a.csv", data))


@pytest.mark.django_db(transaction=True)
def test_a_thread_checks_and_imports_after_the_request_commits(world, settings) -> None:
    settings.TIAOJIE_LEDGER_RUNNER = "thread"
    user = world.user("disp", world.center_a, Role.DISPATCHER)
    ledger = _ledger(user)
    services.set_mapping(ledger, user=user, mapping=ledger.mapping, defaults=ledger.defaults)
    services.wait_for_threads()
    ledger.refresh_from_db()
    assert ledger.status == ImportStatus.CHECKED
    services.start_import(ledger, user=user)
    services.wait_for_threads()
    ledger.refresh_from_db()
    assert (ledger.status, ledger.created_cases) == (ImportStatus.DONE, 6)
    assert Case.objects.count() == 6


def _claimed(world: Any, settings: Any, heartbeat: dt.datetime) -> LedgerImport:
    """A dry run claimed by some runner, whose last sign of life was ``heartbeat``."""
    settings.TIAOJIE_LEDGER_RUNNER = "worker"
    user = world.user("disp", world.center_a, Role.DISPATCHER)
    ledger = _ledger(user)
    services.set_mapping(ledger, user=user, mapping=ledger.mapping, defaults=ledger.defaults)
    LedgerImport.objects.filter(pk=ledger.pk).update(
        status=ImportStatus.CHECKING, heartbeat_at=heartbeat
    )
    return ledger


@pytest.mark.django_db
def test_the_worker_takes_over_a_job_whose_process_died(world, settings) -> None:
    # Claimed by a process that then died: no heartbeat for longer than STALE_AFTER.
    long_ago = timezone.now() - services.STALE_AFTER - dt.timedelta(seconds=1)
    ledger = _claimed(world, settings, long_ago)
    call_command("ledger", "work")
    ledger.refresh_from_db()
    assert ledger.status == ImportStatus.CHECKED


@pytest.mark.django_db
def test_a_job_claimed_by_one_worker_is_not_run_by_another(world, settings) -> None:
    ledger = _claimed(world, settings, timezone.now())
    assert services.run_job(ledger.pk) is False
    assert services.run_pending() == 0
    assert LedgerImport.objects.get(pk=ledger.pk).status == ImportStatus.CHECKING
