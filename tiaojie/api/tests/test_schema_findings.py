"""What the schemathesis run (test_schemathesis.py) found, pinned down one by one."""

from __future__ import annotations

import pytest

from tiaojie.accounts.roles import Role
from tiaojie.accounts.testing import StaffClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatcher(client, world):
    client.force_login(world.user("dispatcher", world.center, Role.DISPATCHER))
    return client


@pytest.mark.parametrize(
    "query",
    [
        {"offset": "146655232418930458624"},  # overflowed the database's integer: a 500
        {"offset": "-1"},
        {"limit": "4000"},
        {"limit": "0"},
    ],
)
def test_the_case_list_refuses_pages_out_of_bounds(dispatcher, query) -> None:
    response = dispatcher.get("/api/v1/cases", query)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_the_case_list_pages_within_bounds(dispatcher, world) -> None:
    for _ in range(3):
        world.case(world.village_a)
    body = dispatcher.get("/api/v1/cases", {"limit": 2, "offset": 1}).json()
    assert body["count"] == 3 and len(body["items"]) == 2


@pytest.mark.parametrize("value", ["0.0", "1700000000", "2025-1-5", "5/1/2025"])
def test_a_date_in_the_case_list_query_is_yyyy_mm_dd_only(dispatcher, value) -> None:
    # pydantic took "0.0" for 1970-01-01; the schema says format: date.
    response = dispatcher.get("/api/v1/cases", {"received_from": value})
    assert response.status_code == 422
    assert dispatcher.get("/api/v1/cases", {"received_from": "2025-01-05"}).status_code == 200


def test_an_anonymous_post_is_401_and_a_signed_in_one_without_csrf_token_403(world) -> None:
    case = world.case(world.village_a)
    browser = StaffClient(enforce_csrf_checks=True)
    url = f"/api/v1/cases/{case.code}/actions/accept"

    def post():
        return browser.post(url, {"version": 1}, content_type="application/json")

    assert post().status_code == 401
    browser.force_login(world.user("dispatcher", world.center, Role.DISPATCHER))
    assert post().status_code == 403


def test_every_operation_documents_its_error_answers() -> None:
    from tiaojie.api.api import api

    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            answers = set(operation["responses"])
            assert 401 in answers, (method, path)
            if "{" in path:
                assert 422 in answers and (404 in answers or "intake" in path), (method, path)
            if method == "post" and "intake" not in path:
                assert 403 in answers, (method, path)
