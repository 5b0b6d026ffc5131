"""Reviews per tier (研判) and the monthly review meeting (月度会商研判) with its tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import Unit
from tiaojie.cases.models import Case
from tiaojie.core.enums import Category, Tier
from tiaojie.regions.models import Region


class ReviewDecision(models.TextChoices):
    """What a tier decides about a case; all but keep are carried out by a case service."""

    KEEP = "keep", _("Keep at this tier")
    ESCALATE = "escalate", _("Escalate")
    CLOSE = "close", _("Close")
    ASSIGN = "assign", _("Assign")


class Review(models.Model):
    """One tier's review of a case (研判): who, at which tier, the conclusion and the decision."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="tier_reviews"
    )
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer_unit = models.ForeignKey(
        Unit, verbose_name=_("reviewing unit"), on_delete=models.PROTECT, related_name="+"
    )
    conclusion = models.TextField(_("conclusion"))
    decision = models.CharField(_("decision"), max_length=20, choices=ReviewDecision.choices)
    assigned_unit = models.ForeignKey(
        Unit,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    # The case event the decision wrote (none for keep): the review and the history meet here.
    event_seq = models.PositiveIntegerField(_("case event"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["case", "at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="review_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.tier} {self.decision}"


class MeetingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Meeting(models.Model):
    """A center's monthly review meeting (月度会商研判): agenda, minutes, attendees, decisions."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("center"), on_delete=models.PROTECT, related_name="meetings"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reviewed."))
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"))
    agenda_at = models.DateTimeField(_("agenda generated at"))
    # How many items each heading had when generated (the agenda keeps at most a page each).
    agenda_totals = models.JSONField(_("agenda totals"), default=dict, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    attendees = models.TextField(_("attendees"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review meeting")
        verbose_name_plural = _("review meetings")
        ordering = ["-month", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="meeting_once_a_month"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m}"

    @property
    def is_open(self) -> bool:
        return self.status == MeetingStatus.OPEN


class AgendaHeading(models.TextChoices):
    """The agenda's headings, in the order the meeting takes them."""

    RED_ORANGE = "red_orange", _("Red and orange cases still open")
    OVERDUE = "overdue", _("Overdue cases")
    ESCALATED = "escalated", _("Cases escalated this month")
    REPEAT_PETITIONERS = "repeat_petitioners", _("Repeated petitioners")
    RISES = "rises", _("Largest rises by town and type")


class AgendaItem(models.Model):
    """One line of a meeting's agenda, kept as it was when generated (the minutes refer to it)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda"
    )
    heading = models.CharField(_("heading"), max_length=30, choices=AgendaHeading.choices)
    position = models.PositiveIntegerField(_("position"))
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case_code = models.CharField(_("case code"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=200)
    detail = models.CharField(_("details"), max_length=300, blank=True)
    # Figures and codes behind the line: counts for a rise, the case codes of a petitioner.
    figures = models.JSONField(_("figures"), default=dict, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.heading} {self.title}"

    @property
    def category_label(self) -> Any:
        value = self.figures.get("category", "")
        return Category(value).label if value in Category.values else value


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class MeetingTask(models.Model):
    """A decision of a meeting, tracked as a task: owner unit (and person), deadline, result."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="tasks"
    )
    text = models.TextField(_("decision"))
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="meeting_tasks"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("decided at"))
    done_note = models.TextField(_("what was done"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting task")
        verbose_name_plural = _("meeting tasks")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["owner_unit", "status", "due_on"], name="task_owner_open"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.text[:30]}"

    def overdue_on(self, today: dt.date) -> bool:
        return self.status == TaskStatus.OPEN and self.due_on < today
