"""In a real browser: a town leader switches her town to urgent mode, the banner appears on
every staff page, and goes once she ends the mode early."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tiaojie.accounts.roles import Role
from tiaojie.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xq7#mP2v!Lr9"


def test_the_banner_follows_the_mode(page, world) -> None:
    leader = world.user("leader_a", world.center_a, Role.LEADER, password=PASSWORD)
    page.goto(page.base_url + "/modes/")
    sign_in(page, leader, PASSWORD)
    page.wait_for_url("**/modes/")
    assert page.get_by_test_id("mode-banner").count() == 0

    form = page.get_by_test_id("switch-form")
    form.locator("select[name=mode]").select_option("urgent")
    form.locator("select[name=hours]").select_option("12")
    form.locator("textarea[name=reason]").fill("强降雨防汛应急响应")
    form.locator("button[type=submit]").click()
    banner = page.get_by_test_id("mode-banner")
    expect(banner).to_contain_text("强降雨防汛应急响应")
    expect(banner).to_contain_text("下邽镇")
    assert banner.count() == 1

    page.goto(page.base_url + "/workbench/")
    assert page.get_by_test_id("mode-banner").is_visible()
    page.goto(page.base_url + "/public/")
    assert page.get_by_test_id("mode-banner").count() == 0

    page.goto(page.base_url + "/modes/")
    end = page.get_by_test_id("end-form")
    end.locator("input[name=reason]").fill("雨情减弱")
    end.locator("button[type=submit]").click()
    expect(page.get_by_test_id("mode-log")).to_contain_text("雨情减弱")
    expect(page.get_by_test_id("mode-banner")).to_have_count(0)
