"""A ledger import accepts its concluded cases under the policy the dispatch catalogue names,
exactly as acceptance does: the bulk path and the services write the same rows."""

from __future__ import annotations

import datetime as dt

import pytest

from tiaojie.accounts.roles import Role
from tiaojie.cases import bulk, policies
from tiaojie.cases.models import Case, DeadlinePolicy
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.routing.models import DispatchRule
from tiaojie.testing.case_rows import written_then_undone

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=8))


def _labour_case(world, region) -> bulk.PastCase:
    return bulk.PastCase(
        kind="dispute",
        category="labour",
        channel="window",
        title="拖欠工资",
        description="工地拖欠三个月工资。",
        region=region,
        parties=[PartyInput(name="赵六")],
        received_at=dt.datetime(2024, 4, 1, 9, 0, tzinfo=TZ),
        ending=bulk.Ending.RESOLVED,
        concluded_at=dt.datetime(2024, 4, 8, tzinfo=TZ),
        outcome="工资已结清。",
    )


@pytest.fixture
def fast_labour_rule(town_labour_rule) -> DispatchRule:
    DeadlinePolicy.objects.create(
        code="labour_fast", name="劳动争议快调", days=7, working_days=True, source="下邽镇试点"
    )
    return town_labour_rule("labour_fast")


def test_the_ledger_accepts_under_the_policy_the_rule_names(world, fast_labour_rule) -> None:
    dispatcher = Actor(world.user("disp_a", world.center_a, Role.DISPATCHER))
    for code in policies.DEFAULTS:  # written on first use: both runs must find the same rows
        policies.policy(code)
    cases = [_labour_case(world, world.village_a)]

    by_services = written_then_undone(
        lambda: [bulk.register_past_case(c, actor=dispatcher).pk for c in cases]
    )
    by_bulk = written_then_undone(lambda: bulk.register_past_cases(cases, actor=dispatcher))

    assert by_bulk == by_services
    accepted = next(e for e in by_bulk[0]["events"] if e["action"] == "accept")
    assert accepted["payload"] == {"policy": "labour_fast", "rule": fast_labour_rule.pk}
    assert by_bulk[0]["case"]["policy"] == DeadlinePolicy.objects.get(code="labour_fast").pk


def test_outside_the_rules_place_the_ledger_keeps_the_legal_default(
    world, fast_labour_rule
) -> None:
    dispatcher = Actor(world.user("disp_b", world.center_b, Role.DISPATCHER))
    [pk] = bulk.register_past_cases([_labour_case(world, world.village_b)], actor=dispatcher)
    case = Case.objects.get(pk=pk)
    assert case.policy.code == "labour_mediation"
    assert case.events.get(action="accept").payload == {"policy": "labour_mediation"}
