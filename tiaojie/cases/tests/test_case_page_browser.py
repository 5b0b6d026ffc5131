"""In a real browser: a clerk opens a case, accepts it, and sees its history grow."""

from __future__ import annotations

import pytest

from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.conftest import sign_in
from tiaojie.core.enums import CaseKind, Category, Channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xq7#mP2v!Lr9"


def test_a_clerk_accepts_a_case_from_its_page(page, world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK, password=PASSWORD)
    case = services.register_case(
        actor=Actor(clerk),
        kind=CaseKind.DISPUTE,
        category=Category.NEIGHBOURHOOD,
        channel=Channel.WINDOW,
        title="楼上漏水纠纷",
        description="楼上卫生间漏水。",
        region=world.village_a,
        parties=[PartyInput(name="钱一")],
    )
    page.goto(page.base_url + f"/cases/{case.code}/")
    sign_in(page, clerk, PASSWORD)
    page.wait_for_url(f"**/cases/{case.code}/")
    actions = page.get_by_test_id("actions")
    assert actions.locator("[data-action=resolve]").count() == 0
    actions.locator("[data-action=accept]").click()
    page.locator("#act-accept").get_by_label("说明").fill("材料齐全，予以受理。")
    page.locator("#act-accept").get_by_role("button", name="确认受理").click()
    page.wait_for_load_state()
    assert "受理：已完成。" in page.content()
    assert "已受理" in page.get_by_test_id("case-status").inner_text()
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "材料齐全，予以受理。" in timeline and "登记" in timeline
