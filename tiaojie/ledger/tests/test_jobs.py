"""Jobs outlive the request: queued with it, run by the worker, taken over when the worker's
process dies, never run twice by two workers at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tiaojie.accounts.roles import Role
from tiaojie.cases.models import Case
from tiaojie.ledger import services
from tiaojie.ledger.models import ImportStatus, LedgerImport
from tiaojie.worker.models import Lease
from tiaojie.worker.runner import claim, run_queued

from .samples import csv_bytes, ledger_rows

PLACES = [("下邽镇", "东庆村")]


def _ledger(user: Any, rows: int = 6) -> LedgerImport:
    data = csv_bytes(ledger_rows(rows, PLACES))
    return services.upload(user=user, file=SimpleUploadedFile("a.csv", data))


@pytest.mark.django_db(transaction=True)
def test_the_worker_checks_and_imports_what_the_request_queued(world) -> None:
    user = world.user("disp", world.center_a, Role.DISPATCHER)
    ledger = _ledger(user)
    services.set_mapping(ledger, user=user, mapping=ledger.mapping, defaults=ledger.defaults)
    assert ledger.status == ImportStatus.CHECK_QUEUED  # queued with the request, not run in it
    call_command("worker", burst=True, sweep_every=0)
    ledger.refresh_from_db()
    assert ledger.status == ImportStatus.CHECKED
    services.start_import(ledger, user=user)
    call_command("ledger", "work")  # the old command is an alias of the worker
    ledger.refresh_from_db()
    assert (ledger.status, ledger.created_cases) == (ImportStatus.DONE, 6)
    assert Case.objects.count() == 6


@pytest.mark.django_db
def test_a_refused_mapping_queues_nothing(world) -> None:
    user = world.user("disp", world.center_a, Role.DISPATCHER)
    ledger = _ledger(user)
    with pytest.raises(services.DomainError):
        services.set_mapping(ledger, user=user, mapping={}, defaults=ledger.defaults)
    assert not DBTaskResult.objects.exists()


def _claimed_by_a_dead_worker(world: Any) -> LedgerImport:
    """A dry run that a worker claimed and began, then died: its lease ran out."""
    user = world.user("disp", world.center_a, Role.DISPATCHER)
    ledger = _ledger(user)
    services.set_mapping(ledger, user=user, mapping=ledger.mapping, defaults=ledger.defaults)
    task = claim("dead-worker")
    assert task is not None
    LedgerImport.objects.filter(pk=ledger.pk).update(status=ImportStatus.CHECKING)
    Lease.objects.filter(pk=task.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    return ledger


@pytest.mark.django_db
def test_the_worker_takes_over_a_job_whose_process_died(world) -> None:
    ledger = _claimed_by_a_dead_worker(world)
    assert run_queued() == 1
    ledger.refresh_from_db()
    assert ledger.status == ImportStatus.CHECKED
    assert Lease.objects.get().attempts == 2


@pytest.mark.django_db
def test_a_job_whose_worker_holds_its_lease_is_not_run_by_another(world) -> None:
    user = world.user("disp", world.center_a, Role.DISPATCHER)
    ledger = _ledger(user)
    services.set_mapping(ledger, user=user, mapping=ledger.mapping, defaults=ledger.defaults)
    assert claim("busy-worker") is not None
    LedgerImport.objects.filter(pk=ledger.pk).update(status=ImportStatus.CHECKING)
    assert run_queued() == 0
    assert LedgerImport.objects.get(pk=ledger.pk).status == ImportStatus.CHECKING


@pytest.mark.django_db
def test_a_job_whose_attempts_all_died_is_failed_and_can_be_started_again(world, client) -> None:
    ledger = _claimed_by_a_dead_worker(world)
    Lease.objects.update(attempts=3)  # its last attempt died too
    assert run_queued() == 0
    ledger.refresh_from_db()
    assert (ledger.status, ledger.error) == (ImportStatus.FAILED, services.GAVE_UP)
    client.force_login(ledger.uploaded_by)
    page = client.get(reverse("ledger:detail", args=[ledger.pk])).content.decode()
    assert "后台处理多次中断" in page
    services.set_mapping(
        ledger, user=ledger.uploaded_by, mapping=ledger.mapping, defaults=ledger.defaults
    )
    assert run_queued() == 1
    ledger.refresh_from_db()
    assert ledger.status == ImportStatus.CHECKED


@pytest.mark.django_db
def test_a_run_that_ends_after_the_job_was_failed_leaves_it_failed(world) -> None:
    ledger = _claimed_by_a_dead_worker(world)
    ledger.refresh_from_db()  # checking, as the run that outlived its lease sees it
    services.gave_up(ledger.pk)
    services.check(ledger)
    ledger.refresh_from_db()
    assert (ledger.status, ledger.error) == (ImportStatus.FAILED, services.GAVE_UP)


@pytest.mark.django_db
def test_a_job_still_showing_signs_of_life_is_not_started_over(world) -> None:
    ledger = _claimed_by_a_dead_worker(world)
    # The first run still writes its progress: only its lease ran out.
    LedgerImport.objects.filter(pk=ledger.pk).update(heartbeat_at=timezone.now())
    with pytest.raises(services.StillRunning):
        services.run_ledger_job.call(ledger.pk)
    assert LedgerImport.objects.get(pk=ledger.pk).status == ImportStatus.CHECKING


@pytest.mark.django_db
def test_a_failed_job_is_logged_by_its_class_and_place_never_its_message(
    world, monkeypatch, caplog
) -> None:
    user = world.user("disp", world.center_a, Role.DISPATCHER)
    ledger = _ledger(user)
    services.set_mapping(ledger, user=user, mapping=ledger.mapping, defaults=ledger.defaults)

    def breaks(ledger: LedgerImport) -> None:
        raise ValueError("第7行：13912345678")  # as a cell's value or a DETAIL line would

    monkeypatch.setattr(services, "check", breaks)
    assert run_queued() == 1
    assert "ValueError" in caplog.text and "13912345678" not in caplog.text
    assert LedgerImport.objects.get(pk=ledger.pk).status == ImportStatus.FAILED
