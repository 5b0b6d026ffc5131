"""A NUL character anywhere in a request is refused at the edge, never a 500 on PostgreSQL.

Found by the schemathesis run (tiaojie/api/tests/test_schemathesis.py): PostgreSQL cannot
compare text with U+0000, so a case code or a search term with one ended in a server error.
"""

from __future__ import annotations

import pytest

from tiaojie.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client, world, registered_case):
    client.force_login(world.users["clerk_a"])  # who registered the case
    return client


def test_an_api_path_or_query_with_nul_answers_422(clerk) -> None:
    for response in (
        clerk.get("/api/v1/cases/2025%00/events"),
        clerk.get("/api/v1/cases", {"q": "a\x00b"}),
        clerk.get("/api/v1/regions/6105%0002"),
    ):
        assert response.status_code == 422
        assert response.json()["code"] == "invalid_input"


def test_an_api_body_with_nul_answers_422(clerk, registered_case) -> None:
    response = clerk.post(
        f"/api/v1/cases/{registered_case.code}/actions/accept",
        {"version": registered_case.version, "note": "x\x00"},
        content_type="application/json",
    )
    assert response.status_code == 422
    registered_case.refresh_from_db()
    assert registered_case.version == 1  # nothing was written


def test_a_page_with_nul_answers_400(clerk) -> None:
    assert clerk.get("/cases/2025%00/").status_code == 400
    assert clerk.get("/cases/", {"q": "\x00"}).status_code == 400


def test_a_user_name_with_nul_at_the_sign_in_answers_400(client, world) -> None:
    world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    # axes looks the name up before the form would refuse it
    response = client.post("/accounts/login/", {"username": "clerk\x00a", "password": "x"})
    assert response.status_code == 400


def test_an_intake_header_with_nul_answers_422(client, world) -> None:
    response = client.post(
        "/api/v1/intake/cases",
        {},
        content_type="application/json",
        headers={"X-Tiaojie-Source": "hotline\x0012345"},
    )
    assert response.status_code == 422


def test_ordinary_input_passes(clerk, registered_case) -> None:
    assert clerk.get("/api/v1/cases", {"q": "宅基地"}).status_code == 200
    assert clerk.get(f"/cases/{registered_case.code}/").status_code == 200
