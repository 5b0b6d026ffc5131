"""The inbox with its unread count."""

from __future__ import annotations

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tiaojie.accounts.models import Notification
from tiaojie.accounts.roles import Role
from tiaojie.cases import services
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


def test_the_header_counts_unread_messages_and_opening_one_reads_it(client, story) -> None:
    _clerk, handler, case = story
    client.force_login(handler)
    body = client.get(reverse("cases:workbench")).content.decode()
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
