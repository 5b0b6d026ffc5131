"""Rule replay: a change to the catalogue is tried on past cases before it is saved."""

from __future__ import annotations

import datetime as dt

import pytest

from tiaojie.accounts.models import Unit, UnitKind
from tiaojie.accounts.roles import Role
from tiaojie.cases import services as case_services
from tiaojie.cases.models import Case
from tiaojie.core import clock
from tiaojie.core.errors import Conflict, DomainError
from tiaojie.routing import engine, replay, services
from tiaojie.routing.models import CatalogueVersion, DispatchRule

pytestmark = pytest.mark.django_db


def _ago(days: int) -> dt.datetime:
    return clock.now() - dt.timedelta(days=days)


@pytest.fixture
def dispatcher(world):
    return world.user("center_dispatcher", world.center, Role.DISPATCHER)


@pytest.fixture
def known_set(world):
    """Cases of the last months whose routing is known under the default catalogue."""
    c = world.case
    return {
        # Neighbours' disputes: the village committee leads (the rule about to change) ...
        "nb_village_a": c(world.village_a, received_at=_ago(10)),
        "nb_grid_a": c(world.grid_a, received_at=_ago(40)),
        "nb_village_b": c(world.village_b, received_at=_ago(80)),
        # ... except a red one: the red rule is more specific, it stays with the district.
        "nb_red": c(world.village_a, risk_level="red", received_at=_ago(5)),
        # Other matters the change does not touch.
        "labour": c(world.village_a, category="labour", received_at=_ago(20)),
        "marriage": c(world.village_b, category="marriage_family", received_at=_ago(30)),
        "petition": c(world.village_a, kind="petition", category="other", received_at=_ago(15)),
        # A neighbours' dispute older than the replayed period.
        "nb_old": c(world.village_a, received_at=_ago(200)),
    }


def _neighbourhood_rule() -> DispatchRule:
    return DispatchRule.objects.get(kind="dispute", category="neighbourhood", region=None)


def test_the_replay_reports_exactly_the_cases_whose_routing_changes(
    world, dispatcher, known_set
) -> None:
    # Neighbours' disputes in town B go to the town center instead of the village committee.
    town_b_rule = DispatchRule(
        kind="dispute",
        category="neighbourhood",
        region=world.town_b,
        tier="town",
        lead_kind=UnitKind.TOWN_CENTER,
    )
    result = replay.preview(town_b_rule, user=dispatcher, months=3)
    assert {d.case_code for d in result.differences} == {known_set["nb_village_b"].code}
    assert result.total == 7  # the old case is outside the three months

    # Changing the general rule instead moves every neighbours' dispute of the period but
    # the red one (and not the old one).
    changed = _neighbourhood_rule()
    changed.tier, changed.lead_kind = "town", UnitKind.TOWN_CENTER
    result = replay.preview(changed, user=dispatcher, months=3)
    assert {d.case_code for d in result.differences} == {
        known_set[k].code for k in ("nb_village_a", "nb_grid_a", "nb_village_b")
    }
    first = result.differences[0]  # newest first
    assert first.case_code == known_set["nb_village_a"].code
    assert first.before == ("village", "village_committee")
    assert first.after == ("town", "town_center")
    assert first.actual == replay.NOT_ROUTED

    # Twelve months reach the old case too.
    result = replay.preview(changed, user=dispatcher, months=12)
    assert known_set["nb_old"].code in {d.case_code for d in result.differences}


def test_deactivating_a_rule_leaves_its_cases_to_the_next_rule(
    world, dispatcher, known_set
) -> None:
    gone = _neighbourhood_rule()
    gone.is_active = False
    result = replay.preview(gone, user=dispatcher, months=3)
    by_code = {d.case_code: d.after for d in result.differences}
    # The general dispute rule takes them: the town center, the justice office assisting.
    assert by_code == {
        known_set[k].code: ("town", "town_center")
        for k in ("nb_village_a", "nb_grid_a", "nb_village_b")
    }


def test_a_rule_leaving_cases_without_any_rule_says_so(world, dispatcher, known_set) -> None:
    general = DispatchRule.objects.get(kind="petition", category="", risk_level="")
    general.is_active = False
    result = replay.preview(general, user=dispatcher, months=3)
    assert [(d.case_code, d.after) for d in result.differences] == [
        (known_set["petition"].code, ("", "no_dispatch_rule"))
    ]


