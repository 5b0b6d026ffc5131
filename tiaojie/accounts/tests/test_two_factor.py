"""Every staff member passes a TOTP code after the password; codes and backup codes work once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiaojie.accounts import signals
from tiaojie.accounts.roles import Role
from tiaojie.accounts.services import reset_two_factor
from tiaojie.accounts.testing import authenticator
from tiaojie.accounts.two_factor import TwoFactorAction, backup_codes_left, current_code
from tiaojie.api.api import StaffSession

pytestmark = pytest.mark.django_db

PASSWORD = "Xq7#mP2v!Lr9"
START = dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC)
CODE_STEP = reverse("accounts:two_factor")


def _password(client: Client, username: str) -> None:
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def _code(client: Client, token: str):
    return client.post(CODE_STEP, {"token": token})


def test_a_password_alone_opens_nothing_but_the_code_step(world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    authenticator(clerk)
    client = Client()
    _password(client, "clerk_a")
    for url in ("/workbench/", "/cases/", "/regions/", reverse("accounts:password_change")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(CODE_STEP)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "second_factor_required"
    assert client.get(CODE_STEP).status_code == 200


def test_the_api_refuses_a_password_only_session_even_without_the_middleware(world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    request = RequestFactory().get("/api/v1/me")
    request.user = clerk  # signed in, but no device verified this session
    assert StaffSession().authenticate(request, "key") is None
    request.user.is_verified = lambda: True
    assert StaffSession().authenticate(request, "key") == clerk


def test_a_code_works_once(world, freeze) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    device = authenticator(clerk)
    client = Client()
    with freeze(START) as frozen:
        _password(client, "clerk_a")
        code = current_code(device)
        assert _code(client, code)["Location"] == "/workbench/"
        assert client.get("/workbench/").status_code == 200
        client.logout()
        # The same code, seconds later, from someone who watched it typed: refused.
        frozen.tick(dt.timedelta(seconds=10))
        _password(client, "clerk_a")
        response = _code(client, code)
        assert response.status_code == 200
        assert "验证码错误或已使用过" in response.content.decode()
        # The next time step's code works (after django-otp's one-second slow-down).
        frozen.tick(dt.timedelta(seconds=30))
        assert _code(client, current_code(device))["Location"] == "/workbench/"


def test_two_requests_with_one_code_cannot_both_pass(world, freeze) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    device = authenticator(clerk)
    first, second = Client(), Client()
    with freeze(START):
        _password(first, "clerk_a")
        _password(second, "clerk_a")
        code = current_code(device)
        assert _code(first, code).status_code == 302
        assert _code(second, code).status_code == 200
    device.refresh_from_db()
    assert device.last_t == int(START.timestamp()) // 30


def test_first_sign_in_enrols_an_authenticator_and_shows_backup_codes_once(world, freeze) -> None:
    world.user("newcomer", world.center_a, Role.WINDOW_CLERK)
    heard: list[dict] = []

    def note(sender, **kwargs) -> None:
        heard.append(kwargs)

    client = Client()
    _password(client, "newcomer")
    response = client.get("/workbench/", follow=True)
    setup_url = reverse("accounts:two_factor_setup")
    assert response.redirect_chain[-1][0].startswith(setup_url)
    page = response.content.decode()
    secret = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', page).group(1)
    qr = client.get(reverse("accounts:two_factor_qr"))
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content
    assert 'src="/accounts/code/setup/qr.svg"' in page
    device = TOTPDevice.objects.get(user__username="newcomer")
    assert not device.confirmed
    assert "".join(secret.split()) in device.config_url
    signals.two_factor_changed.connect(note)
    try:
        with freeze(dt.datetime.now(dt.UTC)) as frozen:  # the session lives on after it
            wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"
            assert client.post(setup_url, {"token": wrong}).status_code == 200  # try again
            frozen.tick(dt.timedelta(seconds=2))  # django-otp slows guessing down
            response = client.post(
                setup_url + "?next=/cases/", {"token": current_code(device), "next": "/cases/"}
            )
    finally:
        signals.two_factor_changed.disconnect(note)
    assert response["Location"] == reverse("accounts:backup_codes") + "?next=%2Fcases%2F"
    shown = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown)
    assert len(codes) == 10
    assert 'href="/cases/"' in shown
    again = client.get(reverse("accounts:backup_codes")).content.decode()
    assert not set(codes) & set(re.findall(r"[a-z2-7]{8}", again))  # shown once only
    assert "您还有 10 个未使用的备用码" in again
    assert client.get("/cases/").status_code == 200
    assert [(h["user"].username, h["action"], h["actor"].username) for h in heard] == [
        ("newcomer", TwoFactorAction.ENROLLED, "newcomer")
    ]
    assert client.get(reverse("accounts:two_factor_qr")).status_code == 404  # enrolled now


def test_a_backup_code_works_once(world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    authenticator(clerk)
    client = Client()
    _password(client, "clerk_a")
    assert _code(client, current_code(authenticator(clerk))).status_code == 302
    client.post(reverse("accounts:backup_codes"))
    codes = re.findall(
        r"<li><code>([a-z2-7]{8})</code></li>",
        client.get(reverse("accounts:backup_codes")).content.decode(),
    )
    client.logout()
    _password(client, "clerk_a")
    response = client.post(CODE_STEP, {"token": codes[0].upper()}, follow=True)
    assert response.redirect_chain[-1][0] == "/workbench/"
    assert "您已使用备用码登录，还剩 9 个" in response.content.decode()
    client.logout()
    _password(client, "clerk_a")
    assert _code(client, codes[0]).status_code == 200
    assert backup_codes_left(clerk) == 9


def test_renewing_backup_codes_voids_the_old_ones(world, freeze) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    client = Client()
    _password(client, "clerk_a")
    _code(client, current_code(authenticator(clerk)))
    pattern = r"<li><code>([a-z2-7]{8})</code></li>"
    client.post(reverse("accounts:backup_codes"))
    old = re.findall(pattern, client.get(reverse("accounts:backup_codes")).content.decode())
    client.post(reverse("accounts:backup_codes"))
    new = re.findall(pattern, client.get(reverse("accounts:backup_codes")).content.decode())
    assert len(new) == 10
    assert not set(old) & set(new)
    client.logout()
    _password(client, "clerk_a")
    with freeze(dt.datetime.now(dt.UTC)) as frozen:
        assert _code(client, old[0]).status_code == 200
        frozen.tick(dt.timedelta(seconds=2))
        assert _code(client, new[0]).status_code == 302


def test_a_security_administrator_resets_a_lost_authenticator(world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    secadmin = world.user("secadmin", world.center, Role.SECADMIN)
    authenticator(clerk)
    reset_two_factor(user=clerk, actor=secadmin)
    client = Client()
    _password(client, "clerk_a")
    response = client.get("/workbench/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_setup"))


def test_the_totp_command_prints_the_code_in_development_only(world, settings, capsys) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    device = authenticator(clerk)
    call_command("totp", "clerk_a")
    assert capsys.readouterr().out.strip() == current_code(device)
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="not production"):
        call_command("totp", "clerk_a")


def test_two_factor_can_be_off_in_development(client, world, settings) -> None:
    settings.TIAOJIE_2FA_REQUIRED = False
    world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    plain = Client()
    _password(plain, "clerk_a")
    assert plain.get("/workbench/").status_code == 200
