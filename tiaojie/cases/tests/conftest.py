"""Personas shared by the petition and duplicate tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tiaojie.accounts.roles import Role
from tiaojie.cases.services import Actor


@pytest.fixture
def desk(world) -> SimpleNamespace:
    """Town A's desk (clerk, dispatcher, town staff), the district's clerk, town B's clerk."""
    w = world
    return SimpleNamespace(
        world=w,
        clerk=Actor(w.user("clerk_a", w.center_a, Role.WINDOW_CLERK)),
        dispatcher=Actor(w.user("dispatcher_a", w.center_a, Role.DISPATCHER)),
        staff=Actor(w.user("staff_a", w.center_a, Role.TOWN_STAFF)),
        district=Actor(w.user("district_clerk", w.center, Role.WINDOW_CLERK)),
        outsider=w.user("clerk_b", w.center_b, Role.WINDOW_CLERK),
    )
