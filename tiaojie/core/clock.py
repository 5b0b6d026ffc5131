"""The time services write down. Normally now; the demo builder replays history at past times.

Only code that rebuilds history (the demo, a ledger import) sets the clock; requests and the
sweeper always run at the real time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_at: ContextVar[dt.datetime | None] = ContextVar("tiaojie_clock", default=None)


def now() -> dt.datetime:
    return _at.get() or timezone.now()


@contextmanager
def set_to(moment: dt.datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("the clock takes aware datetimes only")
    token = _at.set(moment)
    try:
        yield
    finally:
        _at.reset(token)
