"""In a real browser: a new staff member signs in, sets up the authenticator, keeps the codes."""

from __future__ import annotations

import base64

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiaojie.accounts.roles import Role
from tiaojie.accounts.two_factor import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xq7#mP2v!Lr9"


def test_first_sign_in_with_an_authenticator_app(page, world) -> None:
    world.user("newcomer", world.center_a, Role.WINDOW_CLERK, password=PASSWORD)
    page.goto(page.base_url + "/cases/")
    page.get_by_label("用户名").fill("newcomer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/code/setup/**")
    qr = page.get_by_test_id("qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    # What the person types into the app: the secret shown on the page.
    secret = page.get_by_test_id("secret").inner_text().replace(" ", "")
    app = TOTPDevice(key=base64.b32decode(secret).hex())
    page.get_by_label("应用中的验证码").fill(current_code(app))
    page.get_by_role("button", name="确认").click()
    page.wait_for_url("**/accounts/code/backup/**")
    codes = page.get_by_test_id("backup-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="我已抄下").click()
    page.wait_for_url("**/cases/")
    assert page.get_by_role("heading", name="事项").first.is_visible()
    # Next time: password, then a code.
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("用户名").fill("newcomer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/code/**")
    page.get_by_label("六位验证码或备用码").fill(codes[0])
    page.get_by_role("button", name="验证").click()
    page.wait_for_url("**/workbench/")
    assert "您已使用备用码登录，还剩 9 个" in page.content()
