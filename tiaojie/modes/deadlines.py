"""How a dispatch mode shortens deadlines: the factor it registers with the case lifecycle.

The case services set deadlines inside ``cases.hooks.deadline_scope(region, now)`` (every
transition, and a registration's acceptance deadline), and so does the ledger's bulk writer
for each past case, at the ledger's times (cases/bulk.py). Every deadline
``cases.services.due_from`` computes in there passes through ``cases.hooks.shorten``, which
asks ``factor_for`` here: with a mode active for the case's place,
``due = start + (due - start) × factor``, and the event records the mode and the factor.
Deadlines computed anywhere else (a petitioner's own time limits, a replay of the past,
extending or resuming a deadline that was already set) are left alone.

The factor scales the wall-clock span the policy gives, weekends and holidays included: a
3-working-day deadline from a Friday (due Wednesday) becomes Sunday noon at 0.5. In 急时 and
战时 the work does not wait for Monday, and a check-in due in one working day becomes hours.
The factor is looked up only when a deadline is actually set, so transitions that set none
cost nothing extra.
"""

from __future__ import annotations

import datetime as dt

from tiaojie.cases.hooks import Factor

from . import selectors


def factor_for(region_id: int | None, at: dt.datetime) -> Factor | None:
    """The active mode's factor for this place and moment, with what the event records."""
    period = selectors.active_for(region_id, at)
    if period is None:
        return None
    return Factor(
        period.factor,
        {"mode": {"mode": period.mode.value, "factor": period.factor, "period": period.id}},
    )
