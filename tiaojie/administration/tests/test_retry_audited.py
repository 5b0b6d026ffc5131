"""Retrying failed work and writing its audit entry commit together: when the audit entry
cannot be written, the work stays failed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DatabaseError, connection
from django_tasks_db.models import DBTaskResult

from tiaojie.accounts.models import SmsMessage, SmsStatus
from tiaojie.accounts.roles import Role
from tiaojie.administration import services
from tiaojie.audit.models import AuditEntry
from tiaojie.worker.runner import run_queued
from tiaojie.worker.tests.test_failed_work import always_fails

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world) -> Any:
    return world.user("sysadmin", world.center, Role.SYSADMIN)


@pytest.fixture
def audit_refuses(admin) -> Iterator[None]:
    """The audit table refuses every entry (a full disk, a broken chain)."""
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse() RETURNS trigger AS $$"
                " BEGIN RAISE EXCEPTION 'no'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse BEFORE INSERT ON {table}"
                " FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER refuse BEFORE INSERT ON {table}"
                " BEGIN SELECT RAISE(ABORT, 'no'); END"
            )
    yield  # the test's transaction takes the trigger away


def test_work_whose_retry_cannot_be_audited_stays_failed(settings, admin, audit_refuses) -> None:
    settings.TIAOJIE_WORKER_RETRY_SECONDS = 0
    always_fails.enqueue(7)
    run_queued()
    task = DBTaskResult.objects.get()
    with pytest.raises(DatabaseError):
        services.retry_work(actor=admin, work_id=task.pk)
    assert DBTaskResult.objects.get().status == "FAILED"


def test_a_text_message_whose_retry_cannot_be_audited_stays_failed(admin, audit_refuses) -> None:
    message = SmsMessage.objects.create(
        phone="13912345678", body="测试", dedupe_key="1:x", status=SmsStatus.FAILED
    )
    with pytest.raises(DatabaseError):
        services.retry_text_message(actor=admin, pk=message.pk)
    assert SmsMessage.objects.get().status == SmsStatus.FAILED
