"""The grid worker's phone page and the JSON endpoint its script sends reports to."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tiaojie.accounts.http import AuthedRequest
from tiaojie.core.enums import RiskLevel
from tiaojie.core.errors import DomainError

from . import selectors, services
from .forms import ReportForm


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


def _error(status: int, code: str, message: str, **extra: object) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, **extra}, status=status)


@never_cache
@require_POST
def send(request: AuthedRequest) -> JsonResponse:
    """One report (multipart, X-CSRFToken header): 201 with the new case's code, 200 with the
    code of the case an earlier sending of the same report made, 4xx with a code otherwise."""
    if not request.user.is_authenticated:
        # JSON, not a redirect to the sign-in page: the script keeps the report and says so.
        return _error(401, "unauthenticated", _("Sign in again to send the waiting reports."))
    if not selectors.is_grid_worker(request.user):
        return _error(403, "not_a_grid_worker", _("Only grid workers send grid reports."))
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        fields = {name: [str(m) for m in errors] for name, errors in form.errors.items()}
        return _error(400, "invalid_input", _("Please correct the report."), fields=fields)
    try:
        done = services.send_report(
            worker=request.user, data=form.report(), photo=form.cleaned_data.get("photo")
        )
    except services.NotYourGrid as exc:
        return _error(403, exc.code, exc.message)
    except DomainError as exc:
        return _error(400, exc.code, exc.message)
    return JsonResponse(
        {"code": done.code, "created": done.created}, status=201 if done.created else 200
    )
