"""In a real browser: a clerk sees a party in full with a reason; the auditor finds it logged."""

from __future__ import annotations

import pytest

from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.conftest import sign_in
from tiaojie.core.enums import CaseKind, Category, Channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xq7#mP2v!Lr9"
PHONE = "13812345678"


def test_a_full_view_is_asked_for_shown_once_and_found_by_the_auditor(page, world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK, password=PASSWORD)
    auditor = world.user("auditor", world.center, Role.AUDITOR, password=PASSWORD)
    case = services.register_case(
        actor=Actor(clerk),
        kind=CaseKind.DISPUTE,
        category=Category.NEIGHBOURHOOD,
        channel=Channel.WINDOW,
        title="院墙纠纷",
        description="两户因院墙位置争执。",
        region=world.village_a,
        parties=[PartyInput(name="赵六", phone=PHONE)],
    )
    page.goto(page.base_url + f"/cases/{case.code}/")
    sign_in(page, clerk, PASSWORD)
    page.wait_for_url(f"**/cases/{case.code}/")
    parties = page.get_by_test_id("parties")
    assert "138****5678" in parties.inner_text()
    parties.get_by_test_id("show-full").click()
    parties.get_by_label("查看完整信息的事由").fill("电话回访")
    parties.get_by_role("button", name="查看", exact=True).click()
    page.wait_for_load_state()
    assert PHONE in page.get_by_test_id("revealed").inner_text()

    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/**")
    page.goto(page.base_url + "/audit/")
    sign_in(page, auditor, PASSWORD)
    page.wait_for_url("**/audit/")
    page.get_by_label("类型").select_option("full_view")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    rows = page.get_by_test_id("audit-entries").inner_text()
    assert "查看个人信息明文" in rows and "电话回访" in rows and case.code in rows
    assert PHONE not in page.content()
