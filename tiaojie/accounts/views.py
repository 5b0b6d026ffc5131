"""Workbench, inbox and the unit directory (sign-in: login_views.py).

Thin: parse, call a selector, render.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from tiaojie.accounts import notify, selectors
from tiaojie.accounts.http import AuthedRequest
from tiaojie.accounts.menu import menu_for
from tiaojie.accounts.scoping import works_cases
from tiaojie.cases.selectors import (
    cases_for_user,
    countable,
    workbench_counts,
    workbench_shelves,
)


@login_required
def workbench(request: AuthedRequest) -> HttpResponse:
    context: dict[str, object] = {"works_cases": works_cases(request.user)}
    if context["works_cases"]:
        scoped = cases_for_user(request.user)  # the scope's query once for the whole page
        context["counts"] = workbench_counts(request.user, scoped=scoped)
        context["shelves"] = workbench_shelves(request.user, scoped=scoped)
        context["recent"] = (
            countable(scoped)
            .select_related("region", "lead_unit")
            .order_by("-received_at", "-id")[:10]
        )
    return render(request, "accounts/workbench.html", context)


@login_required
def units(request: AuthedRequest) -> HttpResponse:
    if not any(item.key == "units" for item in menu_for(request.user.role_codes)):
        raise PermissionDenied
    return render(
        request,
        "accounts/units.html",
        {"units": selectors.units_for_user(request.user)},
    )


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        notify.mark_read(request.user)
        return redirect("accounts:inbox")
    page = Paginator(
        request.user.notifications.select_related("case").order_by("-created_at", "-id"), 30
    ).get_page(request.GET.get("page"))
    return render(request, "accounts/inbox.html", {"page": page})


@login_required
def open_notification(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark one message read and go to what it is about."""
    note = get_object_or_404(request.user.notifications.select_related("case"), pk=pk)
    notify.mark_read(request.user, [note.pk])
    if note.case is not None:
        return redirect("cases:detail", code=note.case.code)
    return redirect("accounts:inbox")
