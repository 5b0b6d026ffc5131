"""吹哨报到: a town blows the whistle on a case, departments check in within hours, the
sweeper marks those who stay away, and the district counts them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import translation
from freezegun import freeze_time

from tiaojie.accounts.models import Notification, NotificationKind, Unit, UnitKind
from tiaojie.accounts.roles import Role
from tiaojie.cases.history import verify_case
from tiaojie.cases.models import Case, CaseEvent, Sensitivity
from tiaojie.cases.workflow import Notice, Status
from tiaojie.core.enums import RiskLevel, Tier
from tiaojie.core.errors import DomainError
from tiaojie.whistles import services
from tiaojie.whistles.models import CallStatus, Whistle, WhistleCall
from tiaojie.whistles.selectors import Period, late_checkins

pytestmark = pytest.mark.django_db

T0 = "2025-03-03 09:00:00+08:00"
START = dt.datetime(2025, 3, 3, 1, 0, tzinfo=dt.UTC)  # T0


@pytest.fixture
def cast(world):
    """Town A's staff and grid worker, two departments summoned and one that is not, the
    district's dispatcher, and town B's staff."""
    w = world
    police = Unit.objects.create(name="渭南市公安局临渭分局", kind=UnitKind.POLICE, region=w.county)
    court = Unit.objects.create(name="临渭区人民法院", kind=UnitKind.COURT, region=w.county)
    station_b = Unit.objects.create(
        name="桥南派出所", kind=UnitKind.POLICE_STATION, region=w.town_b
    )
    return SimpleNamespace(
        world=w,
        police=police,
        court=court,
        station_b=station_b,
        town_a=w.user("town_a", w.center_a, Role.TOWN_STAFF),
        clerk_a=w.user("clerk_a", w.center_a, Role.WINDOW_CLERK),
        grid_a=w.user("grid_a", w.committee_a, Role.GRID_WORKER),
        hrss=w.user("hrss_handler", w.hrss, Role.HANDLER),
        officer=w.user("officer", police, Role.HANDLER),
        judge=w.user("judge", court, Role.MEDIATOR),
        district=w.user("district_dispatcher", w.center, Role.DISPATCHER),
        town_b=w.user("town_b", w.center_b, Role.TOWN_STAFF),
    )


def _case(cast, **fields) -> Case:
    values = {
        "first_unit": cast.world.center_a,
        "lead_unit": cast.world.center_a,
        "status": Status.IN_PROGRESS,
        "title": "工地欠薪纠纷",
    }
    values.update(fields)
    return cast.world.case(cast.world.village_a, **values)


def _blow(cast, case: Case, *, by=None, units=None, hours: int | None = 4) -> Whistle:
    return services.raise_whistle(
        case,
        actor=by or cast.town_a,
        units=units if units is not None else [cast.world.hrss, cast.police],
        reason="工人聚集讨薪，请人社、公安到场。",
        deadline_hours=hours,
    )


def _call(whistle: Whistle, unit: Unit) -> WhistleCall:
    return WhistleCall.objects.get(whistle=whistle, unit=unit)


def _inbox(user, kind=NotificationKind.WHISTLE) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=kind))


# --- raising -----------------------------------------------------------------------------------
def test_a_town_blows_the_whistle_and_each_department_is_told(cast) -> None:
    case = _case(cast)
    with freeze_time(T0):
        whistle = _blow(cast, case, hours=4)
    assert whistle.due_at == START + dt.timedelta(hours=4)
    calls = WhistleCall.objects.filter(whistle=whistle)
    assert {c.unit for c in calls} == {cast.world.hrss, cast.police}
    assert {c.status for c in calls} == {CallStatus.PENDING}
    assert len(_inbox(cast.hrss)) == 1 and len(_inbox(cast.officer)) == 1
    assert "2025" in _inbox(cast.hrss)[0].title  # the case code
    assert _inbox(cast.judge) == []
    event = CaseEvent.objects.get(case=case, action=Notice.WHISTLE_RAISED)
    assert event.actor == cast.town_a and event.reason.startswith("工人聚集")
    assert event.payload["deadline_hours"] == 4 and len(event.payload["unit_ids"]) == 2
    case.refresh_from_db()
    assert verify_case(case) is None and case.status == Status.IN_PROGRESS


def test_on_a_labelled_case_only_cleared_staff_read_the_reason_in_their_inbox(cast) -> None:
    cast.officer.sensitive_clearance = True
    cast.officer.save(update_fields=["sensitive_clearance"])
    _blow(cast, _case(cast, sensitivity=Sensitivity.SENSITIVE))
    (cleared,) = _inbox(cast.officer)
    (uncleared,) = _inbox(cast.hrss)
    assert cleared.body.startswith("工人聚集")
    assert uncleared.body == "" and uncleared.case_id == cleared.case_id
    assert "2025" in uncleared.title  # the code still says which case to open


def test_a_red_case_gets_two_hours_by_default_an_ordinary_one_a_day(cast) -> None:
    red = _case(cast, risk_level=RiskLevel.RED)
    blue = _case(cast)
    with freeze_time(T0):
        urgent = _blow(cast, red, hours=None)
        ordinary = _blow(cast, blue, hours=None)
    assert urgent.deadline_hours == 2 and urgent.due_at == START + dt.timedelta(hours=2)
    assert ordinary.deadline_hours == 24


def test_the_default_deadlines_are_settings(cast, settings) -> None:
    settings.TIAOJIE_WHISTLE_URGENT_HOURS = 1
    assert services.default_hours(_case(cast, risk_level=RiskLevel.ORANGE)) == 1


def test_a_village_committee_may_whistle_on_a_case_of_its_village(cast) -> None:
    whistle = _blow(cast, _case(cast), by=cast.grid_a)
    assert whistle.raised_by_unit == cast.world.committee_a


@pytest.mark.parametrize(
    "who",
    ["hrss", "town_b", "district", "clerk_a"],
    ids=["a department", "another town", "the district center", "a window clerk"],
)
def test_only_the_responsible_town_or_village_may_whistle(cast, who: str) -> None:
    case = _case(cast)
    with pytest.raises(services.WhistleNotAllowed):
        _blow(cast, case, by=getattr(cast, who))
    assert not Whistle.objects.exists()
    assert not CaseEvent.objects.filter(case=case).exists()


def test_a_town_does_not_whistle_on_a_case_it_escalated_to_the_district(cast) -> None:
    case = _case(cast, tier=Tier.DISTRICT, lead_unit=cast.world.center)
    with pytest.raises(services.WhistleNotAllowed):
        _blow(cast, case)
    assert not Whistle.objects.exists()


@pytest.mark.parametrize("status", [Status.REGISTERED, Status.RESOLVED, Status.CLOSED])
def test_no_whistle_before_acceptance_or_after_resolution(cast, status: str) -> None:
    with pytest.raises(services.WhistleNotAllowed):
        _blow(cast, _case(cast, status=status))
    assert not Whistle.objects.exists()


BAD_INPUT = [
    ({"units": []}, "请至少点名一个要召集的部门。"),
    ({"hours": 0}, "报到时限须在 1 至 72 小时之间。"),
    ({"hours": 73}, "报到时限须在 1 至 72 小时之间。"),
    ({"reason": "  "}, "请写明需要部门做什么。"),
    ({"units": "station_b"}, "桥南派出所不能被召集到本事项。"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_INPUT, ids=[str(b) for b, _ in BAD_INPUT])
def test_bad_input_is_refused_in_chinese_and_writes_nothing(cast, bad, message) -> None:
    case = _case(cast)
    units = bad.get("units", [cast.world.hrss])
    if units == "station_b":  # another town's police station does not serve this village
        units = [cast.station_b]
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        services.raise_whistle(
            case,
            actor=cast.town_a,
            units=units,
            reason=bad.get("reason", "请到场"),
            deadline_hours=bad.get("hours", 4),
        )
    assert refused.value.message == message
    assert not Whistle.objects.exists() and not WhistleCall.objects.exists()
    assert not Notification.objects.exists()
    assert Case.objects.get(pk=case.pk).event_count == 0


# --- checking in -----------------------------------------------------------------------------
def test_a_department_checks_in_on_time_and_the_whistler_hears(cast) -> None:
    case = _case(cast)
    with freeze_time(T0):
        whistle = _blow(cast, case)
    with freeze_time("2025-03-03 10:30:00+08:00"):
        call = services.check_in(whistle, actor=cast.hrss, what_done="已派员到场核实工资台账。")
    assert call.status == CallStatus.ON_TIME and not call.late
    assert call.checked_in_by == cast.hrss and call.what_done.startswith("已派员")
    assert _call(whistle, cast.police).status == CallStatus.PENDING
    told = _inbox(cast.town_a)
    assert len(told) == 1 and told[0].body.startswith("已派员")
    event = CaseEvent.objects.get(case=case, action=Notice.WHISTLE_CHECKED_IN)
    assert event.actor_unit == cast.world.hrss and event.payload["late"] is False
    assert verify_case(Case.objects.get(pk=case.pk)) is None


def test_a_check_in_after_the_deadline_is_recorded_as_late(cast) -> None:
    case = _case(cast)
    with freeze_time(T0):
        whistle = _blow(cast, case, hours=2)
    with freeze_time("2025-03-03 11:00:01+08:00"):
        call = services.check_in(whistle, actor=cast.officer, what_done="民警到场维持秩序。")
    assert call.status == CallStatus.LATE and call.late
    assert "迟到" in Notification.objects.get(user=cast.town_a).title
    assert CaseEvent.objects.get(action=Notice.WHISTLE_CHECKED_IN).payload["late"] is True


def test_check_in_needs_what_was_done_and_the_right_department(cast) -> None:
    case = _case(cast)
    whistle = _blow(cast, case)
    events = Case.objects.get(pk=case.pk).event_count
    with translation.override("zh-hans"), pytest.raises(DomainError) as empty:
        services.check_in(whistle, actor=cast.hrss, what_done="   ")
    assert empty.value.message == "请填写本部门做了什么。"
    with pytest.raises(services.WhistleNotAllowed):
        services.check_in(whistle, actor=cast.judge, what_done="不是我们的事")
    assert _call(whistle, cast.world.hrss).status == CallStatus.PENDING
    assert Case.objects.get(pk=case.pk).event_count == events
    assert _inbox(cast.town_a) == []


def test_a_department_checks_in_once(cast) -> None:
    whistle = _blow(cast, _case(cast))
    services.check_in(whistle, actor=cast.hrss, what_done="已到场")
    with pytest.raises(DomainError) as again:
        services.check_in(whistle, actor=cast.hrss, what_done="再来一次")
    assert again.value.code == "checked_in"
    assert _call(whistle, cast.world.hrss).what_done == "已到场"


# --- the sweeper and closing -----------------------------------------------------------------
def test_the_sweeper_marks_absent_once_and_tells_the_district(cast) -> None:
    case = _case(cast)
    with freeze_time(T0):
        whistle = _blow(cast, case, hours=2)
        services.check_in(whistle, actor=cast.hrss, what_done="已到场")
    with freeze_time("2025-03-03 10:59:00+08:00"):
        assert services.sweep().absent == 0
    with freeze_time("2025-03-03 11:05:00+08:00"):
        assert services.sweep().absent == 1
        assert services.sweep().absent == 0  # a second run acts on nothing
    police = _call(whistle, cast.police)
    assert police.status == CallStatus.ABSENT and police.absent_since is not None
    assert _call(whistle, cast.world.hrss).status == CallStatus.ON_TIME
    absent = _inbox(cast.district)
    assert len(absent) == 1 and "公安" in absent[0].title
    assert any("absent" in n.dedupe_key for n in _inbox(cast.town_a))
    # A department that comes after all is late, and stays on record as having been absent.
    with freeze_time("2025-03-03 12:00:00+08:00"):
        call = services.check_in(whistle, actor=cast.officer, what_done="迟到，已补充到场。")
    assert call.status == CallStatus.LATE and call.absent_since == police.absent_since


def test_tiaojie_sweep_runs_the_whistle_sweeper_too(cast, capsys) -> None:
    with freeze_time(T0):
        whistle = _blow(cast, _case(cast), hours=1)
    with freeze_time("2025-03-03 10:01:00+08:00"):
        call_command("sweep")
    assert "whistle check-ins missed 2" in capsys.readouterr().out
    assert set(whistle.calls.values_list("status", flat=True)) == {CallStatus.ABSENT}


def test_closing_releases_those_still_in_time_and_keeps_the_absent(cast) -> None:
    case = _case(cast)
    with freeze_time(T0):
        early = _blow(cast, case, hours=2)
        later = _blow(cast, case, units=[cast.police], hours=48)
    with freeze_time("2025-03-03 12:00:00+08:00"):
        services.close(early, actor=cast.town_a, note="已处置完毕")
        services.close(later, actor=cast.town_a)
    assert set(early.calls.values_list("status", flat=True)) == {CallStatus.ABSENT}
    assert _call(later, cast.police).status == CallStatus.RELEASED
    assert len(_inbox(cast.district)) == 2  # the two absent from the first whistle
    closed = CaseEvent.objects.filter(case=case, action=Notice.WHISTLE_CLOSED)
    assert closed.count() == 2
    with pytest.raises(DomainError) as late:
        services.check_in(later, actor=cast.officer, what_done="到了")
    assert late.value.code == "whistle_closed"
    assert verify_case(Case.objects.get(pk=case.pk)) is None


def test_only_the_whistlers_unit_closes_and_only_once(cast) -> None:
    whistle = _blow(cast, _case(cast))
    with pytest.raises(services.WhistleNotAllowed):
        services.close(whistle, actor=cast.district)
    with pytest.raises(services.WhistleNotAllowed):
        services.close(whistle, actor=cast.hrss)
    services.close(whistle, actor=cast.town_a)
    with pytest.raises(DomainError) as again:
        services.close(whistle, actor=cast.town_a)
    assert again.value.code == "whistle_closed"


# --- the evaluation's counts --------------------------------------------------------------------
def test_late_checkins_counts_per_department_in_the_period_and_place(cast) -> None:
    w = cast.world
    in_a = _case(cast)
    in_b = w.case(w.village_b, first_unit=w.center_b, lead_unit=w.center_b, status="accepted")
    with freeze_time(T0):
        one = _blow(cast, in_a, hours=1)  # hrss on time, police late
        two = _blow(cast, in_a, hours=1)  # hrss absent (swept), police absent (not swept yet)
        three = _blow(cast, in_b, by=cast.town_b, units=[w.hrss], hours=1)  # town B
        services.check_in(one, actor=cast.hrss, what_done="到场")
    with freeze_time("2025-03-03 10:30:00+08:00"):
        services.check_in(one, actor=cast.officer, what_done="到场")
        services.sweep(batch=1)  # only the first due call: hrss of whistle two
        services.check_in(three, actor=cast.hrss, what_done="到场")
    with freeze_time("2025-04-10 09:00:00+08:00"):
        _blow(cast, in_a, units=[w.hrss], hours=1)  # next month: outside the period
    assert _call(two, w.hrss).status == CallStatus.ABSENT
    assert _call(two, cast.police).status == CallStatus.PENDING  # past due, not yet swept

    march = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    with freeze_time("2025-04-10 10:00:00+08:00"):
        county = {t.unit: t for t in late_checkins(march, w.county)}
        town_a = {t.unit: t for t in late_checkins(march, w.town_a)}
    assert (county[w.hrss].summoned, county[w.hrss].on_time) == (3, 1)
    assert (county[w.hrss].late, county[w.hrss].absent) == (1, 1)
    assert (county[cast.police].late, county[cast.police].absent) == (1, 1)
    assert town_a[w.hrss].summoned == 2 and town_a[w.hrss].late == 0
    # Most late or absent first; a tie goes to the one summoned more often.
    assert list(county) == [w.hrss, cast.police]
