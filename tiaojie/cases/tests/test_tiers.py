"""The three tiers (三级): escalation by each trigger, hand-back (交回), who sees and works what,
and returns (退回) within 5 working days, the first receiver keeping track (首接负责).

Personas: town A's dispatcher and the district's, the leader, the 人社 handler and window clerk,
the committee of village A (东庆村) and its mediator, town B's dispatcher.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tiaojie.accounts.models import Notification, NotificationKind, Unit
from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.models import Assignment, Case
from tiaojie.cases.selectors import case_timeline, cases_for_user
from tiaojie.cases.services import SYSTEM, ActionNotAllowed, Actor, PartyInput
from tiaojie.cases.workflow import Action, EscalationTrigger, Status
from tiaojie.core.enums import CaseKind, Category, Channel, RiskLevel, Tier
from tiaojie.core.errors import Conflict, DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(world) -> SimpleNamespace:
    w = world
    return SimpleNamespace(
        world=w,
        town=Actor(w.user("dispatcher_a", w.center_a, Role.WINDOW_CLERK, Role.DISPATCHER)),
        district=Actor(w.user("district_dispatcher", w.center, Role.DISPATCHER)),
        leader=Actor(w.user("leader", w.center, Role.LEADER)),
        handler=Actor(w.user("hrss_handler", w.hrss, Role.HANDLER)),
        committee=Actor(w.user("committee_staff", w.committee_a, Role.TOWN_STAFF)),
        mediator=Actor(w.user("village_mediator", w.committee_a, Role.MEDIATOR)),
        town_b=Actor(w.user("dispatcher_b", w.center_b, Role.DISPATCHER)),
        # 人社 receives cases at its own window too: then it is the first receiving unit.
        hrss_clerk=Actor(w.user("hrss_clerk", w.hrss, Role.WINDOW_CLERK)),
    )


def _register(cast, *, by=None, **kw) -> Case:
    fields = {
        "kind": CaseKind.DISPUTE,
        "category": Category.NEIGHBOURHOOD,
        "channel": Channel.WINDOW,
        "title": "宅基地界线纠纷",
        "description": "两户因院墙位置发生争执。",
        "region": cast.world.village_a,
        "parties": [PartyInput(name="李四")],
    }
    fields.update(kw)
    return services.register_case(actor=by or cast.town, **fields)


def _in_progress(cast, *, by=None, lead: Unit | None = None, **kw) -> Case:
    """Accepted, assigned and checked in: by the town unless ``by`` (a center's staff)."""
    by = by or cast.town
    case = services.accept(_register(cast, by=by, **kw), actor=by)
    lead = lead or cast.world.hrss
    case = services.assign(case, actor=by, lead=lead)
    worker = cast.handler if lead == cast.world.hrss else by
    return services.check_in(case, actor=worker)


def _last(case: Case, action: str):
    return case.events.filter(action=action).order_by("-seq").first()


def _history_text(case: Case) -> str:
    return " ".join(f"{e.action} {e.detail}" for e in case_timeline(case))


# --- the trigger keyword ----------------------------------------------------------------------
def test_escalating_by_hand_records_the_trigger_and_shows_it_in_chinese(cast) -> None:
    case = services.accept(_register(cast), actor=cast.town)
    case = services.escalate(case, actor=cast.town, reason="涉及多个部门，镇级无法协调")
    event = _last(case, Action.ESCALATE)
    assert event.payload == {
        "from_tier": Tier.TOWN,
        "to_tier": Tier.DISTRICT,
        "to_unit": cast.world.center.pk,
        "trigger": EscalationTrigger.HAND,
    }
    assert "人工提级：镇街 → 区" in _history_text(case)


@pytest.mark.parametrize("trigger", EscalationTrigger.values)
def test_every_trigger_is_kept_in_the_event(cast, trigger) -> None:
    case = services.accept(_register(cast), actor=cast.town)
    case = services.escalate(case, actor=SYSTEM, reason="按规定提级", trigger=trigger)
    assert _last(case, Action.ESCALATE).payload["trigger"] == trigger
    assert str(EscalationTrigger(trigger).label) in _history_text(case)


def test_an_unknown_trigger_is_refused_and_nothing_is_written(cast) -> None:
    case = services.accept(_register(cast), actor=cast.town)
    with pytest.raises(DomainError):
        services.escalate(case, actor=cast.town, reason="x", trigger="whim")
    case.refresh_from_db()
    assert case.tier == Tier.TOWN and case.event_count == 2


# --- failure to resolve -------------------------------------------------------------------------
def test_a_town_failure_goes_to_the_district_center_in_the_same_step(cast) -> None:
    case = _in_progress(cast)
    case = services.fail(case, actor=cast.handler, reason="双方分歧较大，镇级无法化解")
    assert case.status == Status.ACCEPTED and case.tier == Tier.DISTRICT
    assert case.lead_unit == cast.world.center and case.handler is None
    assert not Assignment.objects.filter(case=case, ended_at=None).exists()
    assert case.outcome == "" and case.concluded_at is None and case.due_at is not None
    actions = list(case.events.order_by("seq").values_list("action", "actor_id", "to_status"))
    assert actions[-2:] == [
        (Action.FAIL, cast.handler.user_id, Status.UNRESOLVED),
        (Action.ESCALATE, None, Status.ACCEPTED),
    ]
    assert _last(case, Action.ESCALATE).payload["trigger"] == EscalationTrigger.FAILURE
    assert "因未化解提级" in _history_text(case)
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.version) == (case.status, case.version)


