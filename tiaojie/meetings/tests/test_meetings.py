"""Opening, running and closing a monthly meeting; its decisions are tasks with owners and
deadlines; who sees what."""

from __future__ import annotations

import datetime as dt

import pytest

from tiaojie.accounts.roles import Role
from tiaojie.audit.models import AuditEntry
from tiaojie.core.errors import DomainError
from tiaojie.meetings.models import MeetingStatus, MeetingTask, TaskStatus
from tiaojie.meetings.selectors import overdue, owned_tasks
from tiaojie.meetings.services import (
    NotPermitted,
    add_decision,
    close_meeting,
    complete_task,
    open_meeting,
    save_minutes,
)

pytestmark = pytest.mark.django_db

MARCH = dt.date(2025, 3, 1)
NOW = dt.datetime(2025, 3, 28, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def meeting(cast, freeze):
    with freeze(NOW):
        return open_meeting(user=cast.dispatcher, month=MARCH)


def _decide(meeting, cast, **kw):
    fields = {
        "user": cast.dispatcher,
        "text": "人社局牵头清理欠薪线索。",
        "owner_unit": cast.world.hrss,
        "owner_user": cast.handler,
        "due_on": dt.date(2025, 4, 10),
    }
    fields.update(kw)
    return add_decision(meeting, **fields)


def test_a_month_is_opened_once_and_not_before_it_begins(cast, meeting, freeze) -> None:
    assert (meeting.unit, meeting.region, meeting.month) == (
        cast.world.center_a,
        cast.world.town_a,
        MARCH,
    )
    with freeze(NOW), pytest.raises(DomainError, match="2025-03"):
        open_meeting(user=cast.dispatcher, month=MARCH)
    with freeze(NOW), pytest.raises(DomainError):
        open_meeting(user=cast.dispatcher, month=dt.date(2025, 4, 1))
    with freeze(NOW), pytest.raises(NotPermitted):
        open_meeting(user=cast.handler, month=MARCH)
    with freeze(NOW), pytest.raises(NotPermitted):
        open_meeting(user=cast.clerk, month=MARCH)


def test_decisions_become_tasks_that_turn_overdue_and_are_reported_done(
    cast, meeting, freeze
) -> None:
    with freeze(NOW):
        late = _decide(meeting, cast)
        soon = _decide(
            meeting,
            cast,
            text="镇综治中心回访。",
            owner_unit=cast.world.center_a,
            owner_user=None,
            due_on=dt.date(2025, 5, 1),
        )
    assert (late.owner_unit, late.owner_user, late.status) == (
        cast.world.hrss,
        cast.handler,
        TaskStatus.OPEN,
    )
    assert list(overdue(meeting.tasks.all(), dt.date(2025, 4, 10))) == []
    assert list(overdue(meeting.tasks.all(), dt.date(2025, 4, 11))) == [late]
    assert list(overdue(meeting.tasks.all(), dt.date(2025, 5, 2))) == [late, soon]
    assert list(owned_tasks(cast.handler)) == [late]
    with pytest.raises(NotPermitted):
        complete_task(late, user=cast.town_b, note="不是我的。")
    with pytest.raises(DomainError):
        complete_task(late, user=cast.handler, note=" ")
    done = complete_task(late, user=cast.handler, note="已核实并清理线索12条。")
    assert (done.status, done.done_by) == (TaskStatus.DONE, cast.handler)
    assert list(overdue(meeting.tasks.all(), dt.date(2025, 4, 11))) == []


def test_a_task_needs_an_owner_who_can_take_it_and_a_future_deadline(cast, meeting, freeze) -> None:
    with freeze(NOW):
        with pytest.raises(DomainError):  # town B is not town A's to task
            _decide(meeting, cast, owner_unit=cast.world.center_b, owner_user=None)
        with pytest.raises(DomainError):  # the person works elsewhere
            _decide(meeting, cast, owner_user=cast.dispatcher)
        with pytest.raises(DomainError):
            _decide(meeting, cast, due_on=dt.date(2025, 3, 27))
        with pytest.raises(NotPermitted):  # only the meeting's own center decides
            _decide(meeting, cast, user=cast.district)
    assert not MeetingTask.objects.exists()


def test_closing_needs_minutes_freezes_them_and_is_audited(cast, meeting, freeze) -> None:
    with pytest.raises(DomainError):
        close_meeting(meeting, user=cast.dispatcher)
    with freeze(NOW):
        _decide(meeting, cast)
    save_minutes(
        meeting, user=cast.dispatcher, minutes="研判了红色事项。", attendees="镇长、司法所长"
    )
    closed = close_meeting(meeting, user=cast.dispatcher)
    assert closed.status == MeetingStatus.CLOSED and closed.closed_by == cast.dispatcher
    entry = AuditEntry.objects.get(kind="meeting_closed")
    assert (entry.actor_id, entry.target_id) == (cast.dispatcher.pk, str(meeting.pk))
    assert entry.detail == {
        "unit": cast.world.center_a.pk,
        "month": "2025-03",
        "tasks": 1,
        "agenda_items": 0,
    }
    with pytest.raises(DomainError):
        save_minutes(closed, user=cast.dispatcher, minutes="改纪要。", attendees="")
    with freeze(NOW), pytest.raises(DomainError):
        _decide(closed, cast)
    closed.refresh_from_db()
    assert closed.minutes == "研判了红色事项。" and closed.tasks.count() == 1
    # Tasks are still tracked after the meeting closed.
    complete_task(closed.tasks.get(), user=cast.handler, note="已完成。")


# --- pages and scope ---------------------------------------------------------------------------
def test_who_reads_a_town_meeting(cast, meeting, login) -> None:
    url = f"/meetings/{meeting.pk}/"
    inspector = cast.world.user("inspector_a", cast.world.center_a, Role.INSPECTOR)
    assert login(cast.dispatcher).get(url).status_code == 200
    assert login(inspector).get(url).status_code == 200
    assert login(cast.district).get(url).status_code == 200  # the district sees every town
    assert login(cast.town_b).get(url).status_code == 404
    assert login(cast.handler).get(url).status_code == 404  # departments see their tasks only
    body = login(cast.town_b).get("/meetings/").content.decode()
    assert url not in body
    assert url in login(cast.district).get("/meetings/").content.decode()


def test_a_town_does_not_see_the_district_meeting(cast, freeze, login) -> None:
    with freeze(NOW):
        district = open_meeting(user=cast.district, month=MARCH)
    assert login(cast.dispatcher).get(f"/meetings/{district.pk}/").status_code == 404


def test_only_the_holding_center_changes_a_meeting(cast, meeting, login) -> None:
    for user in (cast.district, cast.town_b):
        client = login(user)
        client.post(f"/meetings/{meeting.pk}/minutes/", {"minutes": "别人的纪要", "attendees": ""})
        client.post(f"/meetings/{meeting.pk}/close/")
    meeting.refresh_from_db()
    assert meeting.minutes == "" and meeting.status == MeetingStatus.OPEN


def test_the_owner_unit_lists_its_tasks_with_the_overdue_first(
    cast, meeting, freeze, login
) -> None:
    with freeze(NOW):
        late = _decide(meeting, cast, text="逾期的任务")
        _decide(meeting, cast, text="未到期的任务", due_on=dt.date(2025, 6, 1))
        _decide(meeting, cast, text="镇里的任务", owner_unit=cast.world.center_a, owner_user=None)
    with freeze(dt.datetime(2025, 4, 20, 2, 0, tzinfo=dt.UTC)):
        body = login(cast.handler).get("/meetings/tasks/").content.decode()
        meeting_page = login(cast.dispatcher).get(f"/meetings/{meeting.pk}/").content.decode()
    assert body.index("逾期的任务") < body.index("未到期的任务")
    assert "镇里的任务" not in body
    assert 'data-testid="overdue-count"' in body
    assert 'data-testid="overdue-tasks"' in meeting_page
    # Town B may not report town A's tasks; the owner may.
    assert (
        login(cast.town_b).post(f"/meetings/tasks/{late.pk}/done/", {"note": "x"}).status_code
        == 404
    )
    login(cast.handler).post(f"/meetings/tasks/{late.pk}/done/", {"note": "已办。"})
    late.refresh_from_db()
    assert late.status == TaskStatus.DONE


def test_the_meeting_is_run_on_its_page(cast, login, freeze) -> None:
    client = login(cast.dispatcher)
    with freeze(NOW):
        response = client.post("/meetings/open/", {"month": "2025-03"})
        assert response.status_code == 302
        url = response["Location"]
        client.post(url + "minutes/", {"minutes": "会议纪要。", "attendees": "张镇长"})
        response = client.post(
            url + "decisions/",
            {
                "decision-text": "回访申请人。",
                "decision-owner_unit": cast.world.hrss.pk,
                "decision-owner_user": "",
                "decision-due_on": "2025-04-30",
                "decision-case_code": "",
            },
        )
        assert response.status_code == 302
        client.post(url + "close/")
        body = client.get(url).content.decode()
    assert "会议纪要。" in body and "回访申请人。" in body
    assert 'data-testid="minutes-form"' not in body and 'data-testid="decision-form"' not in body
