"""Work that keeps failing stops after its kind's maximum attempts, and waits on the system
administrator's page, with its error, until retried from there."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tiaojie.accounts.roles import Role
from tiaojie.audit.models import AuditEntry, AuditKind
from tiaojie.worker.models import Lease
from tiaojie.worker.registry import job
from tiaojie.worker.runner import run_queued

pytestmark = pytest.mark.django_db


class GatewayDown(Exception):
    """What the always failing work raises."""


@job(name="总是失败的测试任务", max_attempts=3)
def always_fails(pk: int) -> None:
    phone = "139" + "12345678"
    raise GatewayDown(f"person {pk} {phone}")  # a message quoting personal data


@pytest.fixture(autouse=True)
def _no_pause_between_attempts(settings) -> None:
    settings.TIAOJIE_WORKER_RETRY_SECONDS = 0


def test_work_that_always_fails_stops_after_its_maximum_attempts() -> None:
    always_fails.enqueue(7)
    assert run_queued() == 3  # three attempts, then no more
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED"
    lease = Lease.objects.get()
    assert lease.attempts == 3
    assert "GatewayDown" in lease.error and "test_failed_work.py" in lease.error
    assert "13912345678" not in lease.error + task.traceback  # never the message
    assert run_queued() == 0


def test_the_system_administrator_sees_it_and_retries_it(client, world) -> None:
    always_fails.enqueue(7)
    run_queued()
    admin = world.user("sysadmin", world.center, Role.SYSADMIN)
    client.force_login(admin)
    page = client.get(reverse("administration:work")).content.decode()
    assert "总是失败的测试任务" in page and "GatewayDown" in page and "3 / 3" in page
    task = DBTaskResult.objects.get()
    response = client.post(reverse("administration:retry_work", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "READY" and Lease.objects.get().attempts == 0
    entry = AuditEntry.objects.get(kind=AuditKind.WORK_RETRIED)
    assert entry.username == "sysadmin" and entry.target_id == str(task.pk)
    # Retried again, it fails three more times and is back on the page.
    assert run_queued() == 3
    assert "GatewayDown" in client.get(reverse("administration:work")).content.decode()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSADMIN])
def test_nobody_else_sees_or_retries_background_work(client, world, role: str) -> None:
    always_fails.enqueue(7)
    run_queued()
    client.force_login(world.user(f"someone_{role}", world.center, role))
    assert client.get(reverse("administration:work")).status_code == 404
    task = DBTaskResult.objects.get()
    assert client.post(reverse("administration:retry_work", args=[task.pk])).status_code == 404
    assert DBTaskResult.objects.get().status == "FAILED"


def test_the_api_lists_failed_work_for_the_system_administrator_alone(client, world) -> None:
    always_fails.enqueue(7)
    run_queued()
    task = DBTaskResult.objects.get()
    client.force_login(world.user("leader", world.center, Role.LEADER))
    assert client.get("/api/v1/work/failed").json()["code"] == "not_found"
    client.force_login(world.user("sysadmin", world.center, Role.SYSADMIN))
    (listed,) = client.get("/api/v1/work/failed").json()
    assert listed["id"] == str(task.pk) and listed["kind"] == "总是失败的测试任务"
    assert (listed["attempts"], listed["max_attempts"]) == (3, 3)
    retried = client.post(f"/api/v1/work/{task.pk}/retry")
    assert retried.json() == {"id": str(task.pk), "status": "READY"}
    assert client.post(f"/api/v1/work/{task.pk}/retry").status_code == 409  # queued already
