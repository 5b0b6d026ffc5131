"""The inbox and the unit directory (sign-in: login_views.py).

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
