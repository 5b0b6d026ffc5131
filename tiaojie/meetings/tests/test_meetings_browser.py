"""In a real browser: a town dispatcher reviews a case on its page, then opens the month's
meeting, records a decision and closes the meeting."""

from __future__ import annotations

import datetime as dt

import pytest

from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.conftest import sign_in
from tiaojie.core.enums import CaseKind, Category, Channel
from tiaojie.meetings.models import MeetingStatus, Review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xq7#mP2v!Lr9"


def test_a_dispatcher_reviews_a_case_and_holds_the_meeting(page, world) -> None:
    dispatcher = world.user("dispatcher_a", world.center_a, Role.DISPATCHER, password=PASSWORD)
    case = services.register_case(
        actor=Actor(dispatcher),
        kind=CaseKind.DISPUTE,
        category=Category.NEIGHBOURHOOD,
        channel=Channel.WINDOW,
        title="楼上漏水纠纷",
        description="楼上卫生间漏水。",
        region=world.village_a,
        parties=[PartyInput(name="钱一")],
        risk_level="red",
    )
    page.goto(page.base_url + f"/cases/{case.code}/")
    sign_in(page, dispatcher, PASSWORD)
    page.wait_for_url(f"**/cases/{case.code}/")
    form = page.get_by_test_id("review-form")
    form.get_by_label("决定", exact=True).select_option("keep")
    form.get_by_label("研判结论").fill("镇级可以化解。")
    with page.expect_navigation():
        form.get_by_role("button", name="记录研判").click()
    assert "研判已记录。" in page.content()
    assert "镇级可以化解。" in page.get_by_test_id("reviews").inner_text()
    assert Review.objects.get().decision == "keep"

    page.goto(page.base_url + "/meetings/")
    page.get_by_label("月份").fill(dt.date.today().strftime("%Y-%m"))
    with page.expect_navigation():
        page.get_by_role("button", name="召开会议").click()
    assert case.code in page.get_by_test_id("items-red_orange").inner_text()
    decision = page.get_by_test_id("decision-form")
    decision.get_by_label("决定", exact=True).fill("司法所跟进调解。")
    decision.get_by_label("责任单位", exact=True).select_option(label=world.center_a.name)
    with page.expect_navigation():
        decision.get_by_role("button", name="记录决定").click()
    assert "司法所跟进调解。" in page.get_by_test_id("tasks").inner_text()
    page.get_by_test_id("minutes-form").get_by_label("会议纪要", exact=True).fill(
        "研判红色事项一件。"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="保存纪要").click()
    page.get_by_role("button", name="结束会议").click()
    page.wait_for_load_state()
    assert "研判红色事项一件。" in page.get_by_test_id("minutes-text").inner_text()
    assert world.center_a.meetings.get().status == MeetingStatus.CLOSED