def test_a_village_failure_goes_to_the_town_center(cast) -> None:
    case = _in_progress(cast, by=cast.committee, lead=cast.world.committee_a)
    assert case.tier == Tier.VILLAGE
    case = services.fail(case, actor=cast.committee, reason="村里调解不成")
    assert case.tier == Tier.TOWN and case.lead_unit == cast.world.center_a


def test_at_the_district_an_unresolved_case_stays_for_the_district_to_decide(cast) -> None:
    case = _in_progress(cast, by=cast.district, region=cast.world.county)
    assert case.tier == Tier.DISTRICT
    case = services.fail(case, actor=cast.handler, reason="无法达成一致")
    assert case.status == Status.UNRESOLVED and case.tier == Tier.DISTRICT
    assert _last(case, Action.ESCALATE) is None
    # The district closes it with guidance, or escalates it by hand.
    assert Action.CLOSE in services.actions_for(cast.district.user, case)
    case = services.escalate(case, actor=cast.leader, reason="提请领导小组研究")
    assert case.tier == Tier.LEADERSHIP


def test_an_unresolved_petition_stays_its_way_on_is_review(cast) -> None:
    case = _in_progress(
        cast, kind=CaseKind.PETITION, category=Category.LAND_REQUISITION, channel=Channel.VISIT
    )
    case = services.fail(case, actor=cast.handler, reason="诉求缺乏政策依据，不予支持。")
    assert case.status == Status.UNRESOLVED and case.tier == Tier.TOWN


def test_without_a_center_above_the_failure_stays_unresolved(cast) -> None:
    case = _in_progress(cast)
    Unit.objects.filter(pk=cast.world.center.pk).update(is_active=False)
    case = services.fail(case, actor=cast.handler, reason="无法化解")
    assert case.status == Status.UNRESOLVED and case.tier == Tier.TOWN


def test_a_stale_failure_writes_neither_event(cast) -> None:
    case = _in_progress(cast)
    shown = case.version
    services.record_session(case, actor=cast.handler, summary="双方到场。")
    with pytest.raises(Conflict):
        services.fail(case, actor=cast.handler, reason="无法化解", expected_version=shown)
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and _last(case, Action.FAIL) is None


