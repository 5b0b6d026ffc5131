"""The workbench shelves and the inbox with its unread count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tiaojie.accounts.models import Notification
from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.selectors import workbench_shelves
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.core.enums import CaseKind, Category, Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(world):
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK, Role.DISPATCHER)
    handler = world.user("hrss_handler", world.hrss, Role.HANDLER)
    with freeze_time("2025-03-03 09:00:00+08:00"):
        case = services.register_case(
            actor=Actor(clerk),
            kind=CaseKind.DISPUTE,
            category=Category.LABOUR,
            channel=Channel.WINDOW,
            title="欠薪",
            description="工地欠薪两个月。",
            region=world.village_a,
            parties=[PartyInput(name="周八")],
        )
        case = services.accept(case, actor=Actor(clerk))
        case = services.assign(case, actor=Actor(clerk), lead=world.hrss)
    return clerk, handler, case


def _shelf(user, key):
    return next(s for s in workbench_shelves(user) if s.key == key)


def test_a_new_assignment_waits_for_our_check_in(story) -> None:
    _clerk, handler, case = story
    with freeze_time("2025-03-03 10:00:00+08:00"):
        shelf = _shelf(handler, "awaiting_check_in")
    assert shelf.count == 1 and shelf.cases == [case]


def test_a_case_past_its_deadline_is_on_the_overdue_shelf(story) -> None:
    _clerk, handler, case = story
    with freeze_time(case.due_at + dt.timedelta(hours=2)):
        assert _shelf(handler, "overdue").cases == [case]
    with freeze_time(case.due_at - dt.timedelta(hours=2)):
        assert _shelf(handler, "due_today").cases == [case]


def test_a_resolved_case_waits_for_follow_up_by_the_window_not_the_handler(story) -> None:
    clerk, handler, case = story
    case = services.check_in(case, actor=Actor(handler))
    services.resolve(case, actor=Actor(handler), outcome="已结清。")
    assert _shelf(clerk, "awaiting_follow_up").count == 1
    assert _shelf(handler, "awaiting_follow_up").count == 0


def test_the_header_counts_unread_messages_and_opening_one_reads_it(client, story) -> None:
    _clerk, handler, case = story
    client.force_login(handler)
    body = client.get(reverse("accounts:workbench")).content.decode()
    assert 'data-testid="unread">1<' in body
    note = Notification.objects.get(user=handler)
    response = client.get(reverse("accounts:notification", args=[note.pk]))
    assert response["Location"] == reverse("cases:detail", args=[case.code])
    body = client.get(reverse("accounts:inbox")).content.decode()
    assert "新交办事项" in body and 'data-testid="unread"' not in body


def test_nobody_opens_another_persons_message(client, story, world) -> None:
    _clerk, handler, _case = story
    note = Notification.objects.get(user=handler)
    client.force_login(world.user("nosy", world.hrss, Role.HANDLER))
    assert client.get(reverse("accounts:notification", args=[note.pk])).status_code == 404
