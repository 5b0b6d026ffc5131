"""Five failed sign-ins lock the account for 30 minutes (time frozen); administrators unlock."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.signals import user_locked_out
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tiaojie.accounts.roles import Role
from tiaojie.accounts.services import unlock_user
from tiaojie.accounts.testing import authenticator
from tiaojie.accounts.two_factor import current_code
from tiaojie.core.errors import DomainError

pytestmark = pytest.mark.django_db

PASSWORD = "Xq7#mP2v!Lr9"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _sign_in(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failures_lock_the_account_for_30_minutes(world, freeze) -> None:
    world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    locked: list[str] = []

    def note(sender, username, **kwargs) -> None:
        locked.append(username)

    user_locked_out.connect(note)
    client = Client()
    try:
        with freeze(START) as frozen:
            for _attempt in range(4):
                response = _sign_in(client, "clerk_a", "wrong password")
                assert response.status_code == 200
                assert "用户名或密码错误" in response.content.decode()
            response = _sign_in(client, "clerk_a", "wrong password")
            assert response.status_code == 429
            assert (
                "该账号连续 5 次登录失败，已被锁定。请 30 分钟后再试" in response.content.decode()
            )
            assert locked == ["clerk_a"]
            # While locked, even the right password is refused.
            frozen.tick(dt.timedelta(minutes=29))
            response = _sign_in(client, "clerk_a", PASSWORD)
            assert response.status_code == 429
            assert not _signed_in(client)
            frozen.tick(dt.timedelta(minutes=1, seconds=1))
            response = _sign_in(client, "clerk_a", PASSWORD)
            assert response.status_code == 302
            assert _signed_in(client)
    finally:
        user_locked_out.disconnect(note)


def test_the_lock_is_by_user_name_not_by_address(world) -> None:
    world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    world.user("clerk_b", world.center_b, Role.WINDOW_CLERK)
    client = Client()
    for _attempt in range(5):
        _sign_in(client, "clerk_a", "wrong password")
    # A colleague behind the same address signs in; guessing from another address stays locked.
    assert _sign_in(client, "clerk_b", PASSWORD).status_code == 302
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert _sign_in(other, "clerk_a", PASSWORD).status_code == 429


def test_wrong_codes_count_and_a_right_password_alone_does_not_clear_them(world, freeze) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    device = authenticator(clerk)
    client = Client()
    with freeze(START) as frozen:
        for _attempt in range(4):
            _sign_in(client, "clerk_a", "wrong password")
        assert _sign_in(client, "clerk_a", PASSWORD).status_code == 302
        frozen.tick(dt.timedelta(seconds=5))
        response = client.post(reverse("accounts:two_factor"), {"token": "000000"})
        assert response.status_code == 429  # the fifth failure
        assert not _signed_in(client)  # the half-finished sign-in is over too
        # Both factors right, after the lock: the count starts again.
        frozen.tick(dt.timedelta(minutes=31))
        _sign_in(client, "clerk_a", PASSWORD)
        response = client.post(reverse("accounts:two_factor"), {"token": current_code(device)})
        assert response["Location"] == reverse("cases:workbench")
        client.logout()
        for _attempt in range(4):
            _sign_in(client, "clerk_a", "wrong password")
        assert _sign_in(client, "clerk_a", PASSWORD).status_code == 302


def test_a_security_administrator_unlocks_and_a_clerk_cannot(world) -> None:
    world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    secadmin = world.user("secadmin", world.center, Role.SECADMIN)
    clerk_b = world.user("clerk_b", world.center_b, Role.WINDOW_CLERK)
    client = Client()
    for _attempt in range(5):
        _sign_in(client, "clerk_a", "wrong password")
    with pytest.raises(DomainError):
        unlock_user(username="clerk_a", actor=clerk_b)
    assert _sign_in(client, "clerk_a", PASSWORD).status_code == 429
    assert unlock_user(username="clerk_a", actor=secadmin) >= 1
    assert _sign_in(client, "clerk_a", PASSWORD).status_code == 302


def test_the_unlock_command(world, capsys) -> None:
    world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    client = Client()
    for _attempt in range(5):
        _sign_in(client, "clerk_a", "wrong password")
    call_command("unlock", "clerk_a")
    assert "Unlocked clerk_a" in capsys.readouterr().out
    assert _sign_in(client, "clerk_a", PASSWORD).status_code == 302
    call_command("unlock", "clerk_a")
    assert "was not locked" in capsys.readouterr().out


def test_the_limit_and_the_time_are_settings(world, settings, freeze) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=5)
    world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    client = Client()
    with freeze(START) as frozen:
        _sign_in(client, "clerk_a", "wrong password")
        response = _sign_in(client, "clerk_a", "wrong password")
        assert "连续 2 次登录失败，已被锁定。请 5 分钟后再试" in response.content.decode()
        frozen.tick(dt.timedelta(minutes=5, seconds=1))
        assert _sign_in(client, "clerk_a", PASSWORD).status_code == 302
