"""Base model and the site-wide settings row."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.core import cache


class TimeStampedModel(models.Model):
    """Abstract base: creation and last-change times."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class DemoMarker(models.Model):
    """Present when the database holds generated demo data; every page then says so."""

    seed = models.IntegerField()
    version = models.CharField(max_length=20)
    digest = models.CharField(max_length=64, blank=True)
    built_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demo marker")

    def __str__(self) -> str:
        return f"demo v{self.version} seed {self.seed}"


class CacheVersion(models.Model):
    """The current version of one cache namespace; a change bumps it (tiaojie.core.cache)."""

    namespace = models.CharField(max_length=60, unique=True)
    version = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.namespace} {self.version}"


from tiaojie.core.calendar_models import CalendarDay  # noqa: E402,F401

# A change here must reach every process's cached copies at once (tiaojie.core.cache).
cache.watch("demo", DemoMarker)
