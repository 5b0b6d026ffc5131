"""Server-side sessions of a user: when each began, and ending them all at once."""

from __future__ import annotations

import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tiaojie.accounts.models import User, UserSession

# When the user signed in (seconds since the epoch); the absolute limit counts from here.
SIGNED_IN_AT = "tiaojie_signed_in_at"


def record_sign_in(request: HttpRequest, user: User) -> None:
    """Note the start of this sign-in and tie its session to the user."""
    session = request.session
    session[SIGNED_IN_AT] = int(time.time())
    if session.session_key is None:
        session.save()
    track(user, session.session_key)


def track(user: User, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.update_or_create(session_id=session_key, defaults={"user": user})


def signed_in_too_long(request: HttpRequest) -> bool:
    started = request.session.get(SIGNED_IN_AT)
    if not isinstance(started, int):
        return True  # a session from before the limit existed: sign in again
    return time.time() - started > settings.TIAOJIE_SESSION_MAX_SECONDS


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """Delete every server-side session of the user (but ``keep``); returns how many."""
    store: Any = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(
        UserSession.objects.filter(user=user)
        .exclude(session_id=keep or "")
        .values_list("session_id", flat=True)
    )
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user, session_id__in=keys).delete()
    return len(keys)
