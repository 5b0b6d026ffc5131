"""Writes to accounts: role groups, passwords, the second factor, lockouts, deactivation.

Services that act on someone's account take the ``actor`` (an administrator, the user, or None
for the command line, whose operator is trusted) and the ``request`` if there is one, and send
the security signals of accounts/signals.py for the audit log.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from tiaojie.accounts import passwords, sessions, signals, two_factor
from tiaojie.accounts.models import User
from tiaojie.accounts.roles import ACCOUNT_ADMIN_ROLES, Role
from tiaojie.core import clock
from tiaojie.core.context_processors import is_demo
from tiaojie.core.errors import DomainError


def role_groups() -> dict[str, Group]:
    """One auth group per role, keyed by role code; creates any that are missing.

    The migration creates them, but a test flush or a hand-cleaned database may not have them.
    """
    groups = {g.name: g for g in Group.objects.filter(name__in=list(Role))}
    for role in Role:
        if role.value not in groups:
            groups[role.value] = Group.objects.create(name=role.value)
    return groups


def _require_account_admin(actor: User | None) -> None:
    if actor is None or actor.is_superuser or actor.has_role(*ACCOUNT_ADMIN_ROLES):
        return
    raise DomainError(
        _("Only the system or security administrator can do this."), code="not_account_admin"
    )


def change_password(*, user: User, new_password: str, request: HttpRequest | None = None) -> None:
    """The user chose a new (already validated) password; their other sessions end."""
    with transaction.atomic():
        passwords.remember(user)  # the one being replaced
        user.set_password(new_password)
        user.password_changed_at = clock.now()
        user.save(update_fields=["password", "password_changed_at"])
        keep = request.session.session_key if request is not None else None
        sessions.end_sessions(user, keep=keep)
        if request is not None:
            # This session stays signed in, under a new key (update_session_auth_hash cycles it).
            update_session_auth_hash(request, user)
            sessions.track(user, request.session.session_key)
    signals.password_changed.send(User, user=user, actor=user, request=request)


def reset_password(
    *, user: User, new_password: str, actor: User | None, request: HttpRequest | None = None
) -> None:
    """An administrator set a password: every session ends and the user must change it."""
    _require_account_admin(actor)
    with transaction.atomic():
        passwords.remember(user)
        user.set_password(new_password)
        user.password_changed_at = None
        user.save(update_fields=["password", "password_changed_at"])
        sessions.end_sessions(user)
    signals.password_changed.send(User, user=user, actor=actor, request=request)


def deactivate_user(*, user: User, actor: User | None, request: HttpRequest | None = None) -> None:
    """Disable the account; every session of it ends at once (also on any other save)."""
    _require_account_admin(actor)
    user.deactivated_by = (actor, request)
    user.is_active = False
    user.save(update_fields=["is_active"])


def _dormant_since(cutoff: dt.datetime) -> Q:
    # Never signed in counts from when the account was made.
    return Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)


def dormant_users(*, days: int | None = None) -> list[User]:
    """Active accounts nobody signed in to for ``days`` (``TIAOJIE_DORMANT_DAYS``; 0: none).

    The demo's shared accounts are never dormant, as their passwords never expire.
    """
    days = settings.TIAOJIE_DORMANT_DAYS if days is None else days
    if days <= 0 or is_demo():
        return []
    cutoff = clock.now() - dt.timedelta(days=days)
    return list(User.objects.filter(_dormant_since(cutoff), is_active=True).order_by("username"))


def disable_dormant(*, days: int | None = None) -> list[User]:
    """等保 access control (AC-2, surplus accounts): disable the dormant accounts.

    Each one is disabled as any other (its sessions end at once, the audit log gets a
    ``user_deactivated`` entry by the system with ``reason: dormant``); an administrator
    enables it again when its owner is back. Returns the accounts disabled.
    """
    days = settings.TIAOJIE_DORMANT_DAYS if days is None else days
    now = clock.now()
    cutoff = now - dt.timedelta(days=days)
    disabled = []
    for user in dormant_users(days=days):
        with transaction.atomic():
            # Claim the row (an UPDATE that changes nothing takes its write lock) and check
            # again under it: two sweepers never disable one account twice, and someone who
            # signed in a moment ago stays enabled.
            claimed = User.objects.filter(_dormant_since(cutoff), pk=user.pk, is_active=True)
            if not claimed.update(is_active=True):
                continue
            last_active = user.last_login or user.date_joined
            user.deactivation_detail = {
                "reason": "dormant",
                "inactive_days": (now - last_active).days,
            }
            user.is_active = False
            user.save(update_fields=["is_active"])
        disabled.append(user)
    return disabled


def unlock_user(*, username: str, actor: User | None) -> int:
    """Lift a lockout by user name; returns how many failure records were cleared."""
    from axes.utils import reset

    _require_account_admin(actor)
    return int(reset(username=username))


def enroll_two_factor(
    *, user: User, token: str, request: HttpRequest | None = None
) -> list[str] | None:
    """Confirm the pending authenticator with its first code; returns fresh backup codes."""
    device = two_factor.pending_totp(user)
    with transaction.atomic():
        if not two_factor.confirm(device, token):
            return None
        codes = two_factor.new_backup_codes(user)
    signals.two_factor_changed.send(
        User, user=user, action=two_factor.TwoFactorAction.ENROLLED, actor=user, request=request
    )
    return codes


def renew_backup_codes(*, user: User, request: HttpRequest | None = None) -> list[str]:
    with transaction.atomic():
        codes = two_factor.new_backup_codes(user)
    signals.two_factor_changed.send(
        User,
        user=user,
        action=two_factor.TwoFactorAction.BACKUP_CODES_RENEWED,
        actor=user,
        request=request,
    )
    return codes


def reset_two_factor(*, user: User, actor: User | None, request: HttpRequest | None = None) -> None:
    """A lost phone: remove the devices and sessions; the user enrols again at sign-in."""
    _require_account_admin(actor)
    with transaction.atomic():
        two_factor.remove_devices(user)
        sessions.end_sessions(user)
    signals.two_factor_changed.send(
        User, user=user, action=two_factor.TwoFactorAction.RESET, actor=actor, request=request
    )
