"""Reads for the intake endpoint."""

from __future__ import annotations

from tiaojie.core import cache

from .models import IntakeSource


def _read_source(code: str) -> IntakeSource | None:
    found = list(
        IntakeSource.objects.filter(code=code, is_active=True).select_related("unit", "region")
    )
    return found[0] if found else None


# Every request needs its source (with its secret), and sources change a few times a year: a
# source switched off or given a new secret moves the "intake_sources" version, and every
# process refuses it from its next request on. Codes are sent by strangers too, so the cache
# is bounded.
_sources = cache.register(
    "intake.sources",
    _read_source,
    depends_on=("intake_sources", "units", "regions"),
    maxsize=1000,
)


def active_source(code: str) -> IntakeSource | None:
    return _sources.get(code)
