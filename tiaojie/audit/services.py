"""Writing the security audit log: ``record(kind, ...)`` is the one way in.

When an entry is written (the choice, and why):
- An entry is written at once, never deferred with ``on_commit``: a deferred entry would be
  lost with every rolled-back transaction, which is exactly when a failure must be kept.
- A success entry describes a change, so it joins the caller's transaction: the change and
  its entry commit together or not at all (no entry for a change that did not happen, no
  change without its entry).
- A failure or denial entry describes an attempt that must outlive the failed action. It is
  written in a durable transaction of its own, so it must be recorded outside the failed
  action's transaction (at the edge, after the service raised). Recording one inside an open
  transaction raises RuntimeError instead of writing an entry a rollback could erase.
  (A second database connection could write it from inside, but on SQLite it would wait for
  the very transaction that holds the write lock; the edge is the honest place.)
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.http import HttpRequest

from tiaojie.core.idnumber import mask_id_number, mask_phone

from . import chain
from .models import AuditEntry, AuditKind, AuditOutcome

_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def current_request() -> HttpRequest | None:
    """The request being served in this thread, if any (see AuditContextMiddleware)."""
    return _current_request.get()


@contextmanager
def serving(request: HttpRequest) -> Iterator[None]:
    """Entries recorded inside know the request: who acts, from where."""
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


@dataclass(frozen=True)
class Target:
    """What an entry is about: a type and an id or case code — never personal data."""

    type: str
    id: str | int


def record(
    kind: AuditKind,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    target: Target | models.Model | None = None,
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
    detail: dict[str, Any] | None = None,
    durable: bool | None = None,
) -> AuditEntry:
    """Append one entry: who (from ``actor`` or the request's user), from where, what, outcome.

    ``request`` defaults to the request being served, so model-signal receivers know who did it.
    Text that looks like an ID or phone number is masked wherever it appears. ``durable``
    (default: any outcome but success) commits the entry at once, on its own.
    """
    request = request if request is not None else current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    target_type, target_id = _target(target)
    fields: dict[str, Any] = {
        "kind": AuditKind(kind).value,
        "outcome": AuditOutcome(outcome).value,
        "actor_id": getattr(actor, "pk", None),
        "username": scrub(actor.get_username())[:150] if actor is not None else "",
        "unit_id": getattr(actor, "unit_id", None),
        "unit_name": _unit_name(actor),
        "ip": client_ip(request),
        "user_agent": _user_agent(request),
        "target_type": target_type,
        "target_id": scrub(target_id)[:64],
        "detail": scrub(detail or {}),
    }
    if durable is None:
        durable = outcome != AuditOutcome.SUCCESS
    with transaction.atomic(durable=durable):
        return chain.append(**fields)


def _target(target: Target | models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, Target):
        return target.type, str(target.id)
    # A case is known by its code; anything else by its primary key.
    return target._meta.label_lower, str(getattr(target, "code", None) or target.pk)


def _unit_name(actor: Any) -> str:
    unit = getattr(actor, "unit", None) if getattr(actor, "unit_id", None) else None
    return str(unit.name)[:100] if unit is not None else ""


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address; behind the center's own proxy, the one that proxy saw."""
    if request is None:
        return None
    raw = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_PROXY:
        # Only the last hop is ours: whatever the client put before it could be forged.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            raw = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
USER_AGENT_LENGTH = 120


def _user_agent(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    agent = scrub(_CONTROL.sub(" ", request.META.get("HTTP_USER_AGENT", "")).strip())
    return agent if len(agent) <= USER_AGENT_LENGTH else agent[: USER_AGENT_LENGTH - 1] + "…"


# An ID number (18 characters, the last may be X) or a mainland mobile number (+86 optional)
# standing on its own inside any text: a user name typed at a failed sign-in, say.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d{9})(?!\d)")


def scrub(value: Any) -> Any:
    """``value`` with every ID or phone number in its text masked (dicts and lists too)."""
    if isinstance(value, str):
        value = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0).upper()), value)
        return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(1)), value)
    if isinstance(value, dict):
        return {str(k): scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    return value
