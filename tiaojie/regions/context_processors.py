"""The site's name on every page: the root region's (core knows no regions, so it is here)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from tiaojie.core import cache


def _root_region_name(_key: None) -> str:
    from tiaojie.regions.models import Region

    root = Region.objects.filter(parent__isnull=True).order_by("code").first()
    return root.name if root else ""


_root_name = cache.register(
    "regions.root_name", _root_region_name, depends_on=("regions",), maxsize=1
)


def site_name(request: HttpRequest) -> dict[str, Any]:
    name = settings.TIAOJIE_SITE_NAME or _root_name.get(None)
    return {
        "site_name": _("%(region)s Comprehensive Governance Center") % {"region": name}
        if name
        else _("Comprehensive Governance Center"),
    }
