"""How a dispatch mode shortens deadlines, hooked into the case lifecycle in two places.

``cases.services._transition`` runs each action's changes inside ``shortening(region, now)``,
and ``register_case`` computes its acceptance deadline inside it too. Every deadline
``cases.services.due_from`` computes in there passes through ``shorten``: with a mode active
for the case's place, ``due = start + (due - start) × factor``. Deadlines computed anywhere
else (a petitioner's own time limits, a replay of the past, extending or resuming a deadline
that was already set) are left alone.

The factor scales the wall-clock span the policy gives, weekends and holidays included: a
3-working-day deadline from a Friday (due Wednesday) becomes Sunday noon at 0.5. In 急时 and
战时 the work does not wait for Monday, and a check-in due in one working day becomes hours.
The factor is looked up only when a deadline is actually set, so transitions that set none
cost nothing extra.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from . import selectors


@dataclass
class Shortening:
    """Where and when deadlines are being set, and the period that shortened them, if any."""

    region_id: int | None
    at: dt.datetime
    period: selectors.ActivePeriod | None = None
    looked_up: bool = False

    def factor(self) -> float:
        if not self.looked_up:
            self.period = selectors.active_for(self.region_id, self.at)
            self.looked_up = True
        return self.period.factor if self.period else 1.0

    def payload(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The event's payload, with the mode and factor if a deadline was shortened."""
        if self.period is None or self.period.factor >= 1:
            return payload
        return {
            **payload,
            "mode": {
                "mode": self.period.mode.value,
                "factor": self.period.factor,
                "period": self.period.id,
            },
        }


_current: ContextVar[Shortening | None] = ContextVar("tiaojie_mode_shortening", default=None)


@contextmanager
def shortening(region_id: int | None, at: dt.datetime) -> Iterator[Shortening]:
    state = Shortening(region_id, at)
    token = _current.set(state)
    try:
        yield state
    finally:
        _current.reset(token)


def shorten(start: dt.datetime, due: dt.datetime) -> dt.datetime:
    """``due`` as the mode in force shortens it (unchanged outside ``shortening``)."""
    state = _current.get()
    if state is None:
        return due
    factor = state.factor()
    if factor >= 1 or due <= start:
        return due
    return start + (due - start) * factor
