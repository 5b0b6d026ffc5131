"""Routing by nature and place: the default catalogue sends each case where it belongs."""

from __future__ import annotations

import pytest

from tiaojie.accounts.models import Unit, UnitKind
from tiaojie.cases.models import Case
from tiaojie.core.errors import DomainError
from tiaojie.regions.models import Region
from tiaojie.routing import engine, replay, services
from tiaojie.routing.models import DispatchRule, DispatchRuleRevision

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(world):
    def unit(name: str, kind: str, region: Region) -> Unit:
        return Unit.objects.create(name=name, kind=kind, region=region)

    made = {
        "center": world.center,
        "center_a": world.center_a,
        "center_b": world.center_b,
        "committee_a": world.committee_a,
        "hrss": world.hrss,
        "justice_a": unit("下邽镇司法所", UnitKind.JUSTICE_OFFICE, world.town_a),
        "justice_b": unit("桥南镇司法所", UnitKind.JUSTICE_OFFICE, world.town_b),
        "police_station_a": unit("下邽派出所", UnitKind.POLICE_STATION, world.town_a),
        "health": unit("区卫健局", UnitKind.HEALTH, world.county),
        "housing": unit("区住建局", UnitKind.HOUSING, world.county),
        "ecology": unit("区生态环境分局", UnitKind.ECOLOGY, world.county),
        "market": unit("区市场监管局", UnitKind.MARKET_REGULATION, world.county),
        "police": unit("区公安分局", UnitKind.POLICE, world.county),
        "petition": unit("区信访局", UnitKind.PETITION_BUREAU, world.county),
        "land": unit("区自然资源局", UnitKind.NATURAL_RESOURCES, world.county),
        "women": unit("区妇联", UnitKind.WOMEN_FEDERATION, world.county),
    }
    return made


# (kind, category, risk, place) → (tier, lead, assisting)
CASES = [
    ("dispute", "neighbourhood", "blue", "village_a", "village", "committee_a", ["justice_a"]),
    ("dispute", "neighbourhood", "blue", "grid_a", "village", "committee_a", ["justice_a"]),
    ("dispute", "neighbourhood", "yellow", "village_b", "village", None, ["justice_b"]),
    ("dispute", "neighbourhood", "orange", "town_a", "village", None, ["justice_a"]),
    ("dispute", "marriage_family", "blue", "village_a", "town", "center_a", ["women", "justice_a"]),
    (
        "dispute",
        "marriage_family",
        "yellow",
        "village_b",
        "town",
        "center_b",
        ["women", "justice_b"],
    ),
    ("dispute", "marriage_family", "orange", "town_b", "town", "center_b", ["women", "justice_b"]),
    ("dispute", "housing_homestead", "blue", "village_a", "town", "center_a", ["land"]),
    ("dispute", "housing_homestead", "yellow", "village_b", "town", "center_b", ["land"]),
    ("dispute", "land_forest", "blue", "grid_a", "town", "center_a", ["land"]),
    ("dispute", "land_forest", "orange", "village_b", "town", "center_b", ["land"]),
    ("dispute", "land_requisition", "blue", "village_a", "district", "center", ["land", "housing"]),
    ("dispute", "land_requisition", "orange", "town_b", "district", "center", ["land", "housing"]),
    ("dispute", "labour", "blue", "village_a", "district", "hrss", ["justice_a"]),
    ("dispute", "labour", "yellow", "village_b", "district", "hrss", ["justice_b"]),
    ("dispute", "labour", "orange", "county", "district", "hrss", []),
    ("dispute", "medical", "blue", "village_a", "district", "health", ["justice_a"]),
    ("dispute", "medical", "yellow", "town_b", "district", "health", ["justice_b"]),
    ("dispute", "property_management", "blue", "village_a", "town", "housing", ["center_a"]),
    ("dispute", "property_management", "yellow", "village_b", "town", "housing", ["center_b"]),
    ("dispute", "environment", "blue", "village_a", "district", "ecology", ["center_a"]),
    ("dispute", "environment", "orange", "village_b", "district", "ecology", ["center_b"]),
    ("dispute", "consumer", "blue", "village_a", "district", "market", []),
    ("dispute", "consumer", "yellow", "county", "district", "market", []),
    ("dispute", "traffic", "blue", "village_a", "district", "police", ["justice_a"]),
    ("dispute", "traffic", "orange", "village_b", "district", "police", ["justice_b"]),
    ("dispute", "contract", "blue", "village_a", "town", "center_a", ["justice_a"]),
    ("dispute", "contract", "yellow", "village_b", "town", "center_b", ["justice_b"]),
    ("dispute", "business", "blue", "village_a", "town", "center_a", ["justice_a", "market"]),
    ("dispute", "damages", "blue", "village_b", "town", "center_b", ["justice_b"]),
    ("dispute", "other", "blue", "grid_a", "town", "center_a", ["justice_a"]),
    ("dispute", "other", "yellow", "county", "town", None, []),
    ("petition", "labour", "blue", "village_a", "district", "petition", []),
    ("petition", "land_requisition", "orange", "village_b", "district", "petition", []),
    ("petition", "other", "yellow", "county", "district", "petition", []),
    ("request", "other", "blue", "village_a", "town", "center_a", []),
    ("request", "property_management", "blue", "village_b", "town", "center_b", []),
    ("hazard", "other", "yellow", "village_a", "town", "center_a", ["police_station_a"]),
    ("hazard", "environment", "orange", "village_b", "town", "center_b", []),
    # Red goes up at once, whatever the matter.
    ("dispute", "neighbourhood", "red", "village_a", "district", "center", ["police"]),
    ("dispute", "labour", "red", "village_b", "district", "center", ["police"]),
    ("petition", "other", "red", "town_a", "district", "center", ["police"]),
    ("hazard", "other", "red", "grid_a", "district", "center", ["police"]),
]


