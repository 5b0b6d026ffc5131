"""Account administration under 三员分立 (separated admin duties).

- The system administrator keeps accounts: creates them, edits who and where people are,
  disables and re-enables them, resets passwords. Never roles.
- The security administrator decides roles. Never accounts.
- The auditor reads the security audit log (tiaojie.audit) and nothing else.

Accounts that hold an administrator role are set up on the server (``tiaojie`` commands),
not on these screens: no administrator can create, change or switch off another, so none
can silence the one who watches them.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from tiaojie.accounts.models import Unit, User
from tiaojie.accounts.notify import retry_failed_sms
from tiaojie.accounts.roles import ADMIN_ROLES, Role, roles_conflict
from tiaojie.accounts.services import role_groups
from tiaojie.audit.models import AuditKind
from tiaojie.audit.services import Target, record
from tiaojie.core.errors import Conflict, DomainError
from tiaojie.core.idnumber import is_valid_mobile
from tiaojie.worker import services as worker_services


class NotPermitted(DomainError):
    code = "not_permitted"


@dataclass(frozen=True)
class Profile:
    """What the system administrator may set about a person (not their roles)."""

    real_name: str
    unit: Unit | None
    title: str = ""
    phone: str | None = None  # None: keep the stored number


def _require(actor: User, role: str) -> None:
    if role not in actor.role_codes:
        raise NotPermitted(_("Your role does not allow this."))


def _not_an_admin_account(user: User) -> None:
    if user.role_codes & ADMIN_ROLES:
        raise NotPermitted(
            _("Administrator accounts are managed on the server, not on this screen.")
        )


def _clean_phone(phone: str | None) -> str | None:
    if phone is None:
        return None
    phone = phone.strip()
    if phone and not is_valid_mobile(phone):
        raise DomainError(_("Enter an 11-digit mobile number."), code="invalid_phone")
    return phone


def temporary_password() -> str:
    """A password for first sign-in or a reset, shown once; it meets the password policy."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(14))
        classes = (str.isupper, str.islower, str.isdigit)
        if all(any(test(c) for c in body) for test in classes):
            return f"{body[:7]}-{body[7:]}"  # four character classes with the hyphen


def _apply(user: User, profile: Profile) -> None:
    real_name = profile.real_name.strip()
    if not real_name:
        raise DomainError(_("Please give the person's real name."), code="missing_input")
    user.real_name = real_name
    user.unit = profile.unit
    user.title = profile.title.strip()
    phone = _clean_phone(profile.phone)
    if phone is not None:
        user.phone = phone


def create_user(*, actor: User, username: str, profile: Profile) -> tuple[User, str]:
    """A new staff account with no roles yet; returns it with its temporary password."""
    _require(actor, Role.SYSADMIN)
    username = username.strip()
    if not username:
        raise DomainError(_("Please give a user name."), code="missing_input")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This user name is taken."), code="username_taken")
    password = temporary_password()
    with transaction.atomic():
        user = User(username=username)
        _apply(user, profile)
        user.set_password(password)
        user.save()
    return user, password


def update_user(*, actor: User, user: User, profile: Profile) -> User:
    _require(actor, Role.SYSADMIN)
    _not_an_admin_account(user)
    with transaction.atomic():
        _apply(user, profile)
        user.save()
    return user


def set_active(*, actor: User, user: User, active: bool) -> User:
    """Switch an account off (it signs out everywhere at once) or back on."""
    _require(actor, Role.SYSADMIN)
    _not_an_admin_account(user)
    if user.pk == actor.pk:
        raise NotPermitted(_("You cannot switch off your own account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


def reset_password(*, actor: User, user: User) -> str:
    """A new temporary password, shown once to the administrator to pass on."""
    _require(actor, Role.SYSADMIN)
    _not_an_admin_account(user)
    password = temporary_password()
    try:
        validate_password(password, user)
    except ValidationError as exc:  # the policy got stricter than temporary_password()
        raise DomainError(" ".join(exc.messages), code="password_policy") from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    return password


def set_roles(*, actor: User, user: User, roles: set[str], clearance: bool | None = None) -> User:
    """Give a staff member exactly these case-work roles, and (if given) the clearance to
    read cases labelled sensitive (安全标记: the security administrator decides both)."""
    _require(actor, Role.SECADMIN)
    if user.pk == actor.pk:
        raise NotPermitted(_("You cannot change your own roles."))
    _not_an_admin_account(user)
    unknown = roles - set(Role.values)
    if unknown:
        raise DomainError(_("Unknown role."), code="unknown_role")
    if roles & ADMIN_ROLES:
        raise NotPermitted(_("Administrator roles are given on the server, not on this screen."))
    if problem := roles_conflict(roles):
        raise DomainError(_("These roles cannot be held together."), code=problem)
    if roles and user.unit_id is None:
        raise DomainError(
            _("Put the person in a unit before giving case-work roles."), code="no_unit"
        )
    groups = role_groups()
    with transaction.atomic():
        user.groups.set([groups[r] for r in sorted(roles)])
        if clearance is not None and clearance != user.sensitive_clearance:
            user.sensitive_clearance = clearance
            user.save(update_fields=["sensitive_clearance"])
    user.__dict__.pop("role_codes", None)
    return user


# --- background work that used all its attempts (the operator page, docs/worker.md) ---------
def retry_work(*, actor: User, work_id: Any) -> DBTaskResult:
    """Queue failed work again (system administrator); audited."""
    _require(actor, Role.SYSADMIN)
    # The retry and its audit entry commit together, or neither.
    with transaction.atomic():
        task = worker_services.retry(work_id)
        record(
            AuditKind.WORK_RETRIED,
            actor=actor,
            target=Target("task", str(task.pk)),
            detail={"task": task.task_path},
        )
    return task


def retry_text_message(*, actor: User, pk: int) -> None:
    """Queue a text message that failed for good again (system administrator); audited."""
    _require(actor, Role.SYSADMIN)
    with transaction.atomic():  # the retry and its audit entry, together
        if not retry_failed_sms(pk):
            raise Conflict(_("This work has not failed, or is queued again already."))
        record(
            AuditKind.WORK_RETRIED,
            actor=actor,
            target=Target("sms", pk),
            detail={"task": "text message"},
        )
