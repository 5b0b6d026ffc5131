"""Signing in and out, and the menu each role sees."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tiaojie.accounts.menu import MENU
from tiaojie.accounts.roles import Role, roles_conflict
from tiaojie.accounts.testing import authenticator
from tiaojie.accounts.two_factor import current_code

pytestmark = pytest.mark.django_db

PASSWORD = "Xq7#mP2v!Lr9"

# What each role finds in its left menu (the menu lists only pages that exist).
_CASEWORK = {"workbench", "cases", "regions"}
# Dispatchers and town staff run a center's desk; leaders and inspectors oversee it.
_OVERSIGHT = _CASEWORK | {"units", "routing", "modes", "meetings", "meeting_tasks", "whistles"}
_DESK = _OVERSIGHT | {"window", "ledger"}
EXPECTED_MENU = {
    Role.WINDOW_CLERK: _CASEWORK | {"window", "ledger", "meeting_tasks"},
    Role.DISPATCHER: _DESK,
    Role.MEDIATOR: _CASEWORK | {"meeting_tasks", "whistles"},
    Role.HANDLER: _CASEWORK | {"meeting_tasks", "whistles"},
    Role.TOWN_STAFF: _DESK,
    Role.GRID_WORKER: _CASEWORK | {"grid_report", "whistles"},
    Role.LEADER: _OVERSIGHT,
    Role.INSPECTOR: _OVERSIGHT,
    Role.SYSADMIN: {"workbench", "regions", "units", "staff_accounts", "work", "api"},
    Role.SECADMIN: {"workbench", "units", "staff_accounts"},
    Role.AUDITOR: {"workbench", "audit"},
}


def test_every_role_has_an_expected_menu() -> None:
    assert set(EXPECTED_MENU) == set(Role)


def test_the_login_page_is_chinese_by_default(client) -> None:
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "登录" in body
    assert 'lang="zh-hans"' in body


def test_english_works_when_chosen(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in" in body
    assert "登录" not in body


def test_a_clerk_signs_in_with_a_code_and_lands_on_the_workbench(client, world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    device = authenticator(clerk)
    response = client.post(
        reverse("accounts:login"), {"username": "clerk_a", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor"))
    response = client.post(
        response.redirect_chain[-1][0], {"token": current_code(device)}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("cases:workbench")
    body = response.content.decode()
    assert "工作台" in body
    assert "窗口受理员" in body


def test_a_wrong_password_gets_a_clear_message(client, world) -> None:
    world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    response = client.post(reverse("accounts:login"), {"username": "clerk_a", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_pages_need_a_signed_in_user(client, world) -> None:
    for name in ("cases:workbench", "cases:list", "regions:tree", "accounts:units"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_signing_out_ends_the_session(client, world) -> None:
    user = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    client.force_login(user)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("cases:workbench")).status_code == 302


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_menu_and_can_open_every_item(client, world, role: Role) -> None:
    user = world.user(f"u_{role.value}", world.center_a, role)
    client.force_login(user)
    response = client.get(reverse("cases:workbench"))
    assert response.status_code == 200
    shown = {item.key for item in MENU if f'data-menu="{item.key}"' in response.content.decode()}
    assert shown == EXPECTED_MENU[role]
    for item in MENU:
        status = client.get(reverse(item.url_name)).status_code
        if item.key in shown:
            assert status == 200, (role, item.key, status)


def test_a_page_off_the_menu_is_refused(client, world) -> None:
    client.force_login(world.user("auditor", world.center, Role.AUDITOR))
    assert client.get(reverse("accounts:units")).status_code == 403


def test_admin_duties_stay_separated() -> None:
    assert roles_conflict({Role.SYSADMIN, Role.AUDITOR}) == "separated_admin_duties"
    assert roles_conflict({Role.SECADMIN, Role.DISPATCHER}) == "admin_with_casework"
    assert roles_conflict({Role.DISPATCHER, Role.MEDIATOR}) is None