def test_the_table_has_forty_distinct_cases() -> None:
    assert len({c[:4] for c in CASES}) == len(CASES) >= 40


@pytest.mark.parametrize(
    ("kind", "category", "risk", "place", "tier", "lead", "assisting"),
    CASES,
    ids=["-".join(c[:4]) for c in CASES],
)
def test_the_default_catalogue_routes(
    world, units, kind, category, risk, place, tier, lead, assisting
) -> None:
    region = getattr(world, place)
    proposal = engine.propose(kind, category, risk, region.path)
    assert proposal.tier == tier
    assert proposal.lead_unit == (units[lead] if lead else None)
    assert list(proposal.assisting_units) == [units[a] for a in assisting]


def test_a_town_rule_beats_the_countys_and_duplicates_are_refused(world, units) -> None:
    town_rule = DispatchRule(
        kind="dispute",
        category="labour",
        region=world.town_a,
        tier="town",
        lead_kind=UnitKind.TOWN_CENTER,
        assisting_kinds=[UnitKind.HUMAN_RESOURCES],
    )
    services.save_rule(town_rule, actor=None, reason="下邽镇试点：劳动争议镇街先调")
    assert (
        engine.propose("dispute", "labour", "blue", world.village_a.path).lead_unit
        == units["center_a"]
    )
    assert (
        engine.propose("dispute", "labour", "blue", world.village_b.path).lead_unit == units["hrss"]
    )
    twin = DispatchRule(
        kind="dispute",
        category="labour",
        region=world.town_a,
        tier="district",
        lead_kind=UnitKind.HUMAN_RESOURCES,
    )
    with pytest.raises(DomainError) as excinfo:
        services.save_rule(twin, actor=None, reason="重复")
    assert excinfo.value.code == "dispatch_rules_tie"
    assert DispatchRuleRevision.objects.filter(rule_id_ref=town_rule.pk).count() == 1


