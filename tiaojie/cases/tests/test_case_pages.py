"""The case page: the timeline, and exactly the actions the table allows, taken by form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.models import Case
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.cases.workflow import Status
from tiaojie.core.enums import CaseKind, Category, Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(world) -> Case:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK, Role.DISPATCHER)
    return services.register_case(
        actor=Actor(clerk),
        kind=CaseKind.DISPUTE,
        category=Category.NEIGHBOURHOOD,
        channel=Channel.WINDOW,
        title="邻居装修噪音扰民",
        description="楼上装修每天早七点开始施工，噪音很大。",
        region=world.village_a,
        parties=[PartyInput(name="孙七", id_number="11010519491231002X", phone="13812341234")],
    )


def _act(client, case: Case, action: str, **data):
    payload = {f"{action}-version": data.pop("version", case.version)}
    payload.update({f"{action}-{k}": v for k, v in data.items()})
    return client.post(reverse("cases:act", args=[case.code, action]), payload, follow=True)


def test_the_page_shows_history_and_only_allowed_actions(client, world, registered) -> None:
    client.force_login(world.users["clerk_a"])
    body = client.get(reverse("cases:detail", args=[registered.code])).content.decode()
    assert "登记" in body  # the register event in the timeline
    assert 'data-action="accept"' in body and 'data-action="decline"' in body
    assert 'data-action="resolve"' not in body
    # Personal data stays masked on the page.
    assert "13812341234" not in body and "138****1234" in body


def test_accepting_by_form_moves_the_case(client, world, registered) -> None:
    client.force_login(world.users["clerk_a"])
    response = _act(client, registered, "accept", note="")
    assert response.status_code == 200
    registered.refresh_from_db()
    assert registered.status == Status.ACCEPTED
    assert "受理：已完成" in response.content.decode()


def test_a_stale_page_gets_the_conflict_message_and_the_new_state(
    client, world, registered
) -> None:
    client.force_login(world.users["clerk_a"])
    shown = registered.version
    _act(client, registered, "accept", note="")
    response = _act(client, registered, "withdraw", version=shown, reason="撤回")
    body = response.content.decode()
    assert "该事项已被他人先行处理" in body
    registered.refresh_from_db()
    assert registered.status == Status.ACCEPTED


def test_missing_input_is_refused_in_chinese_and_nothing_is_written(
    client, world, registered
) -> None:
    client.force_login(world.users["clerk_a"])
    response = _act(client, registered, "decline", route="", reason="")
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode()
    registered.refresh_from_db()
    assert registered.status == Status.REGISTERED and registered.event_count == 1


def test_another_town_gets_404_for_the_page_and_the_action(client, world, registered) -> None:
    client.force_login(world.user("clerk_b", world.center_b, Role.WINDOW_CLERK))
    assert client.get(reverse("cases:detail", args=[registered.code])).status_code == 404
    assert _act(client, registered, "accept", note="").status_code == 404
    registered.refresh_from_db()
    assert registered.status == Status.REGISTERED


def test_the_agreement_prints_from_the_resolve_step(client, world, registered) -> None:
    clerk = Actor(world.users["clerk_a"])
    case = services.accept(registered, actor=clerk)
    case = services.assign(case, actor=clerk, lead=world.center_a)
    case = services.check_in(case, actor=clerk)
    case = services.resolve(
        case, actor=clerk, outcome="达成协议", agreement="一、楼上每日九点后施工。"
    )
    client.force_login(world.users["clerk_a"])
    page = client.get(reverse("cases:agreement", args=[case.code])).content.decode()
    assert "人民调解协议书" in page and "一、楼上每日九点后施工。" in page
    assert "11010519491231002X" not in page


def test_the_list_searches_two_character_words_within_the_area(client, world, registered) -> None:
    clerk = Actor(world.users["clerk_a"])
    other = services.register_case(
        actor=Actor(world.user("clerk_b", world.center_b, Role.WINDOW_CLERK)),
        kind=CaseKind.DISPUTE,
        category=Category.NEIGHBOURHOOD,
        channel=Channel.WINDOW,
        title="桥南村噪音纠纷",
        description="夜间施工噪音。",
        region=world.village_b,
        parties=[PartyInput(name="李一")],
    )
    services.accept(registered, actor=clerk)
    services.record_session(
        services.check_in(
            services.assign(registered, actor=clerk, lead=world.center_a), actor=clerk
        ),
        actor=clerk,
        summary="双方同意错峰施工，减少扰民。",
    )
    client.force_login(world.users["clerk_a"])
    body = client.get(reverse("cases:list"), {"q": "噪音"}).content.decode()
    assert registered.code in body and other.code not in body
    # Notes from the history are searchable too, and so is the case code itself.
    assert registered.code in client.get(reverse("cases:list"), {"q": "错峰"}).content.decode()
    assert "共 1 件" in client.get(reverse("cases:list"), {"q": registered.code}).content.decode()
    assert "共 0 件" in client.get(reverse("cases:list"), {"q": "宅基地"}).content.decode()


def test_the_panels_other_apps_register_show_at_their_places(client, world, registered) -> None:
    """cases/panels.py: meetings' reviews before the attachments, whistles before the history."""
    services.accept(registered, actor=Actor(world.users["clerk_a"]))
    client.force_login(world.users["clerk_a"])
    body = client.get(reverse("cases:detail", args=[registered.code])).content.decode()
    places = [
        body.index(f'data-testid="{testid}"')
        for testid in ("reviews", "attachments", "whistles", "timeline")
    ]
    assert places == sorted(places)