# --- red risk -----------------------------------------------------------------------------------
def test_a_case_accepted_with_red_risk_goes_to_the_district_at_once(cast) -> None:
    case = _register(cast, risk_level=RiskLevel.RED)
    case = services.accept(case, actor=cast.town)
    assert case.status == Status.ACCEPTED and case.tier == Tier.DISTRICT
    assert case.lead_unit == cast.world.center
    event = _last(case, Action.ESCALATE)
    assert event.actor_id is None and event.payload["trigger"] == EscalationTrigger.RED_RISK
    assert "红色风险立即提级" in _history_text(case)


def test_a_red_village_case_skips_the_town(cast) -> None:
    case = _register(cast, by=cast.committee, risk_level=RiskLevel.RED)
    assert case.tier == Tier.VILLAGE
    case = services.accept(case, actor=cast.committee)
    assert case.tier == Tier.DISTRICT and _last(case, Action.ESCALATE).payload["from_tier"] == (
        Tier.VILLAGE
    )


def test_a_red_case_already_at_the_district_stays(cast) -> None:
    case = _register(cast, by=cast.district, region=cast.world.county, risk_level=RiskLevel.RED)
    case = services.accept(case, actor=cast.district)
    assert case.tier == Tier.DISTRICT and _last(case, Action.ESCALATE) is None


def test_raising_the_risk_to_red_sends_an_open_case_up_at_once(cast) -> None:
    case = _in_progress(cast)
    case = services.set_risk(
        case, actor=cast.town, risk_level=RiskLevel.RED, reason="申请人扬言报复，有民转刑风险"
    )
    assert case.risk_level == RiskLevel.RED and case.tier == Tier.DISTRICT
    assert case.status == Status.ACCEPTED and case.lead_unit == cast.world.center
    risk_event = _last(case, Action.SET_RISK)
    assert risk_event.payload == {"from": RiskLevel.BLUE, "to": RiskLevel.RED}
    assert risk_event.reason == "申请人扬言报复，有民转刑风险"
    assert _last(case, Action.ESCALATE).payload["trigger"] == EscalationTrigger.RED_RISK
    assert "蓝色（轻微） → 红色（重大）" in _history_text(case)


def test_orange_is_recorded_and_moves_nothing(cast) -> None:
    case = _in_progress(cast)
    case = services.set_risk(case, actor=cast.town, risk_level=RiskLevel.ORANGE, reason="人数较多")
    assert case.risk_level == RiskLevel.ORANGE and case.tier == Tier.TOWN
    assert case.status == Status.IN_PROGRESS


def test_a_registered_case_raised_to_red_goes_up_when_accepted(cast) -> None:
    case = services.set_risk(
        _register(cast), actor=cast.town, risk_level=RiskLevel.RED, reason="群体性苗头"
    )
    assert case.status == Status.REGISTERED and case.tier == Tier.TOWN
    case = services.accept(case, actor=cast.town)
    assert case.tier == Tier.DISTRICT


def test_setting_the_risk_needs_a_reason_a_new_level_and_the_center(cast) -> None:
    case = _in_progress(cast)
    with pytest.raises(DomainError):
        services.set_risk(case, actor=cast.town, risk_level=RiskLevel.RED, reason=" ")
    with pytest.raises(DomainError):
        services.set_risk(case, actor=cast.town, risk_level=RiskLevel.BLUE, reason="不变")
    with pytest.raises(DomainError):
        services.set_risk(case, actor=cast.town, risk_level="purple", reason="x")
    # The handling department and another town do not set the risk.
    for outsider in (cast.handler, cast.town_b):
        with pytest.raises(ActionNotAllowed):
            services.set_risk(case, actor=outsider, risk_level=RiskLevel.RED, reason="x")
    case.refresh_from_db()
    assert case.risk_level == RiskLevel.BLUE and _last(case, Action.SET_RISK) is None


