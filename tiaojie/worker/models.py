"""The lease and the attempts of one piece of queued work (django-tasks keeps the work itself)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class Lease(models.Model):
    """Who runs a task until when, how often it was tried and its last error."""

    task = models.OneToOneField(
        DBTaskResult, primary_key=True, on_delete=models.CASCADE, related_name="lease"
    )
    # Empty when no process runs it; the process renews expires_at while it does.
    worker_id = models.CharField(_("worker"), max_length=80, blank=True)
    expires_at = models.DateTimeField(_("lease expires"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The exception's class and where it was raised, never its message: a message may quote
    # personal data, and the operator who reads this sees no case contents.
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")

    def __str__(self) -> str:
        return f"lease of {self.task_id}"
