"""Values every page needs: the site name and whether the data is a demo."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

_CACHE_SECONDS = 30
_cache: dict[str, tuple[float, Any]] = {}


def _cached(key: str, compute: Any) -> Any:
    # Per-process cache: the answer changes only when an admin imports regions or the demo
    # is rebuilt, and a 30-second lag there is harmless; a query per page is not.
    now = time.monotonic()
    hit = _cache.get(key)
    if hit and now - hit[0] < _CACHE_SECONDS:
        return hit[1]
    value = compute()
    _cache[key] = (now, value)
    return value


def clear_cache() -> None:
    _cache.clear()


def _is_demo() -> bool:
    from tiaojie.core.models import DemoMarker

    return DemoMarker.objects.exists()


def is_demo() -> bool:
    """Whether this database holds the demo center (cached like the site name)."""
    return bool(_cached("is_demo", _is_demo))


def _root_region_name() -> str:
    from tiaojie.regions.models import Region

    root = Region.objects.filter(parent__isnull=True).order_by("code").first()
    return root.name if root else ""


def site(request: HttpRequest) -> dict[str, Any]:
    name = settings.TIAOJIE_SITE_NAME or _cached("root_name", _root_region_name)
    return {
        "site_name": _("%(region)s Comprehensive Governance Center") % {"region": name}
        if name
        else _("Comprehensive Governance Center"),
        "is_demo": is_demo(),
    }
