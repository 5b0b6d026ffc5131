"""The suite-wide guard against unmasked ID and phone numbers really looks, and really finds."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from tiaojie.core.privacy import mark_full_view
from tiaojie.testing import pii_guard
from tiaojie.testing.pii_guard import FINDINGS, find_personal_numbers

ID_NUMBER = "11010519491231002X"  # valid check digit (GB 11643 example)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (f"身份证{ID_NUMBER}号", 1),
        (f"id={ID_NUMBER.lower()}", 1),
        ("电话13812341234。", 1),
        ("138****1234 and ****002X", 0),  # masked forms
        ("110105194912310021", 0),  # wrong check digit: not an ID number
        ("hash a13812341234b and 2026000001 and 1732600000000", 0),  # not numbers of a person
    ],
)
def test_it_finds_unmasked_numbers_and_only_those(text: str, found: int) -> None:
    assert len(find_personal_numbers(text)) == found


def test_it_sees_every_response_and_lets_only_the_full_view_through(client, db) -> None:
    before = FINDINGS.responses
    client.get("/accounts/login/")
    assert FINDINGS.responses == before + 1

    request = RequestFactory().get("/cases/x/")
    leaks = list(FINDINGS.leaks)
    try:
        pii_guard._check_response(request, HttpResponse(f"<p>{ID_NUMBER}</p>"))
        assert len(FINDINGS.leaks) == len(leaks) + 1
        pii_guard._check_response(request, mark_full_view(HttpResponse(f"<p>{ID_NUMBER}</p>")))
        assert len(FINDINGS.leaks) == len(leaks) + 1
    finally:
        FINDINGS.leaks[:] = leaks  # this test's own leak must not fail the session


def test_a_form_may_show_back_what_its_sender_typed() -> None:
    leaks = list(FINDINGS.leaks)
    try:
        typed = RequestFactory().post("/accounts/login/", {"username": "13812341234"})
        pii_guard._check_response(typed, HttpResponse('<input value="13812341234">'))
        assert FINDINGS.leaks == leaks
        other = RequestFactory().post("/accounts/login/", {"username": "someone"})
        pii_guard._check_response(other, HttpResponse("<p>13812341234</p>"))
        assert len(FINDINGS.leaks) == len(leaks) + 1
    finally:
        FINDINGS.leaks[:] = leaks