def test_replay_reports_exactly_the_cases_whose_routing_changes(world, units) -> None:
    labour_a = world.case(world.village_a, category="labour")
    labour_b = world.case(world.village_b, category="labour")
    world.case(world.village_a, category="neighbourhood")
    world.case(world.village_a, category="labour", risk_level="red")  # red rule still wins
    _version, current = engine.load()
    town_rule = DispatchRule(
        kind="dispute",
        category="labour",
        region=world.town_a,
        tier="town",
        lead_kind=UnitKind.TOWN_CENTER,
    )
    candidate = current.changed(engine.compile_rule(town_rule))
    differences = replay.compare(current, candidate, Case.objects.all()).differences
    assert [d.case_code for d in differences] == [labour_a.code]
    assert differences[0].before == ("district", "human_resources")
    assert differences[0].after == ("town", "town_center")
    assert labour_b.code not in {d.case_code for d in differences}


def test_the_dispatcher_confirms_the_proposal_or_overrides_it_with_a_reason(
    client, world, units
) -> None:
    from django.urls import reverse

    from tiaojie.accounts.roles import Role
    from tiaojie.cases.models import CaseEvent

    dispatcher = world.user("dispatcher", world.center, Role.DISPATCHER)
    case = world.case(world.village_a, category="labour", status="accepted")
    client.force_login(dispatcher)
    page = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert f'<option value="{units["hrss"].pk}" selected>' in page  # 人社 proposed as lead

    def assign(lead: Unit, reason: str = "") -> object:
        case.refresh_from_db()
        return client.post(
            reverse("cases:act", args=[case.code, "assign"]),
            {
                "assign-version": case.version,
                "assign-lead": lead.pk,
                "assign-assisting": [units["justice_a"].pk],
                "assign-override_reason": reason,
            },
        )

    assign(units["center_a"])  # another lead, no reason: refused
    assert not CaseEvent.objects.filter(case=case, action="assign").exists()
    assign(units["center_a"], reason="当事人均在本镇企业，镇街先行调解")
    event = CaseEvent.objects.get(case=case, action="assign")
    assert event.payload["routing"]["followed"] is False
    assert event.payload["routing"]["proposed_lead"] == units["hrss"].pk
    assert "镇街先行调解" in event.payload["routing"]["override_reason"]


# --- the rule's deadline policy on acceptance --------------------------------------------------
def _accepted(world, **fields):
    from tiaojie.accounts.roles import Role
    from tiaojie.cases import services as cases
    from tiaojie.cases.services import Actor, PartyInput

    user = world.users.get("clerk_a") or world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    clerk = Actor(user)
    values = {
        "kind": "dispute",
        "category": "labour",
        "channel": "window",
        "title": "拖欠工资",
        "description": "工地拖欠三个月工资。",
        "region": world.village_a,
        "parties": [PartyInput(name="赵六")],
    }
    values.update(fields)
    case = cases.register_case(actor=clerk, **values)
    return cases.accept(case, actor=clerk)


def test_acceptance_runs_under_the_deadline_policy_the_rule_names(
    world, units, town_labour_rule
) -> None:
    from tiaojie.cases.models import DeadlinePolicy
    from tiaojie.cases.services import due_from

    DeadlinePolicy.objects.create(
        code="labour_fast", name="劳动争议快调", days=7, working_days=True, source="下邽镇试点"
    )
    rule = town_labour_rule("labour_fast")
    case = _accepted(world)
    assert case.policy.code == "labour_fast"
    assert case.due_at == due_from(case.policy, case.accepted_at)
    assert case.events.get(action="accept").payload == {"policy": "labour_fast", "rule": rule.pk}
    # Elsewhere the county's rule names no policy: the legal default (15 days, art. 14).
    other = _accepted(world, region=world.village_b)
    assert other.policy.code == "labour_mediation"
    assert other.events.get(action="accept").payload == {"policy": "labour_mediation"}


def test_a_rule_naming_a_policy_that_does_not_exist_gets_the_legal_default(
    world, units, town_labour_rule
) -> None:
    town_labour_rule("no_such_policy")
    case = _accepted(world)
    assert case.policy.code == "labour_mediation"
    assert case.events.get(action="accept").payload == {"policy": "labour_mediation"}


def test_a_rule_may_name_another_default_policy(world, units, town_labour_rule) -> None:
    town_labour_rule("people_mediation")  # 30 days, extendable
    case = _accepted(world)
    assert case.policy.code == "people_mediation" and case.policy.extension_days == 30
