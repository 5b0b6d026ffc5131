"""Browse the region tree within the user's area.

Regions sit below accounts (docs/architecture.md, "Layers"): the signed-in user is taken as
it comes (the selectors read only its unit), never imported as a type.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


@login_required
def tree(request: HttpRequest, code: str | None = None) -> HttpResponse:
    area = selectors.area_of(request.user)
    if area is None:
        raise Http404
    region = selectors.region_in_area(request.user, code) if code else area
    if region is None:
        raise Http404
    context = {
        "region": region,
        "ancestors": [r for r in region.ancestors() if r.path.startswith(area.path)],
        "children": selectors.children_with_counts(region),
        "counts": selectors.count_by_level(region),
        "grid_members": region.grid_members.select_related("user").order_by("duty")
        if region.level == "grid"
        else [],
    }
    return render(request, "regions/tree.html", context)
