"""A window clerk signs in with a real browser and sees the workbench."""

from __future__ import annotations

import pytest

from tiaojie.accounts.roles import Role
from tiaojie.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_window_clerk_signs_in_and_sees_the_workbench(page, world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK, password="Xq7#mP2v!Lr9")
    case = world.case(world.village_a, title="东庆村邻里噪音纠纷")
    page.goto(page.base_url + "/")
    assert "/accounts/login/" in page.url
    sign_in(page, clerk)
    page.wait_for_url("**/workbench/")
    assert page.get_by_role("heading", name="工作台").is_visible()
    menu = page.get_by_test_id("menu")
    assert menu.get_by_role("link", name="事项").is_visible()
    assert not menu.get_by_role("link", name="单位与人员").count()
    # Styles came from our own server (no CDN): the top bar is painted in the brand colour.
    colour = page.locator(".topbar").evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == "rgb(11, 61, 116)"
    page.get_by_role("link", name=case.code).click()
    assert page.get_by_role("heading", name="东庆村邻里噪音纠纷").is_visible()


def test_the_api_documentation_loads_without_a_cdn(page, world) -> None:
    sysadmin = world.user("sysadmin", world.center, Role.SYSADMIN, password="Xq7#mP2v!Lr9")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, sysadmin)
    page.wait_for_url("**/workbench/")
    page.get_by_test_id("menu").get_by_role("link", name="接口文档").click()
    page.wait_for_selector(".swagger-ui .info")
    assert "Tiaojie API" in page.locator(".swagger-ui .info").inner_text()
    assert all(url.startswith(page.base_url) for url in requested), requested
