"""Where personal data may appear unmasked, and how such a response says so."""

from __future__ import annotations

from typing import TypeVar

from django.http import HttpResponseBase

R = TypeVar("R", bound=HttpResponseBase)

# A response that deliberately shows full personal data (the audited "show full" view)
# carries this header; the test suite's guard (tiaojie/testing/pii_guard.py) lets only such
# responses contain unmasked ID or phone numbers.
FULL_VIEW_HEADER = "X-Tiaojie-Full-View"


def mark_full_view(response: R) -> R:
    response[FULL_VIEW_HEADER] = "1"
    response["Cache-Control"] = "private, no-store"
    return response
