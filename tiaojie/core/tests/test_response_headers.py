"""What every answer tells the browser: keep nothing (ASVS 14.3.2, 剩余信息保护), run no
inline script, frame nothing, sniff nothing (ASVS V3)."""

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


def test_every_page_carries_the_browser_hardening_headers(client, world) -> None:
    client.force_login(world.user("clerk", world.center_a, "window_clerk"))
    response = client.get("/workbench/")
    csp = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert (
        csp["script-src"] == "'self'" and "unsafe-inline" not in response["Content-Security-Policy"]
    )
    assert (csp["object-src"], csp["frame-ancestors"]) == ("'none'", "'none'")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_session_cookie_is_out_of_reach_of_scripts_and_other_sites(client, world) -> None:
    world.user("clerk", world.center_a, "window_clerk")
    response = client.post("/accounts/login/", {"username": "clerk", "password": "Xq7#mP2v!Lr9"})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
