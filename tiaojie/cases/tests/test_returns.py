"""退回: a unit returns a case outside its remit within 5 working days; the first receiver
keeps tracking it (首接负责)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tiaojie.accounts.models import Notification, NotificationKind
from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.models import Assignment, Case
from tiaojie.cases.selectors import cases_for_user
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.cases.workflow import Action, Status
from tiaojie.core.enums import CaseKind, Category, Channel
from tiaojie.core.errors import DomainError

pytestmark = pytest.mark.django_db

# 2025's National Day holiday: 1-8 October off, Sunday 28 September and Saturday 11 October
# worked (调休). Five working days from Tuesday 30 September end on Tuesday 14 October.
BEFORE_THE_HOLIDAY = "2025-09-30 09:00:00+08:00"


@pytest.fixture
def cast(world) -> SimpleNamespace:
    w = world
    return SimpleNamespace(
        world=w,
        # 人社 receives a wage case at its own window, so it is the first receiving unit.
        hrss_clerk=Actor(w.user("hrss_clerk", w.hrss, Role.WINDOW_CLERK)),
        town=Actor(w.user("dispatcher_a", w.center_a, Role.DISPATCHER)),
        district=Actor(w.user("district_dispatcher", w.center, Role.DISPATCHER)),
        mediator=Actor(w.user("village_mediator", w.committee_a, Role.MEDIATOR)),
        handler=Actor(w.user("hrss_handler", w.hrss, Role.HANDLER)),
    )


def _received_by_hrss(cast) -> Case:
    return services.register_case(
        actor=cast.hrss_clerk,
        kind=CaseKind.DISPUTE,
        category=Category.NEIGHBOURHOOD,
        channel=Channel.WINDOW,
        title="邻里排水纠纷",
        description="邻居排水管道通向申请人院内。",
        region=cast.world.village_a,
        parties=[PartyInput(name="周八")],
    )


def _assigned_to_the_village(cast, *, by=None) -> Case:
    """Received by 人社, accepted and assigned by the town to the village committee."""
    by = by or cast.town
    case = services.accept(_received_by_hrss(cast), actor=by)
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
    received = services.register_case(
        actor=cast.town,
        kind=CaseKind.DISPUTE,
        category=Category.LABOUR,
        channel=Channel.WINDOW,
        title="拖欠工资",
        description="工地拖欠三个月工资。",
        region=cast.world.village_a,
        parties=[PartyInput(name="赵六")],
    )
    case = services.assign(
        services.accept(received, actor=cast.town), actor=cast.town, lead=cast.world.hrss
    )
    services.return_case(case, actor=cast.handler, reason="属住建部门职责")
    other = services.accept(_received_by_hrss(cast), actor=cast.town)  # hrss received it
    assert set(cases_for_user(cast.handler.user)) == {case, other}
