"""The sweeper reminds before deadlines and escalates after them, once per deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from tiaojie.accounts.models import Notification, NotificationKind, SmsMessage, SmsStatus
from tiaojie.accounts.notify import send_pending
from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.models import SupervisionLevel
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.cases.sweeper import sweep
from tiaojie.core.enums import CaseKind, Category, Channel, Tier

pytestmark = pytest.mark.django_db

MONDAY_9AM = "2025-03-03 09:00:00+08:00"


@pytest.fixture
def assigned_case(world):
    clerk = Actor(world.user("clerk_a", world.center_a, Role.WINDOW_CLERK, Role.DISPATCHER))
    handler = world.user("hrss_handler", world.hrss, Role.HANDLER)
    handler.phone = "13912345678"
    handler.save()
    world.user("district_dispatcher", world.center, Role.DISPATCHER)
    with freeze_time(MONDAY_9AM):
        case = services.register_case(
            actor=clerk,
            kind=CaseKind.DISPUTE,
            category=Category.LABOUR,
            channel=Channel.WINDOW,
            title="拖欠工资",
            description="工地拖欠三个月工资。",
            region=world.village_a,
            parties=[PartyInput(name="赵六")],
        )
        case = services.accept(case, actor=clerk)
        case = services.assign(case, actor=clerk, lead=world.hrss)
    return case


def test_nothing_happens_while_the_deadline_is_far(assigned_case) -> None:
    with freeze_time("2025-03-05 09:00:00+08:00"):
        report = sweep()
    assert not (report.reminded or report.escalated or report.supervised)


def test_a_reminder_goes_out_the_day_before_and_only_once(assigned_case) -> None:
    day_before = assigned_case.due_at - dt.timedelta(hours=12)
    with freeze_time(day_before):
        first = sweep()
        second = sweep()
    assert first.reminded == [assigned_case.code] and second.reminded == []
    assigned_case.refresh_from_db()
    assert assigned_case.supervision_level == SupervisionLevel.REMINDER
    reminders = Notification.objects.filter(case=assigned_case, kind=NotificationKind.REMINDER)
    assert reminders.count() == 1


def test_an_overdue_town_case_is_escalated_once(assigned_case) -> None:
    after = assigned_case.due_at + dt.timedelta(hours=1)
    with freeze_time(after):
        first = sweep()
        second = sweep()
    assert first.escalated == [assigned_case.code] and second.escalated == []
    assigned_case.refresh_from_db()
    assert assigned_case.tier == Tier.DISTRICT
    escalation = assigned_case.events.get(action="escalate", actor=None)
    assert escalation.payload["trigger"] == "deadline"
    assert Notification.objects.filter(kind=NotificationKind.ESCALATED, case=assigned_case).exists()


def test_the_command_runs_the_sweep(assigned_case, capsys) -> None:
    with freeze_time(assigned_case.due_at + dt.timedelta(hours=1)):
        call_command("sweep")
    assert "escalated 1" in capsys.readouterr().out


def test_assignment_reaches_the_unit_inbox_and_phone_once(assigned_case) -> None:
    notes = Notification.objects.filter(case=assigned_case, kind=NotificationKind.ASSIGNED)
    assert notes.count() == 1 and notes.get().user.username == "hrss_handler"
    sms = SmsMessage.objects.get()
    assert sms.phone == "13912345678" and assigned_case.code in sms.body
    # The test transaction never commits, so send by hand: twice sends once.
    assert send_pending() == 1 and send_pending() == 0
    assert SmsMessage.objects.get().status == SmsStatus.SENT


def test_an_action_that_fails_tells_nobody(assigned_case, world) -> None:
    before = Notification.objects.count()
    outsider = Actor(world.user("clerk_b", world.center_b, Role.DISPATCHER))
    with pytest.raises(services.ActionNotAllowed):
        services.assign(assigned_case, actor=outsider, lead=world.hrss)
    assert Notification.objects.count() == before
