"""No page or API answer is kept in the browser's cache (ASVS 14.3.2, 剩余信息保护)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_pages_and_api_answers_with_case_data_are_not_stored(client, world, registered_case):
    client.force_login(world.users["clerk_a"])
    code = registered_case.code
    for url in (
        "/workbench/",
        "/cases/",
        f"/cases/{code}/",
        "/api/v1/cases",
        f"/api/v1/cases/{code}",
        "/api/v1/cases/0000/events",  # a 404 too
    ):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url


def test_a_view_that_chose_its_own_cache_control_keeps_it(client) -> None:
    # The sign-in page is never_cache: Django's full set of headers, not replaced.
    response = client.get("/accounts/login/")
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
