"""The workbench: its shelves, and the shelves other apps register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tiaojie.cases import services, shelves
from tiaojie.cases.selectors import cases_for_user
from tiaojie.cases.services import Actor

pytestmark = pytest.mark.django_db


def _shelves(user):
    return shelves.shelves_for(user, scoped=cases_for_user(user))


def _shelf(user, key):
    return next(s for s in _shelves(user) if s.key == key)


def _keys(user):
    return [s.key for s in _shelves(user)]


def test_a_new_assignment_waits_for_our_check_in(hrss_assignment) -> None:
    _clerk, handler, case = hrss_assignment
    with freeze_time("2025-03-03 10:00:00+08:00"):
        shelf = _shelf(handler, "awaiting_check_in")
    assert shelf.count == 1 and shelf.items == [case]


def test_a_case_past_its_deadline_is_on_the_overdue_shelf(hrss_assignment) -> None:
    _clerk, handler, case = hrss_assignment
    with freeze_time(case.due_at + dt.timedelta(hours=2)):
        assert _shelf(handler, "overdue").items == [case]
    with freeze_time(case.due_at - dt.timedelta(hours=2)):
        assert _shelf(handler, "due_today").items == [case]


def test_a_resolved_case_waits_for_follow_up_by_the_window_not_the_handler(hrss_assignment) -> None:
    clerk, handler, case = hrss_assignment
    case = services.check_in(case, actor=Actor(handler))
    services.resolve(case, actor=Actor(handler), outcome="已结清。")
    assert _shelf(clerk, "awaiting_follow_up").count == 1
    assert _shelf(handler, "awaiting_follow_up").count == 0


def test_the_workbench_shows_the_shelves_in_the_order_they_were_registered(
    client, hrss_assignment
) -> None:
    _clerk, handler, _case = hrss_assignment
    client.force_login(handler)
    body = client.get(reverse("cases:workbench")).content.decode()

    keys = ["due_today", "overdue", "awaiting_check_in", "awaiting_follow_up"]
    places = [body.index(f'data-shelf="{key}"') for key in keys]
    assert places == sorted(places)
    assert "待签收" in body and "今日到期" in body


def test_another_app_adds_its_shelf_without_touching_cases(client, hrss_assignment) -> None:
    _clerk, handler, case = hrss_assignment
    kind = shelves.ShelfKind(
        "later_app", "下一个应用的清单", lambda user, scoped: scoped.order_by("pk")
    )
    shelves.register(kind)
    try:
        client.force_login(handler)
        body = client.get(reverse("cases:workbench")).content.decode()
    finally:
        shelves._kinds.pop(kind.key)

    assert 'data-shelf="later_app"' in body and "下一个应用的清单" in body
    assert body.index('data-shelf="awaiting_follow_up"') < body.index('data-shelf="later_app"')
    assert case.code in body


def test_a_shelf_for_some_users_only_is_left_out_for_the_others(hrss_assignment) -> None:
    clerk, handler, _case = hrss_assignment
    kind = shelves.ShelfKind(
        "handlers_only",
        "只给经办人",
        lambda user, scoped: scoped,
        shown_to=lambda user: user.pk == handler.pk,
    )
    shelves.register(kind)
    try:
        assert "handlers_only" in _keys(handler)
        assert "handlers_only" not in _keys(clerk)
    finally:
        shelves._kinds.pop(kind.key)
