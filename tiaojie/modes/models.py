"""The three dispatch modes (三调度: 平时/急时/战时): what each mode does, and when it ran where."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import Unit
from tiaojie.core import cache
from tiaojie.core.models import TimeStampedModel
from tiaojie.regions.models import Region


class Mode(models.TextChoices):
    """Stored values never change; the order is the order of strictness."""

    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    WARTIME = "wartime", _("Wartime")


# Modes that send orange and red cases straight to the tier above.
SENDS_UP = frozenset({Mode.URGENT, Mode.WARTIME})
STRICTNESS = {Mode.NORMAL: 0, Mode.URGENT: 1, Mode.WARTIME: 2}


class ModeSetting(TimeStampedModel):
    """What a mode does: how much it shortens deadlines and who else hears of new cases."""

    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, unique=True)
    deadline_factor = models.DecimalField(
        _("deadline factor"),
        max_digits=4,
        decimal_places=3,
        help_text=_(
            "Every deadline set while the mode is active is this share of the normal one "
            "(0.5 halves it); between 0 and 1."
        ),
    )
    notify_roles = models.JSONField(
        _("roles also told"),
        default=list,
        blank=True,
        help_text=_(
            "Role codes (such as leader, dispatcher) whose holders in the governance centers over "
            "the case's place hear of every case registered or escalated while the mode is active."
        ),
    )
    notify_units = models.ManyToManyField(
        Unit,
        verbose_name=_("units also told"),
        blank=True,
        related_name="+",
        help_text=_("Departments whose staff with the roles above are also told."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("dispatch mode setting")
        verbose_name_plural = _("dispatch mode settings")
        ordering = ["mode"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline_factor__gt=0, deadline_factor__lte=1),
                name="mode_factor_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} × {self.deadline_factor}"


class ModePeriod(models.Model):
    """One switch of a scope (the whole district or one town) into a mode, for a time span."""

    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    scope = models.ForeignKey(
        Region,
        verbose_name=_("scope"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The whole district or one town."),
    )
    reason = models.TextField(_("reason"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("switched at"), auto_now_add=True)
    # Set when someone ends the period before ``ends_at`` (or a new mode replaces it).
    ended_at = models.DateTimeField(_("ended early at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended early by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    end_reason = models.TextField(_("reason for ending early"), blank=True)

    class Meta:
        verbose_name = _("dispatch mode period")
        verbose_name_plural = _("dispatch mode periods")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="mode_period_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["ends_at"], name="mode_period_ends")]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} · {self.scope_id} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def until(self) -> dt.datetime:
        """When the period stops (or stopped): its planned end, or earlier if ended early."""
        if self.ended_at is not None and self.ended_at < self.ends_at:
            return self.ended_at
        return self.ends_at

    def running_at(self, at: dt.datetime) -> bool:
        return self.starts_at <= at < self.until


# A change here must reach every process's cached copies at once (tiaojie.core.cache).
cache.watch("modes", ModePeriod, ModeSetting, ModeSetting.notify_units.through)
