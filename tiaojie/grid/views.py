"""The grid worker's phone page (its script sends reports to the API: grid/api.py)."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tiaojie.accounts.http import AuthedRequest
from tiaojie.core.enums import RiskLevel

from . import selectors, services


@require_GET
@login_required
def report_page(request: AuthedRequest) -> HttpResponse:
    if not selectors.is_grid_worker(request.user):
        raise PermissionDenied
    context = {
        "grids": selectors.grids_of(request.user),
        "what": [(key, w.label) for key, w in services.WHAT.items()],
        "risks": RiskLevel.choices,
        "recent": selectors.recent_reports(request.user),
        "active_menu": "grid_report",
        # For a browser without the script; the script makes its own key per report.
        "fallback_key": uuid.uuid4(),
    }
    return render(request, "grid/report.html", context)
