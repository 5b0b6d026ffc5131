"""A case goes round the closed loop through services; every step leaves its event."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from freezegun import freeze_time

from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.history import verify_case
from tiaojie.cases.models import Assignment, Case, Person, SupervisionLevel
from tiaojie.cases.services import SYSTEM, ActionNotAllowed, Actor, PartyInput
from tiaojie.cases.workflow import Action, Status
from tiaojie.core.enums import CaseKind, Category, Channel, Tier
from tiaojie.core.errors import Conflict, DomainError

pytestmark = pytest.mark.django_db

APPLICANT = PartyInput(name="王建国", id_number="11010519491231002X", phone="13812341234")


@pytest.fixture
def cast(world):
    """The people of the story: a clerk and dispatcher of town A, a 人社 handler, a leader…"""
    w = world
    return SimpleNamespace(
        world=w,
        clerk=Actor(w.user("clerk_a", w.center_a, Role.WINDOW_CLERK)),
        dispatcher=Actor(w.user("dispatcher_a", w.center_a, Role.DISPATCHER)),
        handler=Actor(w.user("hrss_handler", w.hrss, Role.HANDLER)),
        leader=Actor(w.user("leader", w.center, Role.LEADER)),
        district=Actor(w.user("district_dispatcher", w.center, Role.DISPATCHER)),
        outsider=Actor(w.user("clerk_b", w.center_b, Role.WINDOW_CLERK, Role.DISPATCHER)),
    )


def _register(cast, **kw) -> Case:
    fields = {
        "kind": CaseKind.DISPUTE,
        "category": Category.LABOUR,
        "channel": Channel.WINDOW,
        "title": "某建筑公司拖欠工资",
        "description": "申请人在某工地务工三个月，工资未结。",
        "region": cast.world.village_a,
        "parties": [APPLICANT],
    }
    fields.update(kw)
    return services.register_case(actor=cast.clerk, **fields)


def _to_in_progress(cast) -> Case:
    case = _register(cast)
    case = services.accept(case, actor=cast.clerk)
    case = services.assign(case, actor=cast.dispatcher, lead=cast.world.hrss)
    return services.check_in(case, actor=cast.handler)


def _actions(case: Case) -> list[str]:
    return list(case.events.order_by("seq").values_list("action", flat=True))


def test_the_whole_loop_from_window_to_closure(cast) -> None:
    case = _register(cast)
    assert case.status == Status.REGISTERED and case.code.startswith(str(case.received_at.year))
    assert case.tier == Tier.TOWN and case.due_at is not None
    case = services.accept(case, actor=cast.clerk)
    assert case.policy.code == "labour_mediation" and case.due_at > case.accepted_at
    case = services.assign(
        case, actor=cast.dispatcher, lead=cast.world.hrss, assisting=[cast.world.committee_a]
    )
    assert case.status == Status.ASSIGNED and case.lead_unit == cast.world.hrss
    assert Assignment.objects.filter(case=case, ended_at=None).count() == 2
    case = services.check_in(case, actor=cast.handler)
    assert case.status == Status.IN_PROGRESS and case.handler == cast.handler.user
    case = services.record_session(case, actor=cast.handler, summary="双方到场，初步沟通。")
    case = services.resolve(
        case, actor=cast.handler, outcome="公司同意分两期支付工资。", agreement="协议全文"
    )
    assert case.status == Status.RESOLVED and case.concluded_at is not None
    case = services.follow_up(case, actor=cast.clerk, satisfaction="satisfied")
    assert case.status == Status.CLOSED and case.closed_at is not None
    assert _actions(case) == [
        "register",
        "accept",
        "assign",
        "check_in",
        "record_session",
        "resolve",
        "follow_up",
    ]
    assert case.version == 7
    assert verify_case(case) is None


def test_the_same_person_is_found_again_by_id_number(cast) -> None:
    first = _register(cast)
    second = _register(cast, title="再次反映工资问题")
    assert Person.objects.count() == 1
    assert first.parties.get().person == second.parties.get().person


def test_the_handler_may_not_rate_their_own_work(cast) -> None:
    case = services.resolve(_to_in_progress(cast), actor=cast.handler, outcome="已支付。")
    with pytest.raises(ActionNotAllowed):
        services.follow_up(case, actor=cast.handler, satisfaction="satisfied")


def test_a_dissatisfied_applicant_sends_the_case_back_to_work(cast) -> None:
    case = services.resolve(_to_in_progress(cast), actor=cast.handler, outcome="已支付一半。")
    case = services.follow_up(case, actor=cast.clerk, satisfaction="dissatisfied", note="仍欠一半")
    assert case.status == Status.IN_PROGRESS
    assert case.dissatisfied_count == 1 and case.concluded_at is None


def test_declining_needs_a_legal_route(cast) -> None:
    case = _register(cast)
    with pytest.raises(DomainError):
        services.decline(case, actor=cast.clerk, route="", reason="属于劳动仲裁范围")
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and case.event_count == 1
    case = services.decline(case, actor=cast.clerk, route="arbitration", reason="属于劳动仲裁范围")
    assert case.status == Status.DECLINED and case.decline_route == "arbitration"


def test_a_terminal_case_does_not_move(cast) -> None:
    case = services.withdraw(_register(cast), actor=cast.clerk, reason="已自行和解")
    for call in (
        lambda: services.accept(case, actor=cast.clerk),
        lambda: services.escalate(case, actor=cast.dispatcher, reason="x"),
        lambda: services.supervise(case, actor=cast.leader),
    ):
        with pytest.raises(ActionNotAllowed):
            call()
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN and case.event_count == 2


def test_another_town_cannot_act_on_the_case(cast) -> None:
    case = _register(cast)
    with pytest.raises(ActionNotAllowed):
        services.accept(case, actor=cast.outsider)


def test_a_stale_version_is_refused_and_nothing_is_written(cast) -> None:
    case = _register(cast)
    shown = case.version
    services.accept(case, actor=cast.clerk)
    with pytest.raises(Conflict):
        services.withdraw(case, actor=cast.clerk, reason="x", expected_version=shown)
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.event_count == 2


def test_a_unit_returns_a_case_outside_its_remit_in_time(cast) -> None:
    with freeze_time("2025-03-03 09:00:00+08:00"):
        case = services.assign(
            services.accept(_register(cast), actor=cast.clerk),
            actor=cast.dispatcher,
            lead=cast.world.hrss,
        )
    with freeze_time("2025-03-06 09:00:00+08:00"):
        case = services.return_case(case, actor=cast.handler, reason="属于住建部门职责")
    assert case.status == Status.ACCEPTED and case.lead_unit == cast.world.center_a
    assert not Assignment.objects.filter(case=case, ended_at=None).exists()


def test_returning_after_five_working_days_is_too_late(cast) -> None:
    with freeze_time("2025-03-03 09:00:00+08:00"):
        case = services.assign(
            services.accept(_register(cast), actor=cast.clerk),
            actor=cast.dispatcher,
            lead=cast.world.hrss,
        )
    with (
        freeze_time("2025-03-11 09:00:00+08:00"),
        pytest.raises(DomainError, match="已超过退回时限"),
    ):
        services.return_case(case, actor=cast.handler, reason="不属本单位")


def test_escalation_hands_the_case_to_the_district_center(cast) -> None:
    case = _to_in_progress(cast)
    case = services.escalate(case, actor=cast.dispatcher, reason="涉及多个部门，镇级无法协调")
    assert case.tier == Tier.DISTRICT and case.lead_unit == cast.world.center
    assert case.status == Status.ACCEPTED
    assert not Assignment.objects.filter(case=case, ended_at=None).exists()


def test_supervision_climbs_three_steps_then_stops(cast) -> None:
    case = services.accept(_register(cast), actor=cast.clerk)
    for level in (SupervisionLevel.REMINDER, SupervisionLevel.SUPERVISED, SupervisionLevel.LISTED):
        case = services.supervise(case, actor=cast.leader, note="请加快办理")
        assert case.supervision_level == level
    with pytest.raises(ActionNotAllowed):
        services.supervise(case, actor=cast.leader)


def test_a_leader_extends_a_petition_once(cast) -> None:
    case = _register(
        cast, kind=CaseKind.PETITION, category=Category.LAND_REQUISITION, channel=Channel.VISIT
    )
    case = services.accept(case, actor=cast.clerk)
    case = services.assign(case, actor=cast.dispatcher, lead=cast.world.hrss)
    due = case.due_at
    case = services.extend(case, actor=cast.leader, reason="需要补充调查")
    assert case.due_at - due >= dt.timedelta(days=30)
    with pytest.raises(ActionNotAllowed):
        services.extend(case, actor=cast.leader, reason="再延一次")


def test_suspension_stops_the_clock(cast) -> None:
    with freeze_time("2025-03-03 09:00:00+08:00"):
        case = _to_in_progress(cast)
    due = case.due_at
    with freeze_time("2025-03-04 09:00:00+08:00"):
        case = services.suspend(case, actor=cast.handler, reason="等待工伤鉴定")
    with freeze_time("2025-03-14 09:00:00+08:00"):
        case = services.resume(case, actor=cast.handler)
    assert case.status == Status.IN_PROGRESS and case.suspended_at is None
    assert case.due_at - due == dt.timedelta(days=10)


def test_merging_points_to_the_survivor(cast) -> None:
    survivor = services.accept(_register(cast), actor=cast.clerk)
    duplicate = _register(cast, title="重复登记")
    duplicate = services.merge(duplicate, actor=cast.dispatcher, into=survivor, reason="同一事项")
    assert duplicate.status == Status.MERGED and duplicate.merged_into == survivor
    with pytest.raises(DomainError):
        services.merge(survivor, actor=cast.dispatcher, into=duplicate)


def test_the_system_escalates_and_supervises_but_does_nothing_else(cast) -> None:
    case = services.accept(_register(cast), actor=cast.clerk)
    case = services.supervise(case, actor=SYSTEM, note="即将超期")
    event = case.events.order_by("-seq").first()
    assert event.actor_id is None and event.action == Action.SUPERVISE
    with pytest.raises(ActionNotAllowed):
        services.withdraw(case, actor=SYSTEM, reason="x")


def test_a_leader_reopens_a_closed_case(cast) -> None:
    case = services.resolve(_to_in_progress(cast), actor=cast.handler, outcome="已支付。")
    case = services.follow_up(case, actor=cast.clerk, satisfaction="satisfied")
    case = services.reopen(case, actor=cast.leader, reason="群众再次反映未履行")
    assert case.status == Status.IN_PROGRESS and case.reopen_count == 1 and case.closed_at is None


def test_the_page_offers_only_what_the_table_allows(cast) -> None:
    case = _to_in_progress(cast)
    assert services.actions_for(cast.handler.user, case) == [
        Action.RETURN,
        Action.RECORD_SESSION,
        Action.RESOLVE,
        Action.FAIL,
        Action.SUSPEND,
        Action.ATTACH,
    ]
    assert services.actions_for(cast.outsider.user, case) == []