def test_what_actually_happened_is_the_first_lead_at_the_tier_of_that_time(
    world, dispatcher
) -> None:
    police = Unit.objects.create(name="区公安分局", kind=UnitKind.POLICE, region=world.county)
    actor = case_services.Actor(dispatcher)
    # Assigned to the village committee, later escalated: what happened is the assignment.
    assigned = world.case(world.village_a, status="accepted", tier="village", received_at=_ago(9))
    assigned = case_services.assign(assigned, actor=actor, lead=world.committee_a)
    case_services.escalate(assigned, actor=actor, reason="村里调解不成")
    # Escalated before anyone assigned it: the center that took it over.
    red = world.case(
        world.village_a, status="accepted", tier="town", risk_level="red", received_at=_ago(8)
    )
    red = case_services.escalate(red, actor=actor, reason="扬言报复，立即提级")
    case_services.assign(red, actor=actor, lead=police)
    # Assigned and never moved: the tier it has.
    plain = world.case(world.village_b, status="accepted", tier="town", received_at=_ago(7))
    case_services.assign(plain, actor=actor, lead=world.center_b)

    routes = replay.actual_routes(Case.objects.all(), {c.pk: c.tier for c in Case.objects.all()})
    assert routes[assigned.pk] == ("village", "village_committee")
    assert routes[red.pk] == ("district", "district_center")
    assert routes[plain.pk] == ("town", "town_center")

    # The summary counts the cases the catalogue routes as they were routed.
    _v, current = engine.load()
    result = replay.compare(current, current, Case.objects.all())
    assert (result.total, result.routed, result.differences) == (3, 3, [])
    # Neighbours' dispute in a village → village committee (as happened); red → district
    # center (as happened); plain neighbours' dispute in town B → village committee (the town
    # center led it): two of three.
    assert result.agree_before == result.agree_after == 2


def test_the_replay_sees_only_the_cases_of_the_dispatchers_area(world, known_set) -> None:
    town_a = world.user("xiagui_dispatcher", world.center_a, Role.DISPATCHER)
    changed = _neighbourhood_rule()
    changed.tier, changed.lead_kind = "town", UnitKind.TOWN_CENTER
    result = replay.preview(changed, user=town_a, months=3)
    assert {d.case_code for d in result.differences} == {
        known_set[k].code for k in ("nb_village_a", "nb_grid_a")
    }


def test_a_preview_of_a_duplicate_is_refused_like_its_save(world, dispatcher) -> None:
    twin = DispatchRule(kind="dispute", category="labour", tier="town", lead_kind="town_center")
    with pytest.raises(DomainError) as excinfo:
        replay.preview(twin, user=dispatcher)
    assert excinfo.value.code == "dispatch_rules_tie"


def test_a_save_after_the_catalogue_moved_is_refused(world, dispatcher) -> None:
    version = CatalogueVersion.objects.get(pk=1).number
    mine = _neighbourhood_rule()
    mine.tier = "town"
    theirs = DispatchRule.objects.get(kind="dispute", category="medical")
    theirs.note = "医调委先行调解"
    services.save_rule(theirs, actor=dispatcher, reason="医调委进驻", expected_version=version)
    with pytest.raises(Conflict):
        services.save_rule(mine, actor=dispatcher, reason="镇街先调", expected_version=version)
    assert _neighbourhood_rule().tier == "village"
    assert CatalogueVersion.objects.get(pk=1).number == version + 1


def test_months_count_back_by_the_calendar() -> None:
    moment = dt.datetime(2026, 5, 31, 12, tzinfo=dt.UTC)
    assert replay.months_before(moment, 3) == dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC)
    assert replay.months_before(moment, 24) == dt.datetime(2024, 5, 31, 12, tzinfo=dt.UTC)
    assert replay.months_before(moment, 5) == dt.datetime(2025, 12, 31, 12, tzinfo=dt.UTC)


def test_the_service_itself_refuses_a_town_dispatcher(world) -> None:
    town = world.user("town_dispatcher", world.center_a, Role.DISPATCHER)
    rule = DispatchRule.objects.get(kind="dispute", category="medical")
    version = CatalogueVersion.objects.get(pk=1).number
    rule.note = "镇里自己改"
    with pytest.raises(DomainError) as excinfo:
        services.save_rule(rule, actor=town, reason="试试")
    assert excinfo.value.code == "not_allowed"
    assert DispatchRule.objects.get(pk=rule.pk).note != "镇里自己改"
    assert CatalogueVersion.objects.get(pk=1).number == version