# --- hand-back (交回) ----------------------------------------------------------------------------
def _escalated(cast) -> Case:
    case = services.accept(_register(cast), actor=cast.town)
    return services.escalate(case, actor=cast.town, reason="镇级协调不了")


def test_the_district_hands_a_case_back_to_the_town_with_a_fresh_deadline(cast) -> None:
    with freeze_time("2025-03-03 09:00:00+08:00"):
        case = _escalated(cast)
    with freeze_time("2025-03-10 09:00:00+08:00"):
        case = services.deescalate(case, actor=cast.district, reason="属镇级职责，交回属地办理")
    assert case.status == Status.ACCEPTED and case.tier == Tier.TOWN
    assert case.lead_unit == cast.world.center_a and case.handler is None
    assert case.due_at == services.due_from(case.policy, _last(case, Action.DEESCALATE).at)
    event = _last(case, Action.DEESCALATE)
    assert event.reason == "属镇级职责，交回属地办理"
    assert event.payload == {
        "from_tier": Tier.DISTRICT,
        "to_tier": Tier.TOWN,
        "to_unit": cast.world.center_a.pk,
    }
    assert "区 → 镇街" in _history_text(case)
    # Back home, the town works it again.
    assert Action.ASSIGN in services.actions_for(cast.town.user, case)


def test_handing_back_needs_a_reason(cast) -> None:
    case = _escalated(cast)
    with pytest.raises(DomainError):
        services.deescalate(case, actor=cast.district, reason="")
    case.refresh_from_db()
    assert case.tier == Tier.DISTRICT


def test_never_below_the_tier_where_the_case_started(cast) -> None:
    case = services.accept(_register(cast), actor=cast.town)
    assert Action.DEESCALATE not in services.actions_for(cast.town.user, case)
    with pytest.raises(ActionNotAllowed):
        services.deescalate(case, actor=cast.town, reason="交给村里")
    case = services.escalate(case, actor=cast.town, reason="x")
    case = services.deescalate(case, actor=cast.district, reason="交回")
    with pytest.raises(ActionNotAllowed):
        services.deescalate(case, actor=cast.town, reason="再交给村里")


def test_from_the_leadership_group_back_to_the_district(cast) -> None:
    case = services.escalate(_escalated(cast), actor=cast.leader, reason="提请领导小组")
    assert case.tier == Tier.LEADERSHIP
    case = services.deescalate(case, actor=cast.leader, reason="由区综治中心继续办理")
    assert case.tier == Tier.DISTRICT and case.lead_unit == cast.world.center


def test_a_village_case_goes_back_to_its_committee(cast) -> None:
    case = services.accept(_register(cast, by=cast.committee), actor=cast.committee)
    case = services.escalate(case, actor=cast.town, reason="村级调解力量不足")
    assert case.tier == Tier.TOWN
    case = services.deescalate(case, actor=cast.town, reason="村里继续做工作")
    assert case.tier == Tier.VILLAGE and case.lead_unit == cast.world.committee_a


def test_not_while_the_risk_is_red(cast) -> None:
    case = _escalated(cast)
    case = services.set_risk(case, actor=cast.district, risk_level=RiskLevel.RED, reason="扬言")
    assert Action.DEESCALATE not in services.actions_for(cast.district.user, case)
    with pytest.raises(ActionNotAllowed):
        services.deescalate(case, actor=cast.district, reason="交回")
    case = services.set_risk(case, actor=cast.district, risk_level=RiskLevel.YELLOW, reason="稳控")
    case = services.deescalate(case, actor=cast.district, reason="风险降低，交回")
    assert case.tier == Tier.TOWN


def test_only_the_center_of_the_tier_hands_back(cast) -> None:
    case = _escalated(cast)
    # The town escalated it: it sees it, but neither hands it back nor works it any more;
    # as the first receiving unit it may still add files, label it, or record a withdrawal.
    assert set(services.actions_for(cast.town.user, case)) == {
        Action.WITHDRAW,
        Action.ATTACH,
        Action.LABEL,
    }
    for other in (cast.town, cast.town_b, cast.handler):
        with pytest.raises(ActionNotAllowed):
            services.deescalate(case, actor=other, reason="交回")
    assert Action.DEESCALATE in services.actions_for(cast.district.user, case)


