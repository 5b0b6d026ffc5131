"""Whistle pages: blow one on a case, check in, close, and the list of check-ins."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.http import AuthedRequest
from tiaojie.accounts.models import Unit
from tiaojie.cases.models import Case
from tiaojie.cases.scoping import AREA_UNIT_KINDS, sees_whole_area, works_cases
from tiaojie.cases.selectors import case_for_user
from tiaojie.core.errors import DomainError, NotFound
from tiaojie.regions.selectors import area_of, towns_for_user

from . import services
from .forms import CallFilterForm, CheckInForm, CloseForm, RaiseForm
from .models import Whistle
from .selectors import calls_for_user, late_checkins, whistle_for_user

LIST_SIZE = 200


def _case_or_404(request: AuthedRequest, code: str) -> Case:
    try:
        return case_for_user(request.user, code)
    except NotFound:
        raise Http404 from None


def _whistle_or_404(request: AuthedRequest, code: str, pk: int) -> Whistle:
    try:
        return whistle_for_user(request.user, code, pk)
    except NotFound:
        raise Http404 from None


def _back_to(case_code: str) -> HttpResponse:
    return redirect(reverse("cases:detail", args=[case_code]) + "#whistles")


@login_required
def raise_whistle(request: AuthedRequest, code: str) -> HttpResponse:
    """吹哨: the form, and the whistle once it is filled in."""
    case = _case_or_404(request, code)
    if not services.may_whistle(request.user, case):
        raise PermissionDenied
    form = RaiseForm(request.POST or None, case=case)
    status = 200
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise DomainError(_("Please correct the form."), code="invalid_input")
            services.raise_whistle(
                case,
                actor=request.user,
                units=list(form.cleaned_data["units"]),
                reason=form.cleaned_data["reason"],
                deadline_hours=form.cleaned_data["deadline_hours"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = 400
        else:
            messages.success(request, _("Whistle blown: the departments have been told."))
            return _back_to(case.code)
    context = {"case": case, "form": form, "max_hours": services.max_hours()}
    return render(request, "whistles/raise.html", context, status=status)


@login_required
@require_POST
def check_in(request: AuthedRequest, code: str, whistle: int) -> HttpResponse:
    """报到: the department says what it did."""
    found = _whistle_or_404(request, code, whistle)
    form = CheckInForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Please correct the form."), code="invalid_input")
        call = services.check_in(
            found, actor=request.user, what_done=form.cleaned_data["what_done"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if call.late:
            messages.warning(request, _("Checked in, after the deadline: recorded as late."))
        else:
            messages.success(request, _("Checked in."))
    return _back_to(found.case.code)


@login_required
@require_POST
def close(request: AuthedRequest, code: str, whistle: int) -> HttpResponse:
    found = _whistle_or_404(request, code, whistle)
    form = CloseForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Please correct the form."), code="invalid_input")
        services.close(found, actor=request.user, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Whistle closed."))
    return _back_to(found.case.code)


@login_required
def call_list(request: AuthedRequest) -> HttpResponse:
    """The check-ins on whistles in the user's scope; late and absent ones first by default.
    Centers also see the count per department (考核)."""
    user = request.user
    if not works_cases(user):
        raise PermissionDenied
    towns = towns_for_user(user)
    units = Unit.objects.filter(whistle_calls__isnull=False).exclude(kind__in=AREA_UNIT_KINDS)
    form = CallFilterForm(request.GET or None, towns=towns, units=units.distinct().order_by("name"))
    valid = not form.is_bound or form.is_valid()
    filters = form.filters() if valid else None
    calls = list(calls_for_user(user, filters)[:LIST_SIZE]) if filters else []
    tallies = None
    area = (filters and filters.town) or area_of(user)
    if filters and area is not None and sees_whole_area(user.unit):  # type: ignore[arg-type]
        tallies = late_checkins(filters.period, area)
    context = {
        "form": form,
        "calls": calls,
        "capped": len(calls) == LIST_SIZE,
        "tallies": tallies,
        "active_menu": "whistles",
    }
    return render(request, "whistles/list.html", context)
