"""The password policy: validators Django runs on every new password, and expiry.

Length, common and numeric-only passwords and likeness to the user's own names are Django's
validators; the character classes and the history are ours (settings: TIAOJIE_PASSWORD_*).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiaojie.core import clock


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters the password uses."""
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class CharacterClassValidator:
    """At least ``min_classes`` of the four character classes (等保: 3 of 4)."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(count)d of: lower-case letters, "
                    "upper-case letters, digits and symbols."
                ),
                code="password_too_plain",
                params={"count": self.min_classes},
            )

    def get_help_text(self) -> str:
        return _(
            "Use at least %(count)d of: lower-case letters, upper-case letters, digits and symbols."
        ) % {"count": self.min_classes}


class PasswordHistoryValidator:
    """The new password differs from the current one and the ``depth`` before it."""

    def __init__(self, depth: int = 5) -> None:
        self.depth = depth

    def _previous(self, user: Any) -> list[str]:
        if self.depth <= 0 or user is None or user.pk is None:
            return []
        hashes = [user.password] if user.password else []
        hashes += list(
            user.password_history.order_by("-created_at", "-id").values_list("password", flat=True)[
                : self.depth
            ]
        )
        return hashes

    def validate(self, password: str, user: Any = None) -> None:
        if any(check_password(password, encoded) for encoded in self._previous(user)):
            raise ValidationError(
                ngettext(
                    "The password must differ from your last password.",
                    "The password must differ from your last %(count)d passwords.",
                    self.depth,
                ),
                code="password_reused",
                params={"count": self.depth},
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        """Django calls this after set_password() and save(): keep the new hash."""
        remember(user, self.depth)

    def get_help_text(self) -> str:
        return ngettext(
            "Do not reuse your last password.",
            "Do not reuse any of your last %(count)d passwords.",
            self.depth,
        ) % {"count": self.depth}


def remember(user: Any, depth: int | None = None) -> None:
    """Add the user's current hash to their history (once), keeping the last ``depth``.

    Called for the new hash after every set_password(), and by the services for the hash
    being replaced, since accounts made by create_user() or the demo never passed through
    set_password().
    """
    depth = settings.TIAOJIE_PASSWORD_HISTORY if depth is None else depth
    if depth <= 0 or user is None or user.pk is None or not user.password:
        return
    from tiaojie.accounts.models import PasswordHistory

    if not user.password_history.filter(password=user.password).exists():
        PasswordHistory.objects.create(user=user, password=user.password)
    recent = user.password_history.order_by("-created_at", "-id").values_list("pk", flat=True)
    user.password_history.exclude(pk__in=list(recent[:depth])).delete()


def password_change_due(user: Any, *, demo: bool = False) -> str | None:
    """Why the user must choose a new password before anything else, or None.

    "initial": someone else set it (a new account, a reset). "expired": older than
    TIAOJIE_PASSWORD_MAX_AGE_DAYS. A demo's shared accounts never expire, or the first
    visitor after 90 days would change the published password for everyone.
    """
    if user.password_changed_at is None:
        return "initial"
    max_age = settings.TIAOJIE_PASSWORD_MAX_AGE_DAYS
    if max_age and not demo and clock.now() - user.password_changed_at > dt.timedelta(days=max_age):
        return "expired"
    return None
