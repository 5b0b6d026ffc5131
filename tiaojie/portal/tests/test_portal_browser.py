"""In a real browser on a phone's screen: a citizen sends a matter, then looks it up."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches

from tiaojie.cases.models import Case
from tiaojie.core.enums import Channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_SIZE = {"width": 390, "height": 844}


def test_a_citizen_submits_on_a_phone_and_then_checks_the_progress(page, world) -> None:
    caches["ratelimit"].clear()
    page.set_viewport_size(PHONE_SIZE)
    page.goto(page.base_url + "/public/")
    page.get_by_test_id("portal-submit").click()
    page.wait_for_url("**/public/submit/")

    page.get_by_label("您的姓名").fill("赵小芳")
    page.get_by_label("手机号码").fill("139 1234 5678")
    page.get_by_label("什么事情？").select_option(label="邻里矛盾（噪音、院墙、排水、通行等）")
    page.get_by_label("发生了什么？").fill("楼上住户每天深夜噪音很大，沟通多次没有改善。")
    # Choosing the town leaves only its villages to choose from.
    page.get_by_label("镇（街道）").select_option(label="下邽镇")
    village = page.get_by_label("村（社区）")
    assert village.locator("optgroup[label='桥南镇']").get_attribute("disabled") is not None
    village.select_option(label="东庆村")
    page.get_by_label("我已阅读上述告知").check()
    # Nothing sticks out of a phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SIZE["width"]
    page.get_by_role("button", name="提交").click()

    case_code = page.get_by_test_id("case-code").inner_text().strip()
    query_code = page.get_by_test_id("query-code").inner_text().strip()
    assert re.fullmatch(r"\d{10}", case_code)
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", query_code)
    case = Case.objects.get(code=case_code)
    assert case.channel == Channel.ONLINE and case.region == world.village_a

    page.get_by_role("link", name="查询进度").first.click()
    page.wait_for_url("**/public/track/")
    page.get_by_label("事项编号").fill(case_code)
    page.get_by_label("查询码").fill(query_code)
    page.get_by_role("button", name="查询").click()

    progress = page.get_by_test_id("progress")
    progress.wait_for()
    assert case_code in progress.inner_text()
    assert page.get_by_test_id("status").inner_text() == "已收到，等待受理"
    assert page.get_by_test_id("applicant").inner_text() == "赵**"
    assert "下邽镇综治中心" in page.get_by_test_id("unit").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SIZE["width"]