# --- who sees what --------------------------------------------------------------------------------
def test_each_tier_sees_what_it_owns_and_what_it_escalated(cast) -> None:
    w = cast.world
    village = services.accept(_register(cast, by=cast.committee), actor=cast.committee)
    village = services.escalate(village, actor=cast.committee, reason="村级化解不了")
    assert village.tier == Tier.TOWN
    town = services.escalate(
        services.accept(_register(cast), actor=cast.town), actor=cast.town, reason="x"
    )
    other_town = services.accept(
        _register(cast, by=cast.town_b, region=w.village_b), actor=cast.town_b
    )
    assigned = services.assign(
        services.accept(_register(cast), actor=cast.town), actor=cast.town, lead=w.hrss
    )

    def seen(actor: Actor) -> set[int]:
        return set(cases_for_user(actor.user).values_list("pk", flat=True))

    # The committee: its own case, escalated to the town, and nothing else of the town.
    assert seen(cast.committee) >= {village.pk} and other_town.pk not in seen(cast.committee)
    # The town: what it escalated to the district, what its village escalated, not town B's.
    assert {village.pk, town.pk, assigned.pk} <= seen(cast.town)
    assert other_town.pk not in seen(cast.town)
    # The department: only what it is assigned.
    assert seen(cast.handler) == {assigned.pk}
    # The district center: everything.
    assert seen(cast.district) == {village.pk, town.pk, other_town.pk, assigned.pk}
    # Seeing is not working: the committee no longer assigns or escalates what it passed up.
    offered = services.actions_for(cast.committee.user, village)
    assert Action.ASSIGN not in offered and Action.ESCALATE not in offered


def test_the_town_can_open_the_page_of_a_case_it_escalated(client, cast) -> None:
    case = _escalated(cast)
    client.force_login(cast.town.user)
    response = client.get(reverse("cases:detail", args=[case.code]))
    assert response.status_code == 200
    body = response.content.decode()
    for action in ("assign", "escalate", "deescalate", "set_risk", "close"):
        assert f'data-action="{action}"' not in body  # the district works it now
    assert "人工提级" in body


def test_another_town_does_not_see_it(client, cast) -> None:
    case = _escalated(cast)
    client.force_login(cast.town_b.user)
    assert client.get(reverse("cases:detail", args=[case.code])).status_code == 404


# --- returns (退回, 信访工作条例 art. 23) ------------------------------------------------------
# 2025's National Day holiday: 1-8 October off, Sunday 28 September and Saturday 11 October
# worked (调休). Five working days from Tuesday 30 September end on Tuesday 14 October.
BEFORE_THE_HOLIDAY = "2025-09-30 09:00:00+08:00"


def _assigned_to_the_village(cast, *, by=None) -> Case:
    """Received by 人社, accepted and assigned by the town to the village committee."""
    by = by or cast.town
    case = services.accept(_register(cast, by=cast.hrss_clerk), actor=by)
    return services.assign(case, actor=by, lead=cast.world.committee_a)


def test_a_return_needs_a_reason(cast) -> None:
    case = _assigned_to_the_village(cast)
    with pytest.raises(DomainError) as refused:
        services.return_case(case, actor=cast.mediator, reason="  ")
    assert refused.value.code == "missing_input"
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED and case.lead_unit == cast.world.committee_a


def test_the_five_working_days_follow_the_work_calendar(cast) -> None:
    with freeze_time(BEFORE_THE_HOLIDAY):
        case = _assigned_to_the_village(cast)
    # Counting Monday to Friday only, the time would have ended on 7 October.
    with freeze_time("2025-10-14 18:00:00+08:00"):
        case = services.return_case(case, actor=cast.mediator, reason="属劳动争议，非村级职责")
    assert case.status == Status.ACCEPTED


