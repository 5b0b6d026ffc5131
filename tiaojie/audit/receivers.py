"""Signal receivers that feed the audit log: sign-ins, accounts, roles, permissions, admin edits.

Model-signal receivers learn who acted from the request being served (AuditContextMiddleware);
outside a request (a command, the demo builder) the entry has no user.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save

from .models import AuditKind, AuditOutcome
from .services import Target, record

User = get_user_model()

# Changes to these show their old and new values; any other field shows only its name
# (a phone number or a password hash never enters the log).
_SHOWN_VALUES = ("username", "unit_id", "is_active", "is_staff", "is_superuser")
_TRACKED = (*_SHOWN_VALUES, "real_name", "phone", "title", "email", "password")


def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(AuditKind.LOGIN, request=request, actor=user, target=user)


def on_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(AuditKind.LOGOUT, request=request, actor=user, target=user)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    # The name typed is worth keeping (guessing shows in it); record() masks it if it looks
    # like an ID or phone number. Django has already blanked the password.
    typed = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")
    record(
        AuditKind.LOGIN_FAILED,
        request=request,
        outcome=AuditOutcome.FAILURE,
        detail={"username": typed[:150]},
    )


def before_user_saved(sender: Any, instance: Any, update_fields: Any = None, **kw: Any) -> None:
    if instance.pk is None or _only_last_login(update_fields):
        return
    instance._audit_before = User.objects.filter(pk=instance.pk).values(*_TRACKED).first()


def after_user_saved(
    sender: Any,
    instance: Any,
    created: bool,
    update_fields: Any = None,
    raw: bool = False,
    **kw: Any,
) -> None:
    if raw or _only_last_login(update_fields):
        return
    if created:
        record(
            AuditKind.USER_CREATED,
            target=instance,
            detail={name: getattr(instance, name) for name in _SHOWN_VALUES},
        )
        return
    before = getattr(instance, "_audit_before", None) or {}
    instance._audit_before = None
    changed = [name for name in _TRACKED if before.get(name) != getattr(instance, name)]
    if not changed:
        return
    values = {n: [before.get(n), getattr(instance, n)] for n in changed if n in _SHOWN_VALUES}
    record(AuditKind.USER_CHANGED, target=instance, detail={"fields": changed, "values": values})


def _only_last_login(update_fields: Any) -> bool:
    return update_fields is not None and set(update_fields) == {"last_login"}


def on_groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kw: Any
) -> None:
    """Roles (auth groups) added to or taken from a user, from either side of the relation."""
    if action == "pre_clear":
        instance._audit_cleared = (
            list(instance.user_set.values_list("pk", flat=True))
            if reverse
            else list(instance.groups.values_list("name", flat=True))
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    verb = "added" if action == "post_add" else "removed"
    if reverse:  # group.user_set.add(users): one entry per user
        user_ids = getattr(instance, "_audit_cleared", []) if action == "post_clear" else pk_set
        for user in User.objects.filter(pk__in=user_ids or []):
            record(AuditKind.ROLE_CHANGED, target=user, detail={verb: [instance.name]})
        return
    if action == "post_clear":
        names = getattr(instance, "_audit_cleared", [])
    else:
        names = list(Group.objects.filter(pk__in=pk_set or []).values_list("name", flat=True))
    if names:
        record(AuditKind.ROLE_CHANGED, target=instance, detail={verb: sorted(names)})


def on_permissions_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, model: Any, **kw: Any
) -> None:
    """Permissions given to or taken from a role or a user (either side of the relation)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    if reverse:  # permission.group_set.add(...) / permission.user_set.add(...)
        detail = {verb: [f"{instance.content_type.app_label}.{instance.codename}"]}
        target: Any = Target(model._meta.label_lower, ",".join(map(str, sorted(pk_set or []))))
    else:
        perms = model.objects.filter(pk__in=pk_set or []).select_related("content_type")
        detail = {verb: sorted(f"{p.content_type.app_label}.{p.codename}" for p in perms)}
        target = instance
    record(AuditKind.PERMISSION_CHANGED, target=target, detail=detail)


def on_admin_logged(sender: Any, instance: LogEntry, created: bool, **kw: Any) -> None:
    """Every change made in the admin site, except to users (their own receivers tell more).

    The admin's own message lists the fields changed, never their values; the object's name
    is left out, since it may be a person's.
    """
    if not created or instance.content_type is None:
        return
    ct = instance.content_type
    if (ct.app_label, ct.model) == (User._meta.app_label, User._meta.model_name):
        return
    action = {1: "added", 2: "changed", 3: "deleted"}.get(instance.action_flag, "changed")
    record(
        AuditKind.CONFIG_CHANGED,
        actor=instance.user,
        target=Target(f"{ct.app_label}.{ct.model}", instance.object_id or ""),
        detail={"action": action, "change": instance.get_change_message()},
    )


def account_receiver(kind: AuditKind) -> Any:
    """A receiver for the account signals (tiaojie/accounts/signals.py), whatever they send.

    Expected keyword arguments: ``user`` (whose account), optionally ``request`` and ``actor``
    (who did it, when not the user); plain values among the rest go into the details.
    """

    def receive(
        sender: Any, user: Any = None, request: Any = None, actor: Any = None, **kw: Any
    ) -> None:
        detail = {k: v for k, v in kw.items() if k != "signal" and _plain(v)}
        record(kind, request=request, actor=actor, target=user, detail=detail)

    return receive


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def on_locked_out(sender: Any, request: Any = None, username: Any = None, **kw: Any) -> None:
    # Written in the lock-out's own transaction: the lock-out and its entry commit together.
    record(
        AuditKind.LOCKOUT,
        request=request,
        outcome=AuditOutcome.DENIED,
        detail={"username": str(username or "")[:150]},
        durable=False,
    )


ACCOUNT_SIGNALS = {
    "two_factor_changed": AuditKind.TWO_FACTOR_CHANGED,
    "password_changed": AuditKind.PASSWORD_CHANGED,
    "user_deactivated": AuditKind.USER_DEACTIVATED,
}


def connect_account_signals() -> list[str]:
    """Listen to the account signals and to axes' lock-out, where they exist (names connected).

    Both come from other work (tiaojie/accounts/signals.py, django-axes): until they are
    installed there is nothing to listen to, and this connects nothing.
    """
    connected = []
    try:
        account_signals = import_module("tiaojie.accounts.signals")
    except ImportError:
        account_signals = None
    for name, kind in ACCOUNT_SIGNALS.items():
        signal = getattr(account_signals, name, None)
        if signal is not None:
            signal.connect(account_receiver(kind), weak=False, dispatch_uid=f"audit:{name}")
            connected.append(name)
    try:
        user_locked_out = import_module("axes.signals").user_locked_out
    except ImportError:
        pass
    else:
        user_locked_out.connect(on_locked_out, dispatch_uid="audit:user_locked_out")
        connected.append("user_locked_out")
    return connected


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="audit:logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="audit:logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit:login_failed")
    pre_save.connect(before_user_saved, sender=User, dispatch_uid="audit:user_pre")
    post_save.connect(after_user_saved, sender=User, dispatch_uid="audit:user_post")
    m2m_changed.connect(on_groups_changed, sender=User.groups.through, dispatch_uid="audit:groups")
    for through in (Group.permissions.through, User.user_permissions.through):
        m2m_changed.connect(
            on_permissions_changed, sender=through, dispatch_uid=f"audit:perms:{through}"
        )
    post_save.connect(on_admin_logged, sender=LogEntry, dispatch_uid="audit:admin_log")
    connect_account_signals()
