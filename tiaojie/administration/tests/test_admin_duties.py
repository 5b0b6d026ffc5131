"""三员分立: the system administrator keeps accounts, the security administrator gives roles,
nobody else reaches these screens, and no administrator can touch another's account."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern, get_resolver, reverse

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import ADMIN_ROLES, Role
from tiaojie.administration import services
from tiaojie.administration.services import NotPermitted, Profile
from tiaojie.core.errors import DomainError

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


@pytest.fixture
def staff(world):
    world.user("sysadmin", world.center, Role.SYSADMIN)
    world.user("secadmin", world.center, Role.SECADMIN)
    world.user("auditor", world.center, Role.AUDITOR)
    person = world.user("clerk", world.center_a, Role.WINDOW_CLERK)
    person.phone = PHONE
    person.save()
    return world.users


def _admin_urls(pk: int) -> list[tuple[str, str]]:
    """Every administration URL (from the URL configuration), with the method it takes."""
    resolver = get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        if str(pattern.pattern) != "manage/":
            continue
        for sub in pattern.url_patterns:
            assert isinstance(sub, URLPattern)
            kwargs: dict[str, Any] = {"pk": pk} if "<int:pk>" in str(sub.pattern) else {}
            if "<uuid:work_id>" in str(sub.pattern):
                kwargs["work_id"] = "00000000-0000-0000-0000-000000000000"
            url = reverse(f"administration:{sub.name}", kwargs=kwargs)
            found.append(("POST" if re.search(r"active|password|retry", url) else "GET", url))
    assert len(found) >= 6
    return found


@pytest.mark.parametrize("role", [r for r in Role if r not in {Role.SYSADMIN, Role.SECADMIN}])
def test_nobody_else_reaches_the_screens(client, world, staff, role: str) -> None:
    someone = world.user(f"someone_{role}", world.center, role)
    client.force_login(someone)
    for method, url in _admin_urls(staff["clerk"].pk):
        response = client.post(url) if method == "POST" else client.get(url)
        assert response.status_code == 404, (role, url)
    assert b"/manage/" not in client.get(reverse("cases:workbench")).content


def test_the_system_administrator_keeps_accounts_but_gives_no_roles(client, staff) -> None:
    client.force_login(staff["sysadmin"])
    listing = client.get(reverse("administration:accounts"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "139****5678" in body and PHONE not in body  # masked, never decrypted in full
    clerk = staff["clerk"]
    assert client.get(reverse("administration:account", args=[clerk.pk])).status_code == 200
    assert client.get(reverse("administration:roles", args=[clerk.pk])).status_code == 404


def test_the_security_administrator_gives_roles_but_keeps_no_accounts(client, staff) -> None:
    client.force_login(staff["secadmin"])
    clerk = staff["clerk"]
    assert client.get(reverse("administration:accounts")).status_code == 200
    assert client.get(reverse("administration:account", args=[clerk.pk])).status_code == 404
    assert client.get(reverse("administration:new_account")).status_code == 404
    response = client.post(
        reverse("administration:roles", args=[clerk.pk]),
        {"roles": [Role.WINDOW_CLERK, Role.MEDIATOR]},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=clerk.pk).role_codes == {Role.WINDOW_CLERK, Role.MEDIATOR}


def test_a_new_account_gets_a_one_time_password_that_signs_in(client, world, staff) -> None:
    client.force_login(staff["sysadmin"])
    response = client.post(
        reverse("administration:new_account"),
        {"username": "newcomer", "real_name": "新同事", "unit": world.center_b.pk, "phone": ""},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    password = re.search(rb'data-testid="temporary-password">([^<]+)<', response.content).group(1)
    user = User.objects.get(username="newcomer")
    assert user.unit == world.center_b and not user.role_codes
    assert user.check_password(password.decode())


def test_bad_input_gets_a_message_and_writes_nothing(client, world, staff) -> None:
    client.force_login(staff["sysadmin"])
    for data in (
        {"username": "clerk", "real_name": "重名"},  # taken
        {"username": "x", "real_name": "电话错", "phone": "12345"},
        {"username": "y", "real_name": " "},
    ):
        response = client.post(reverse("administration:new_account"), data)
        assert response.status_code == 200
        assert b"invalid-feedback" in response.content or b"alert-danger" in response.content
    assert not User.objects.filter(username__in=["x", "y"]).exists()


def test_no_administrator_touches_an_administrator_account(staff) -> None:
    sysadmin, secadmin, auditor = staff["sysadmin"], staff["secadmin"], staff["auditor"]
    for target in (secadmin, auditor):
        with pytest.raises(NotPermitted):
            services.set_active(actor=sysadmin, user=target, active=False)
        with pytest.raises(NotPermitted):
            services.reset_password(actor=sysadmin, user=target)
        with pytest.raises(NotPermitted):
            services.set_roles(actor=secadmin, user=target, roles=set())
    with pytest.raises(NotPermitted):
        services.set_roles(actor=secadmin, user=secadmin, roles={Role.WINDOW_CLERK})
    for admin_role in ADMIN_ROLES:
        with pytest.raises(NotPermitted):
            services.set_roles(actor=secadmin, user=staff["clerk"], roles={admin_role})
    assert User.objects.get(pk=auditor.pk).is_active


def test_roles_follow_the_rules(world, staff) -> None:
    secadmin, clerk = staff["secadmin"], staff["clerk"]
    with pytest.raises(NotPermitted):
        services.set_roles(actor=staff["sysadmin"], user=clerk, roles={Role.MEDIATOR})
    with pytest.raises(DomainError):
        services.set_roles(actor=secadmin, user=clerk, roles={"chief"})
    homeless = world.user("homeless", None)
    with pytest.raises(DomainError) as excinfo:
        services.set_roles(actor=secadmin, user=homeless, roles={Role.MEDIATOR})
    assert excinfo.value.code == "no_unit"
    assert services.set_roles(actor=secadmin, user=clerk, roles=set()).role_codes == frozenset()


def test_switching_off_and_resetting(client, staff) -> None:
    client.force_login(staff["sysadmin"])
    clerk = staff["clerk"]
    client.post(reverse("administration:switch_account", args=[clerk.pk]), {"active": "0"})
    assert not User.objects.get(pk=clerk.pk).is_active
    client.post(reverse("administration:switch_account", args=[clerk.pk]), {"active": "1"})
    assert User.objects.get(pk=clerk.pk).is_active
    response = client.post(reverse("administration:reset_password", args=[clerk.pk]))
    assert response["Cache-Control"] == "private, no-store"
    password = re.search(rb'temporary-password">([^<]+)<', response.content).group(1)
    assert User.objects.get(pk=clerk.pk).check_password(password.decode())
    with pytest.raises(NotPermitted):
        services.set_active(actor=staff["sysadmin"], user=staff["sysadmin"], active=False)


def test_update_keeps_the_phone_unless_a_new_one_is_given(world, staff) -> None:
    clerk = staff["clerk"]
    services.update_user(
        actor=staff["sysadmin"],
        user=clerk,
        profile=Profile(real_name="改名", unit=world.center_b, title="科员"),
    )
    clerk = User.objects.get(pk=clerk.pk)
    assert (clerk.real_name, clerk.unit, clerk.phone) == ("改名", world.center_b, PHONE)


def test_administrator_accounts_are_set_up_on_the_server(world) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("admin-account", "aud1", Role.AUDITOR, stdout=out)
    password = re.search(r"temporary password: (\S+)", out.getvalue()).group(1)
    auditor = User.objects.get(username="aud1")
    assert auditor.role_codes == {Role.AUDITOR} and auditor.check_password(password)
    clerk = world.user("clerk_x", world.center_a, Role.WINDOW_CLERK)
    with pytest.raises(CommandError):
        call_command("admin-account", clerk.username, Role.SYSADMIN, stdout=StringIO())
    call_command("admin-account", "aud1", Role.AUDITOR, "--off", stdout=StringIO())
    assert not User.objects.get(username="aud1").is_active
