"""Values every page needs from core: whether the data is a demo (regions adds the site name)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tiaojie.core import cache


def _is_demo(_key: None) -> bool:
    from tiaojie.core.models import DemoMarker

    return DemoMarker.objects.exists()


# Asked on every page and by the login checks; changes only when the demo is built.
_demo = cache.register("core.is_demo", _is_demo, depends_on=("demo",), maxsize=1)


def is_demo() -> bool:
    """Whether this database holds the demo center."""
    return _demo.get(None)


def site(request: HttpRequest) -> dict[str, Any]:
    return {"is_demo": is_demo()}