def test_a_late_return_is_refused_in_plain_chinese(cast) -> None:
    with freeze_time(BEFORE_THE_HOLIDAY):
        case = _assigned_to_the_village(cast)
    with freeze_time("2025-10-15 09:00:00+08:00"), pytest.raises(DomainError) as refused:
        services.return_case(case, actor=cast.mediator, reason="不属本单位职责")
    assert refused.value.code == "return_too_late"
    assert str(refused.value.message) == (
        "已超过退回时限：该事项于2025-09-30交办，只能在5个工作日内（截至2025-10-14 23:59）退回。"
        "请联系综治中心改派或提级。"
    )
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED and _returns(case) == 0


def _returns(case: Case) -> int:
    return case.events.filter(action=Action.RETURN).count()


def test_the_case_goes_back_to_the_center_that_assigned_it(cast) -> None:
    case = _assigned_to_the_village(cast)
    case = services.return_case(case, actor=cast.mediator, reason="属劳动争议")
    assert case.status == Status.ACCEPTED and case.lead_unit == cast.world.center_a
    assert case.handler is None
    assert not Assignment.objects.filter(case=case, ended_at=None).exists()
    event = case.events.get(action=Action.RETURN)
    assert event.reason == "属劳动争议" and event.payload == {"unit": cast.world.committee_a.pk}
    # The town assigns it again, to the right unit.
    assert Action.ASSIGN in services.actions_for(cast.town.user, case)


def test_assigned_by_the_district_it_goes_back_to_the_district(cast) -> None:
    case = _assigned_to_the_village(cast, by=cast.district)
    case = services.return_case(case, actor=cast.mediator, reason="不属村级职责")
    assert case.lead_unit == cast.world.center


def test_the_first_receiver_is_told_and_keeps_seeing_the_case(client, cast) -> None:
    case = _assigned_to_the_village(cast)
    case = services.return_case(case, actor=cast.mediator, reason="属劳动争议")
    told = Notification.objects.filter(case=case, kind=NotificationKind.RETURNED)
    assert set(told.values_list("user__username", flat=True)) == {"hrss_clerk", "dispatcher_a"}
    assert "首接" in told.get(user=cast.hrss_clerk.user).title
    # 人社 neither leads nor is assigned: it sees the case as the unit that received it.
    assert case in cases_for_user(cast.hrss_clerk.user)
    client.force_login(cast.hrss_clerk.user)
    body = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    tracked = body.split('data-testid="tracked-by"')[1].split("</dd>")[0]
    assert cast.world.hrss.name in tracked and "首接负责，跟踪到底" in tracked


def test_a_department_still_sees_what_it_returned_and_nothing_else(cast) -> None:
    received = _register(cast, category=Category.LABOUR, title="拖欠工资")
    case = services.assign(
        services.accept(received, actor=cast.town), actor=cast.town, lead=cast.world.hrss
    )
    services.return_case(case, actor=cast.handler, reason="属住建部门职责")
    received_by_hrss = _register(cast, by=cast.hrss_clerk)
    other = services.accept(received_by_hrss, actor=cast.town)
    assert set(cases_for_user(cast.handler.user)) == {case, other}


# --- the API ------------------------------------------------------------------------------------
def test_risk_and_hand_back_through_the_api(client, cast) -> None:
    case = _escalated(cast)
    client.force_login(cast.district.user)
    url = f"/api/v1/cases/{case.code}/actions/"
    response = client.post(
        url + "set_risk",
        {"version": case.version, "risk_level": "orange", "reason": "人数较多"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["risk_level"] == "orange"
    response = client.post(
        url + "deescalate",
        {"version": response.json()["version"], "reason": "交回属地"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["tier"] == "town"
