"""The issue's test: in urgent mode deadlines are shortened and a red case is sent up at once.

Also: the event says which factor was applied, the mode's extra recipients hear of new and
escalated cases in scope, and everything is back to normal once the mode ends.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tiaojie.accounts.models import Notification, NotificationKind
from tiaojie.cases import policies, services
from tiaojie.cases.models import Case
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.cases.workflow import Action, Status
from tiaojie.core import clock
from tiaojie.core.enums import CaseKind, Category, Channel, RiskLevel, Tier
from tiaojie.modes import services as modes
from tiaojie.modes.models import Mode

from .conftest import switch

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2025, 6, 2, 1, 0, tzinfo=dt.UTC)  # 09:00 in 临渭


def _register(crew, region=None, **kw) -> Case:
    fields = {
        "kind": CaseKind.DISPUTE,
        "category": Category.LABOUR,
        "channel": Channel.WINDOW,
        "title": "某建筑公司拖欠工资",
        "description": "申请人在工地务工三个月，工资未结。",
        "region": region or crew.world.village_a,
        "parties": [PartyInput(name="王建国")],
    }
    fields.update(kw)
    return services.register_case(actor=Actor(crew.clerk_a), **fields)


def _normal_due(code: str, start: dt.datetime) -> dt.datetime:
    return services.due_from(policies.policy(code), start)  # outside a transition: not shortened


def _urgent(crew, scope, mode=Mode.URGENT):
    return switch(crew.district_dispatcher, scope, mode, until=clock.now() + dt.timedelta(days=3))


def _last_event(case: Case):
    return case.events.order_by("-seq").first()


def test_urgent_mode_halves_every_deadline_the_lifecycle_sets_and_says_so(crew, freeze) -> None:
    with freeze(MONDAY):
        now = clock.now()
        before = _register(crew)
        assert before.due_at == _normal_due("accept", now)
        assert "mode" not in _last_event(before).payload

        _urgent(crew, crew.world.county)
        case = _register(crew)
        normal = _normal_due("accept", now)
        assert case.due_at == now + (normal - now) / 2 < normal
        assert _last_event(case).payload["mode"] == {
            "mode": "urgent",
            "factor": 0.5,
            "period": _last_event(case).payload["mode"]["period"],
        }

        case = services.accept(case, actor=Actor(crew.clerk_a))
        assert case.due_at == now + (_normal_due("labour_mediation", now) - now) / 2
        assert _last_event(case).payload["mode"]["factor"] == 0.5

        case = services.assign(case, actor=Actor(crew.dispatcher_a), lead=crew.world.hrss)
        lead = case.assignments.get()
        assert lead.check_in_due_at == now + (_normal_due("check_in", now) - now) / 2
        # The handling deadline the assignment carries was set at acceptance, not again.
        assert lead.due_at == case.due_at

        case = services.check_in(case, actor=Actor(crew.handler))
        assert "mode" not in _last_event(case).payload  # sets no deadline
        case = services.resolve(case, actor=Actor(crew.handler), outcome="分期支付工资。")
        assert case.due_at == now + (_normal_due("follow_up", now) - now) / 2


def test_wartime_quarters_deadlines_and_only_in_its_scope(crew, freeze) -> None:
    with freeze(MONDAY):
        now = clock.now()
        _urgent(crew, crew.world.town_a, mode=Mode.WARTIME)
        in_town_a = _register(crew)
        in_town_b = _register(crew, region=crew.world.village_b)
        normal = _normal_due("accept", now)
        assert in_town_a.due_at == now + (normal - now) / 4
        assert in_town_b.due_at == normal
        assert "mode" not in _last_event(in_town_b).payload


def test_in_urgent_mode_an_orange_case_is_sent_up_when_accepted(crew, freeze) -> None:
    with freeze(MONDAY):
        now = clock.now()
        _urgent(crew, crew.world.county)
        case = _register(crew, risk_level=RiskLevel.ORANGE)
        assert case.tier == Tier.TOWN
        case = services.accept(case, actor=Actor(crew.clerk_a))

        case.refresh_from_db()
        assert case.tier == Tier.DISTRICT and case.lead_unit == crew.world.center
        assert case.status == Status.ACCEPTED
        events = list(case.events.order_by("seq"))
        assert [e.action for e in events] == [Action.REGISTER, Action.ACCEPT, Action.ESCALATE]
        escalation = events[-1]
        assert escalation.actor_id is None  # the mode's rule did it, not the clerk
        assert "急时" in escalation.reason or "Urgent" in escalation.reason
        assert escalation.payload["to_tier"] == Tier.DISTRICT
        assert escalation.payload["trigger"] == "mode"
        # The district's new deadline is shortened as well.
        assert case.due_at == now + (_normal_due("labour_mediation", now) - now) / 2
        assert escalation.payload["mode"]["factor"] == 0.5


def test_in_urgent_mode_a_red_case_goes_up_once(crew) -> None:
    """Red risk goes to the district anyway; the mode does not send it up a second time."""
    _urgent(crew, crew.world.county)
    case = services.accept(_register(crew, risk_level=RiskLevel.RED), actor=Actor(crew.clerk_a))
    case.refresh_from_db()
    assert case.tier == Tier.DISTRICT and case.lead_unit == crew.world.center
    escalations = list(case.events.filter(action=Action.ESCALATE))
    assert [e.payload["trigger"] for e in escalations] == ["red_risk"]


def test_orange_goes_up_in_urgent_mode_only(crew) -> None:
    normal = services.accept(
        _register(crew, risk_level=RiskLevel.ORANGE), actor=Actor(crew.clerk_a)
    )
    assert normal.tier == Tier.TOWN
    _urgent(crew, crew.world.town_a)
    sent = services.accept(_register(crew, risk_level=RiskLevel.ORANGE), actor=Actor(crew.clerk_a))
    assert sent.tier == Tier.DISTRICT


def test_yellow_and_blue_cases_stay_with_their_tier_in_urgent_mode(crew) -> None:
    _urgent(crew, crew.world.county)
    for risk in (RiskLevel.YELLOW, RiskLevel.BLUE):
        case = services.accept(_register(crew, risk_level=risk), actor=Actor(crew.clerk_a))
        assert case.tier == Tier.TOWN and case.status == Status.ACCEPTED


def test_without_a_center_above_an_orange_case_is_accepted_where_it_is(crew) -> None:
    _urgent(crew, crew.world.county)
    case = _register(crew, risk_level=RiskLevel.ORANGE)
    crew.world.center.is_active = False  # nobody above to send it to
    crew.world.center.save()
    case = services.accept(case, actor=Actor(crew.clerk_a))
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.tier == Tier.TOWN
    assert [e.action for e in case.events.order_by("seq")] == [Action.REGISTER, Action.ACCEPT]


def test_the_modes_extra_recipients_hear_of_new_and_escalated_cases_in_scope(crew) -> None:
    _urgent(crew, crew.world.town_a)
    case = _register(crew)
    told = set(
        Notification.objects.filter(kind=NotificationKind.MODE, case=case).values_list(
            "user__username", flat=True
        )
    )
    # Urgent mode tells leaders and dispatchers of the centers over the place.
    assert told == {"district_dispatcher", "district_leader", "leader_a", "dispatcher_a"}
    elsewhere = _register(crew, region=crew.world.village_b)
    assert not Notification.objects.filter(kind=NotificationKind.MODE, case=elsewhere).exists()

    services.accept(case, actor=Actor(crew.clerk_a))
    services.escalate(case, actor=Actor(crew.leader_a), reason="镇级无法化解")
    escalated = Notification.objects.filter(
        kind=NotificationKind.MODE, case=case, dedupe_key__startswith="mode:escalate"
    )
    assert escalated.count() == 4


def test_a_named_department_outside_the_cases_scope_hears_only_code_and_place(crew) -> None:
    from tiaojie.accounts.roles import Role
    from tiaojie.modes.models import ModeSetting

    # Town B's center is named in the setting: it does not see town A's cases.
    ModeSetting.objects.get(mode=Mode.URGENT).notify_units.add(crew.world.center_b)
    crew.world.user("dispatcher_b", crew.world.center_b, Role.DISPATCHER)
    _urgent(crew, crew.world.county)
    case = _register(crew)
    outside = Notification.objects.get(kind=NotificationKind.MODE, user__username="dispatcher_b")
    assert case.code in outside.title and case.title not in outside.title
    assert outside.case_id is None  # no link to a page that would answer 404
    inside = Notification.objects.get(kind=NotificationKind.MODE, user__username="dispatcher_a")
    assert case.title in inside.title and inside.case_id == case.pk


def test_back_to_normal_once_the_mode_ends(crew, freeze) -> None:
    with freeze(MONDAY) as frozen:
        period = _urgent(crew, crew.world.county)
        frozen.tick(dt.timedelta(hours=1))
        modes.end_mode(period, actor=crew.district_leader, reason="汛情解除")
        now = clock.now()
        case = _register(crew, risk_level=RiskLevel.ORANGE)
        assert case.due_at == _normal_due("accept", now)
        case = services.accept(case, actor=Actor(crew.clerk_a))
        assert case.tier == Tier.TOWN
        assert not Notification.objects.filter(kind=NotificationKind.MODE).exists()
