"""The dispatch mode banner on every staff page (templates/modes/_banner.html)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import selectors


def banner(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"dispatch_modes": []}
    return {
        "dispatch_modes": selectors.banner_for(user),
        "may_read_modes": selectors.may_read(user),
    }
