"""The official calendar table: holidays and make-up workdays (调休) that override the package."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.core import cache


class CalendarDay(models.Model):
    """Admins add each year's State Council calendar here; rows override `chinese_calendar`."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"), default=False)
    # e.g. 春节, 国庆节, 春节调休上班
    name = models.CharField(_("name"), max_length=50)
    # e.g. 国务院办公厅关于2027年部分节假日安排的通知
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        app_label = "core"
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        kind = "workday" if self.is_workday else "holiday"
        return f"{self.date.isoformat()} {kind} {self.name}"


# A change here must reach every process's cached copies at once (tiaojie.core.cache).
cache.watch("calendar", CalendarDay)
