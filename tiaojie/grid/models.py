"""Reports a grid worker sent from the street (网格上报), kept for idempotency and place."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import User
from tiaojie.regions.models import Region


class GridReport(models.Model):
    """One report from a grid worker's phone and the case it became (one key, one case)."""

    worker = models.ForeignKey(
        User, verbose_name=_("grid worker"), on_delete=models.PROTECT, related_name="grid_reports"
    )
    # Made by the phone when the report is written (crypto.randomUUID), before any attempt
    # to send it: every retry of the same report carries the same key.
    key = models.CharField(_("idempotency key"), max_length=64)
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="grid_report"
    )
    grid = models.ForeignKey(
        Region, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="grid_reports"
    )
    # Where the phone was, if the worker shared it (never required).
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    accuracy_m = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)
    written_at = models.DateTimeField(_("written on the phone at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("grid report")
        verbose_name_plural = _("grid reports")
        constraints = [
            models.UniqueConstraint(fields=["worker", "key"], name="grid_report_key_once"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="grid_report_both_coordinates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.case_id}"
