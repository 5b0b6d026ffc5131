"""The security audit log (等保 安全审计): one append-only, hash-chained table and its head."""

from __future__ import annotations

import json

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaojie.core.chain import GENESIS


class AuditKind(models.TextChoices):
    """What happened. Stored values never change (they are covered by the hash chain)."""

    LOGIN = "login", _("Sign-in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGOUT = "logout", _("Sign-out")
    LOCKOUT = "lockout", _("Account locked out")
    TWO_FACTOR_CHANGED = "two_factor_changed", _("Two-factor setting changed")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    USER_CREATED = "user_created", _("User created")
    USER_CHANGED = "user_changed", _("User changed")
    USER_DEACTIVATED = "user_deactivated", _("User deactivated")
    ROLE_CHANGED = "role_changed", _("Roles changed")
    PERMISSION_CHANGED = "permission_changed", _("Permissions changed")
    CONFIG_CHANGED = "config_changed", _("Configuration changed")
    EXPORT = "export", _("Data exported")
    FULL_VIEW = "full_view", _("Personal data shown in full")
    SECURITY_LABEL = "security_label", _("Security label changed")
    AUDIT_ACCESS = "audit_access", _("Audit log access")
    AUDIT_EXPORT = "audit_export", _("Audit log exported")
    AUDIT_PURGE = "audit_purge", _("Old audit entries purged")
    IMPORT = "import", _("Data imported")
    MEETING_CLOSED = "meeting_closed", _("Review meeting closed")
    WORK_RETRIED = "work_retried", _("Failed background work retried")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")


class AuditEntry(models.Model):
    """One security-relevant event. Append-only; one hash chain over the whole table."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=30, choices=AuditKind.choices)
    outcome = models.CharField(
        pgettext_lazy("audit", "outcome"), max_length=10, choices=AuditOutcome.choices
    )
    # Snapshots, not foreign keys: the log outlives renamed, moved or deleted accounts.
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    username = models.CharField(_("user name"), max_length=150, blank=True)
    unit_id = models.BigIntegerField(_("unit id"), null=True, blank=True)
    unit_name = models.CharField(_("unit"), max_length=100, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    target_type = models.CharField(_("target type"), max_length=40, blank=True)
    target_id = models.CharField(_("target"), max_length=64, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["at"], name="audit_at"),
            models.Index(fields=["kind", "at"], name="audit_kind_at"),
            models.Index(fields=["actor_id", "at"], name="audit_actor_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.outcome}"

    def detail_items(self) -> list[tuple[str, str]]:
        """The details as the screen shows them: plain text as it is, anything else as JSON."""
        return [
            (key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
            for key, value in self.detail.items()
        ]


class AuditChainHead(models.Model):
    """The chain's one head row: its length and last hash, and where a purge left it starting.

    Appends lock this row, so two writers never take the same place in the chain. A trigger
    refuses to move it backwards, so cutting entries off the end shows in verification.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)
    # After a retention purge the chain starts at first_seq, whose prev_hash is anchor_hash.
    first_seq = models.PositiveBigIntegerField(default=1)
    anchor_hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("audit chain head")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single")]

    def __str__(self) -> str:
        return f"audit chain at {self.seq}"
