"""Telling people: the in-app inbox and text messages, written with the change they report.

Notifications and SMS rows are written inside the caller's transaction, so a rolled-back
action tells nobody. Text messages leave after the commit, sent by the worker's sweep
(``tiaojie worker``, every few seconds). Delivery is at least once: a sender claims a message
with a compare-and-swap and a lease; if it dies before marking it sent, the message is sent
again once the lease ran out, with the same message key, which the gateway uses to drop the
repeat (docs/worker.md).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Now
from django.utils import timezone

from tiaojie.accounts.models import Notification, SmsMessage, SmsStatus, User
from tiaojie.accounts.sms import SmsGatewayDown, SmsSendError, backend

log = logging.getLogger("tiaojie.sms")

# Attempts of one text message, and the pauses between them: a gateway down for an hour or
# two still gets every message out, about five hours after the first attempt at the most.
MAX_ATTEMPTS = 8
BACKOFF = [
    dt.timedelta(seconds=30),
    dt.timedelta(minutes=2),
    dt.timedelta(minutes=10),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=1),
    dt.timedelta(hours=1),
    dt.timedelta(hours=2),
]

# Rules under which a reader gets a message's title but not its words, asked per reader of a
# message about a case. Cases registers its security label (安全标记) when it is ready:
# accounts sits below cases and never imports it (docs/architecture.md, "Layers").
_withholds_body: list[Callable[[User, Any], bool]] = []


def withhold_body_when(rule: Callable[[User, Any], bool]) -> None:
    """Register ``rule(user, case)``: True when that reader must not read the body."""
    if rule not in _withholds_body:
        _withholds_body.append(rule)


def _body_for(user: User, message: Message) -> str:
    case = message.case
    if case is not None and any(rule(user, case) for rule in _withholds_body):
        return ""
    return message.body


@dataclass(frozen=True)
class Message:
    kind: str
    title: str
    dedupe_key: str
    body: str = ""
    case: Any = None
    sms: str = ""  # the text message, if this one also goes out by SMS


def notify(users: Iterable[User], message: Message) -> int:
    """Put ``message`` in each user's inbox (and SMS queue); returns how many users it reached."""
    people = {u.pk: u for u in users if u.is_active}
    if not people:
        return 0
    Notification.objects.bulk_create(
        [
            Notification(
                user=u,
                kind=message.kind,
                case=message.case,
                title=message.title[:200],
                # A labelled case's words (a reason, what was done) reach cleared staff only;
                # the others read the title and open the case's shell (安全标记).
                body=_body_for(u, message),
                dedupe_key=message.dedupe_key,
            )
            for u in people.values()
        ],
        ignore_conflicts=True,
    )
    if message.sms:
        SmsMessage.objects.bulk_create(
            [
                SmsMessage(
                    user=u,
                    phone=u.phone,
                    body=message.sms[:300],
                    dedupe_key=f"{u.pk}:{message.dedupe_key}"[:120],
                )
                for u in people.values()
                if u.phone
            ],
            ignore_conflicts=True,
        )
    return len(people)


def send_pending(limit: int = 100) -> int:
    """Send queued text messages; safe to run from several processes at once.

    A message whose send failed waits longer after each attempt (BACKOFF). When the gateway
    cannot be reached the batch stops there: the others wait for the next sweep rather than
    each use an attempt (and, with a gateway that times out, hold the worker for minutes).
    """
    sent = 0
    sender = backend()
    lease = dt.timedelta(seconds=settings.TIAOJIE_WORKER_LEASE_SECONDS)
    # Pending ones whose pause is over, and those a dead sender left "sending" (its lease ran
    # out); by the database's clock, which every sender shares.
    due = Q(status=SmsStatus.PENDING) & (
        Q(next_attempt_at=None) | Q(next_attempt_at__lte=Now())
    ) | Q(status=SmsStatus.SENDING, lease_until__lt=Now())
    for pk in list(
        SmsMessage.objects.filter(due).order_by("created_at").values_list("pk", flat=True)[:limit]
    ):
        claimed = (
            SmsMessage.objects.filter(pk=pk)
            .filter(due)
            .update(status=SmsStatus.SENDING, lease_until=Now() + lease, attempts=F("attempts") + 1)
        )
        if not claimed:
            continue  # another sender has it
        message = SmsMessage.objects.get(pk=pk)
        # Our lease: we mark the message only while it is still ours.
        ours = SmsMessage.objects.filter(
            pk=pk, status=SmsStatus.SENDING, lease_until=message.lease_until
        )
        if message.attempts > MAX_ATTEMPTS:
            _give_up(ours, message, "sender stopped while sending")
            continue
        try:
            sender.send(message.phone, message.body, key=message.message_key)
        except Exception as exc:
            # Any error of the backend fails this attempt only; our own errors say what the
            # gateway did, any other by its class alone (a message may quote the phone).
            error = str(exc) if isinstance(exc, SmsSendError) else type(exc).__name__
            if message.attempts < MAX_ATTEMPTS:
                ours.update(
                    status=SmsStatus.PENDING,
                    lease_until=None,
                    next_attempt_at=Now() + backoff(message.attempts),
                    error=error[:200],
                )
            else:
                _give_up(ours, message, error)
            if isinstance(exc, SmsGatewayDown):
                log.warning("SMS gateway unreachable (%s); the rest wait", error)
                break
            continue
        sent += ours.update(status=SmsStatus.SENT, sent_at=timezone.now(), lease_until=None)
    return sent


def backoff(attempts: int) -> dt.timedelta:
    """The pause after a message's ``attempts``-th failed attempt."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def _give_up(ours: QuerySet[SmsMessage], message: SmsMessage, error: str) -> None:
    log.error("text message %s failed after %s attempts", message.pk, message.attempts)
    ours.update(status=SmsStatus.FAILED, lease_until=None, next_attempt_at=None, error=error[:200])


def retry_failed_sms(pk: int) -> bool:
    """Queue a failed text message again with fresh attempts (the operator page)."""
    return bool(
        SmsMessage.objects.filter(pk=pk, status=SmsStatus.FAILED).update(
            status=SmsStatus.PENDING, attempts=0, error="", next_attempt_at=None
        )
    )


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
