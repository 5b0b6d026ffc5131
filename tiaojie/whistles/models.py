"""Whistles (吹哨报到): a town or a village summons departments to a case within hours."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import Unit
from tiaojie.cases.models import Case
from tiaojie.core.models import TimeStampedModel


class Whistle(TimeStampedModel):
    """吹哨: one summons on a case, naming the departments that must check in by ``due_at``."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="whistles"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_by_unit = models.ForeignKey(
        Unit, verbose_name=_("raised by unit"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("what is asked"))
    deadline_hours = models.PositiveSmallIntegerField(_("check-in deadline (hours)"))
    raised_at = models.DateTimeField(_("raised at"))
    due_at = models.DateTimeField(_("check in by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closing_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        verbose_name = _("whistle")
        verbose_name_plural = _("whistles")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["case", "-raised_at"], name="whistle_case_raised")]

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.raised_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CallStatus(models.TextChoices):
    """Where one department's check-in stands. Stored values never change."""

    PENDING = "pending", _("Awaiting check-in")
    ON_TIME = "on_time", _("Checked in on time")
    LATE = "late", _("Checked in late")
    ABSENT = "absent", _("Absent")
    # The whistle was closed before this department's deadline: it no longer has to come.
    RELEASED = "released", _("No longer needed")


# What the evaluation counts against a department (考核).
FAILED = frozenset({CallStatus.LATE, CallStatus.ABSENT})
CHECKED_IN = frozenset({CallStatus.ON_TIME, CallStatus.LATE})


class WhistleCall(models.Model):
    """报到: one named department's part in a whistle: its deadline, check-in and what it did."""

    whistle = models.ForeignKey(
        Whistle, verbose_name=_("whistle"), on_delete=models.PROTECT, related_name="calls"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("department"), on_delete=models.PROTECT, related_name="whistle_calls"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CallStatus.choices, default=CallStatus.PENDING
    )
    # The whistle's deadline, kept on the row the sweeper reads (indexed below).
    due_at = models.DateTimeField(_("check in by"))
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    what_done = models.TextField(_("what was done"), blank=True)
    # When the sweeper (or the closing of the whistle) found the deadline passed without a
    # check-in; kept when the department checks in late afterwards.
    absent_since = models.DateTimeField(_("absent since"), null=True, blank=True)

    class Meta:
        verbose_name = _("whistle call")
        verbose_name_plural = _("whistle calls")
        ordering = ["whistle_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["whistle", "unit"], name="whistle_call_unit_once"),
            models.CheckConstraint(
                condition=models.Q(checked_in_at=None)
                | models.Q(status__in=[CallStatus.ON_TIME, CallStatus.LATE]),
                name="whistle_call_checked_in_status",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="whistle_call_pending_due",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["unit", "status"], name="whistle_call_unit_status"),
        ]

    def __str__(self) -> str:
        return f"{self.whistle_id} · {self.unit_id} ({self.status})"

    @property
    def late(self) -> bool:
        return self.status == CallStatus.LATE

    @property
    def state(self) -> CallStatus:
        """The status as it stands now: past the deadline without a check-in is absent even
        before the sweeper has come by."""
        if self.status == CallStatus.PENDING and self.due_at <= timezone.now():
            return CallStatus.ABSENT
        return CallStatus(self.status)
