"""A ledger imported while a dispatch mode runs: the cases it received in the mode's time get
the mode's shorter deadlines on both paths (the services and the bulk writer), and their
events record the mode alike."""

from __future__ import annotations

import datetime as dt

import pytest

from tiaojie.cases import bulk, policies, services
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.testing.case_rows import written_then_undone

from .conftest import switch

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2025, 6, 2, 1, 0, tzinfo=dt.UTC)  # 09:00 in 临渭
DAY = dt.timedelta(days=1)


def _past(region, received: dt.datetime, ending: str = "", **kw) -> bulk.PastCase:
    return bulk.PastCase(
        kind="dispute",
        category="labour",
        channel="window",
        title="拖欠工资",
        description="工地拖欠三个月工资。",
        region=region,
        parties=[PartyInput(name="赵六")],
        received_at=received,
        ending=ending,
        concluded_at=received + DAY if ending else None,
        outcome="工资已结清。" if ending else "",
        **kw,
    )


def _modes(events) -> list[float | None]:
    return [e["payload"].get("mode", {}).get("factor") for e in events]


def test_cases_received_in_urgent_mode_get_its_deadlines_on_both_paths(crew, freeze) -> None:
    world = crew.world
    dispatcher = Actor(crew.dispatcher_a)
    for code in policies.DEFAULTS:  # written on first use: both runs must find the same rows
        policies.policy(code)
    with freeze(MONDAY):
        switch(crew.district_dispatcher, world.county, until=MONDAY + 5 * DAY)
    cases = [
        _past(world.village_a, MONDAY + DAY, bulk.Ending.RESOLVED),
        _past(world.town_a, MONDAY + DAY, bulk.Ending.UNRESOLVED),
        _past(world.grid_a, MONDAY + 2 * DAY),
        _past(world.village_a, MONDAY - 3 * DAY),  # the Friday before the mode
    ]
    with freeze(MONDAY + 3 * DAY):  # imported on the Thursday, the mode still running
        by_services = written_then_undone(
            lambda: [bulk.register_past_case(c, actor=dispatcher).pk for c in cases]
        )
        by_bulk = written_then_undone(lambda: bulk.register_past_cases(cases, actor=dispatcher))

    assert by_bulk == by_services
    resolved, unresolved, still_open, before = by_bulk
    # Every step that set a deadline says the mode shortened it; resolving set the follow-up's.
    assert _modes(resolved["events"]) == [0.5, 0.5, 0.5, None, 0.5, None]
    assert _modes(unresolved["events"]) == [0.5, 0.5, 0.5, None, None, None]
    received = MONDAY + DAY
    [lead] = resolved["assignments"]
    normal = services.due_from(policies.policy("check_in"), received)
    assert lead["check_in_due_at"] == received + (normal - received) / 2

    received = MONDAY + 2 * DAY
    normal = services.due_from(policies.policy("accept"), received)
    assert still_open["case"]["due_at"] == received + (normal - received) / 2
    assert _modes(still_open["events"]) == [0.5]

    received = MONDAY - 3 * DAY
    assert before["case"]["due_at"] == services.due_from(policies.policy("accept"), received)
    assert _modes(before["events"]) == [None]
