"""Personas of the dispatch mode tests: the district's dispatcher and leader, town A's leader and
staff, town B's leader, and people who may not switch anything."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from tiaojie.accounts.roles import Role
from tiaojie.core import clock
from tiaojie.modes import services
from tiaojie.modes.models import Mode, ModePeriod


@pytest.fixture
def crew(world) -> SimpleNamespace:
    w = world
    return SimpleNamespace(
        world=w,
        district_dispatcher=w.user("district_dispatcher", w.center, Role.DISPATCHER),
        district_leader=w.user("district_leader", w.center, Role.LEADER),
        district_clerk=w.user("district_clerk", w.center, Role.WINDOW_CLERK),
        leader_a=w.user("leader_a", w.center_a, Role.LEADER),
        staff_a=w.user("staff_a", w.center_a, Role.TOWN_STAFF),
        clerk_a=w.user("clerk_a", w.center_a, Role.WINDOW_CLERK),
        dispatcher_a=w.user("dispatcher_a", w.center_a, Role.DISPATCHER),
        leader_b=w.user("leader_b", w.center_b, Role.LEADER),
        handler=w.user("hrss_handler", w.hrss, Role.HANDLER),
    )


def hours(n: float) -> dt.datetime:
    return clock.now() + dt.timedelta(hours=n)


def switch(
    actor: Any,
    scope: Any,
    mode: str = Mode.URGENT,
    *,
    reason: str = "汛期防汛",
    until: dt.datetime | None = None,
    starts_at: dt.datetime | None = None,
) -> ModePeriod:
    """Switch ``scope`` into ``mode`` (urgent, for a day, unless told otherwise)."""
    return services.start_mode(
        actor=actor,
        mode=mode,
        scope=scope,
        reason=reason,
        starts_at=starts_at,
        ends_at=until or hours(24),
    )
