"""Reads for the intake endpoint."""

from __future__ import annotations

import time
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import IntakeSource

# Sources (with their secrets) are kept a few seconds per process: every request needs its
# source, and it changes a few times a year. A source switched off or given a new secret
# is refused by every process within this time, at once by the one that saved it.
SOURCE_SECONDS = 10.0
_sources: dict[str, tuple[float, IntakeSource | None]] = {}


def active_source(code: str) -> IntakeSource | None:
    now = time.monotonic()
    hit = _sources.get(code)
    if hit and now - hit[0] < SOURCE_SECONDS:
        return hit[1]
    found = list(
        IntakeSource.objects.filter(code=code, is_active=True).select_related("unit", "region")
    )
    source = found[0] if found else None
    if len(_sources) > 1000:  # codes are sent by strangers too: do not grow without end
        _sources.clear()
    _sources[code] = (now, source)
    return source


def clear_cache() -> None:
    _sources.clear()


@receiver(post_save, sender=IntakeSource)
def _forget(sender: Any, **kwargs: Any) -> None:
    clear_cache()
