"""Personas of the review and meeting tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tiaojie.accounts.roles import Role


@pytest.fixture
def cast(world) -> SimpleNamespace:
    """Town A's clerk and dispatcher, the district's dispatcher and leader, town B, 人社."""
    w = world
    return SimpleNamespace(
        world=w,
        clerk=w.user("clerk_a", w.center_a, Role.WINDOW_CLERK),
        dispatcher=w.user("dispatcher_a", w.center_a, Role.DISPATCHER),
        district=w.user("district_dispatcher", w.center, Role.DISPATCHER),
        leader=w.user("district_leader", w.center, Role.LEADER),
        town_b=w.user("dispatcher_b", w.center_b, Role.DISPATCHER),
        handler=w.user("hrss_handler", w.hrss, Role.HANDLER),
    )
