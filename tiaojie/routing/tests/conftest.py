"""Rules shared by the routing tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tiaojie.accounts.models import UnitKind
from tiaojie.routing import services
from tiaojie.routing.models import DispatchRule


@pytest.fixture
def town_labour_rule(world) -> Callable[[str], DispatchRule]:
    """Saves town A's rule for labour disputes (led by the town center) naming a policy."""

    def save(policy_code: str) -> DispatchRule:
        rule = DispatchRule(
            kind="dispute",
            category="labour",
            region=world.town_a,
            tier="town",
            lead_kind=UnitKind.TOWN_CENTER,
            policy_code=policy_code,
        )
        services.save_rule(rule, actor=None, reason="下邽镇试点：劳动争议七个工作日内调结")
        return rule

    return save
