"""Leases run by the database's clock: a worker (or a text-message sender) on a machine whose
clock runs ahead does not take back work another process is still doing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models.functions import Now
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from tiaojie.accounts.models import SmsMessage, SmsStatus
from tiaojie.accounts.notify import send_pending
from tiaojie.worker.registry import job
from tiaojie.worker.runner import claim, take_back_expired

pytestmark = pytest.mark.django_db

AHEAD = "2100-01-01"  # far ahead of the database's clock


@job(name="时钟测试任务")
def nothing() -> None:
    return None


def test_a_worker_whose_clock_runs_ahead_leaves_a_live_lease_alone() -> None:
    nothing.enqueue()
    assert claim("the-worker-on-time") is not None
    with freeze_time(AHEAD):
        assert take_back_expired() == 0
    assert DBTaskResult.objects.get().status == "RUNNING"


def test_a_sender_whose_clock_runs_ahead_leaves_a_message_another_is_sending() -> None:
    message = SmsMessage.objects.create(phone="13912345678", body="测试", dedupe_key="1:skew")
    # Another sender claimed it a moment ago, for a minute by the database's clock.
    SmsMessage.objects.filter(pk=message.pk).update(
        status=SmsStatus.SENDING, lease_until=Now() + dt.timedelta(minutes=1)
    )
    with freeze_time(AHEAD):
        assert send_pending() == 0
    assert SmsMessage.objects.get().status == SmsStatus.SENDING
