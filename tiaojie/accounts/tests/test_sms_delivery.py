"""Text messages reach the gateway at least once, each under a stable key the gateway uses
to drop a repeat; one left "sending" by a sender that died goes out again under that key."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils import timezone

from tiaojie.accounts.models import SmsMessage, SmsStatus
from tiaojie.accounts.notify import MAX_ATTEMPTS, send_pending
from tiaojie.accounts.roles import Role
from tiaojie.audit.models import AuditEntry, AuditKind
from tiaojie.testing import sms_gateway
from tiaojie.testing.sms_gateway import Gateway

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway(settings) -> Iterator[Gateway]:
    running, stop = sms_gateway.start()
    settings.TIAOJIE_SMS_BACKEND = "http"
    settings.TIAOJIE_SMS_URL = running.url
    yield running
    stop()


def _message(n: int = 1) -> SmsMessage:
    return SmsMessage.objects.create(
        phone="13912345678", body=f"案件{n}已交办。", dedupe_key=f"7:case-assigned:{n}"
    )


def test_the_gateway_gets_the_message_with_its_key_in_a_header_and_a_field(gateway) -> None:
    message = _message()
    assert send_pending() == 1
    (got,) = gateway.received
    assert got.headers["Idempotency-Key"] == got.body["msgId"] == message.message_key
    assert got.body["mobile"] == "13912345678" and got.body["content"] == "案件1已交办。"
    # The key tells the gateway nothing about the case or the person.
    assert "case" not in message.message_key and "7" not in message.message_key[:3]


def test_a_message_a_dead_sender_left_sending_goes_out_again_under_its_key(gateway) -> None:
    message = _message()
    assert send_pending() == 1
    # As if the sender had died after the gateway took it, before it marked it sent.
    SmsMessage.objects.filter(pk=message.pk).update(
        status=SmsStatus.SENDING, lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert send_pending() == 1
    first, again = gateway.received
    assert first.key == again.key == message.message_key
    assert list(gateway.delivered) == [message.message_key]  # the repeat was dropped
    assert SmsMessage.objects.get().status == SmsStatus.SENT


def test_a_message_another_sender_holds_is_left_to_it(gateway) -> None:
    message = _message()
    SmsMessage.objects.filter(pk=message.pk).update(
        status=SmsStatus.SENDING, lease_until=timezone.now() + dt.timedelta(minutes=1)
    )
    assert send_pending() == 0 and not gateway.received


def test_a_message_the_gateway_keeps_refusing_waits_for_the_system_administrator(
    settings, client, world
) -> None:
    settings.TIAOJIE_SMS_BACKEND = "http"
    settings.TIAOJIE_SMS_URL = "http://127.0.0.1:9/nothing-listens-here"
    message = _message()
    for _attempt in range(MAX_ATTEMPTS + 1):
        send_pending()
        _pause_over()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (SmsStatus.FAILED, MAX_ATTEMPTS)
    client.force_login(world.user("sysadmin", world.center, Role.SYSADMIN))
    page = client.get(reverse("administration:work")).content.decode()
    assert f"#{message.pk}" in page and "13912345678" not in page
    client.post(reverse("administration:retry_sms", args=[message.pk]))
    message.refresh_from_db()
    assert (message.status, message.attempts) == (SmsStatus.PENDING, 0)
    assert AuditEntry.objects.filter(kind=AuditKind.WORK_RETRIED, target_type="sms").exists()


def _pause_over() -> None:
    """As if the pause before each waiting message's next attempt had passed."""
    SmsMessage.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


NOBODY_LISTENS = "http://127.0.0.1:9/nothing-listens-here"


def test_while_the_gateway_is_down_one_message_tries_and_the_rest_wait(settings) -> None:
    settings.TIAOJIE_SMS_BACKEND = "http"
    settings.TIAOJIE_SMS_URL = NOBODY_LISTENS
    first, *others = [_message(n) for n in range(3)]
    assert send_pending() == 0
    first.refresh_from_db()
    assert (first.status, first.attempts) == (SmsStatus.PENDING, 1)
    assert first.next_attempt_at > timezone.now() + dt.timedelta(seconds=20)  # about 30 s
    assert [m.attempts for m in SmsMessage.objects.filter(pk__in=[m.pk for m in others])] == [0, 0]


def test_a_failed_message_waits_longer_after_each_attempt(settings) -> None:
    settings.TIAOJIE_SMS_BACKEND = "http"
    settings.TIAOJIE_SMS_URL = NOBODY_LISTENS
    message = _message()
    send_pending()
    send_pending()  # at once again: it is not due yet
    message.refresh_from_db()
    assert message.attempts == 1
    _pause_over()
    send_pending()
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at > timezone.now() + dt.timedelta(seconds=100)  # about 2 min


def test_a_gateway_back_within_the_pauses_gets_every_message(settings, gateway) -> None:
    url = settings.TIAOJIE_SMS_URL
    settings.TIAOJIE_SMS_URL = NOBODY_LISTENS
    for n in range(3):
        _message(n)
    send_pending()
    _pause_over()
    settings.TIAOJIE_SMS_URL = url  # ten seconds later, the gateway is back
    assert send_pending() == 3
    assert set(SmsMessage.objects.values_list("status", flat=True)) == {SmsStatus.SENT}


def test_any_error_of_the_backend_fails_that_message_alone(settings) -> None:
    settings.TIAOJIE_SMS_BACKEND = "http"
    settings.TIAOJIE_SMS_URL = "not a url at all"  # urllib raises ValueError, not OSError
    for n in range(2):
        _message(n)
    assert send_pending() == 0
    rows = SmsMessage.objects.values_list("status", "attempts", "error")
    assert sorted(rows) == [(SmsStatus.PENDING, 1, "ValueError")] * 2


def test_the_key_is_keyed_by_the_projects_secret(settings) -> None:
    message = _message()
    key = message.message_key
    assert key.startswith("tj-") and len(key) == 35 and key == _message_again(message).message_key
    plain = hashlib.sha256(message.dedupe_key.encode()).hexdigest()[:32]
    assert key != "tj-" + plain  # a plain hash of small ids could be tried one by one
    settings.SECRET_KEY = "another secret " * 4
    assert message.message_key != key
    assert _message(2).message_key != message.message_key


def _message_again(message: SmsMessage) -> SmsMessage:
    return SmsMessage.objects.get(pk=message.pk)
