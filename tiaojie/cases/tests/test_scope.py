"""Who sees which case: a town sees its own area, never another town's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tiaojie.accounts.roles import Role
from tiaojie.cases.selectors import cases_for_user

pytestmark = pytest.mark.django_db


def test_a_town_clerk_sees_own_town_and_not_the_other(client, world) -> None:
    own = world.case(world.grid_a)
    other = world.case(world.village_b)
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    assert list(cases_for_user(clerk)) == [own]
    client.force_login(clerk)
    assert client.get(reverse("cases:detail", args=[own.code])).status_code == 200
    # Out of scope answers 404, exactly like a case that does not exist.
    assert client.get(reverse("cases:detail", args=[other.code])).status_code == 404
    listing = client.get(reverse("cases:list")).content.decode()
    assert own.code in listing and other.code not in listing


def test_the_district_center_sees_every_town(world) -> None:
    a, b = world.case(world.village_a), world.case(world.village_b)
    dispatcher = world.user("dispatcher", world.center, Role.DISPATCHER)
    assert set(cases_for_user(dispatcher)) == {a, b}


def test_a_department_sees_only_what_it_leads_or_received(world) -> None:
    led = world.case(world.village_a, lead_unit=world.hrss)
    world.case(world.village_b)
    handler = world.user("hrss", world.hrss, Role.HANDLER)
    assert list(cases_for_user(handler)) == [led]


def test_admins_read_no_case_contents(client, world) -> None:
    case = world.case(world.village_a)
    for role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR):
        user = world.user(role.value, world.center, role)
        assert not cases_for_user(user).exists()
        client.force_login(user)
        assert client.get(reverse("cases:detail", args=[case.code])).status_code == 404


def test_the_api_uses_the_same_scope(client, world) -> None:
    own = world.case(world.village_a)
    other = world.case(world.village_b)
    client.force_login(world.user("clerk_a", world.center_a, Role.WINDOW_CLERK))
    listed = client.get("/api/v1/cases").json()
    assert [c["code"] for c in listed["items"]] == [own.code]
    missing = client.get(f"/api/v1/cases/{other.code}")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_the_api_refuses_anonymous_callers(client, world) -> None:
    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_the_openapi_schema_is_served_to_signed_in_staff_only(client, world) -> None:
    for path in ("/api/v1/openapi.json", "/api/v1/docs"):
        refused = client.get(path)
        assert refused.status_code == 401 and refused.json()["code"] == "unauthenticated"
    client.force_login(world.user("clerk_a", world.center_a, Role.WINDOW_CLERK))
    assert client.get("/api/v1/docs").status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Tiaojie API"
    assert "/api/v1/cases" in schema["paths"]


def test_the_list_filters_by_tier_and_unit(client, world) -> None:
    led = world.case(world.village_a, lead_unit=world.hrss, tier="district")
    world.case(world.village_a)
    client.force_login(world.user("dispatcher", world.center, Role.DISPATCHER))
    body = client.get(reverse("cases:list"), {"unit": world.hrss.pk}).content.decode()
    assert led.code in body and "共 1 件" in body
    body = client.get(reverse("cases:list"), {"tier": "district"}).content.decode()
    assert led.code in body and "共 1 件" in body


def test_a_huge_list_says_more_than_the_cap_instead_of_counting(client, world, monkeypatch) -> None:
    from tiaojie.cases.views import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "CAP", 2)
    for _ in range(3):
        world.case(world.village_a)
    client.force_login(world.user("dispatcher", world.center, Role.DISPATCHER))
    assert "超过 2 件" in client.get(reverse("cases:list")).content.decode()
