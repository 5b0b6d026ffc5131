"""In a real browser: the district dispatcher changes a rule, previews it on past cases, saves."""

from __future__ import annotations

import datetime as dt

import pytest

from tiaojie.accounts.roles import Role
from tiaojie.conftest import sign_in
from tiaojie.core import clock
from tiaojie.routing.defaults import default_rules
from tiaojie.routing.models import CatalogueVersion, DispatchRule, DispatchRuleRevision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xq7#mP2v!Lr9"


def test_edit_preview_save(page, world) -> None:
    # A transactional test starts from an emptied database: the default catalogue again.
    if not DispatchRule.objects.exists():
        DispatchRule.objects.bulk_create(DispatchRule(**rule) for rule in default_rules())
    CatalogueVersion.objects.get_or_create(pk=1)
    labour = DispatchRule.objects.get(kind="dispute", category="labour", region=None)
    case = world.case(
        world.village_a, category="labour", received_at=clock.now() - dt.timedelta(days=5)
    )
    dispatcher = world.user("center_dispatcher", world.center, Role.DISPATCHER, password=PASSWORD)

    page.goto(page.base_url + "/routing/")
    sign_in(page, dispatcher, PASSWORD)
    page.wait_for_url("**/routing/")
    page.get_by_test_id(f"edit-{labour.pk}").click()
    page.get_by_label("办理层级").select_option("town")
    page.get_by_label("牵头单位类型").select_option("town_center")
    page.get_by_test_id("preview").click()

    page.get_by_test_id("differences").wait_for()
    assert page.get_by_test_id("difference-count").inner_text() == "1"
    row = page.locator(f'tr[data-case="{case.code}"]')
    assert "区 · 人力资源和社会保障局" in row.inner_text()  # now
    assert "镇街 · 镇街综治中心" in row.inner_text()  # after the change

    page.get_by_label("修改原因").fill("劳动争议先由镇街调解")
    page.get_by_test_id("save").click()
    page.wait_for_url(f"**/routing/rules/{labour.pk}/")
    assert "派单规则已保存" in page.content()
    assert "劳动争议先由镇街调解" in page.get_by_test_id("revision").first.inner_text()
    labour.refresh_from_db()
    assert (labour.tier, labour.lead_kind) == ("town", "town_center")
    newest = DispatchRuleRevision.objects.filter(rule_id_ref=labour.pk).latest("changed_at", "pk")
    assert (newest.reason, newest.changed_by) == ("劳动争议先由镇街调解", dispatcher)
