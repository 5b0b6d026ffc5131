"""The inbox with its unread count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tiaojie.accounts.models import Notification
from tiaojie.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_the_header_counts_unread_messages_and_opening_one_reads_it(
    client, hrss_assignment
) -> None:
    _clerk, handler, case = hrss_assignment
    client.force_login(handler)
    body = client.get(reverse("cases:workbench")).content.decode()
    assert 'data-testid="unread">1<' in body
    note = Notification.objects.get(user=handler)
    response = client.get(reverse("accounts:notification", args=[note.pk]))
    assert response["Location"] == reverse("cases:detail", args=[case.code])
    body = client.get(reverse("accounts:inbox")).content.decode()
    assert "新交办事项" in body and 'data-testid="unread"' not in body


def test_nobody_opens_another_persons_message(client, hrss_assignment, world) -> None:
    _clerk, handler, _case = hrss_assignment
    note = Notification.objects.get(user=handler)
    client.force_login(world.user("nosy", world.hrss, Role.HANDLER))
    assert client.get(reverse("accounts:notification", args=[note.pk])).status_code == 404
