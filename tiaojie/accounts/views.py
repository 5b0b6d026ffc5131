"""Sign-in, workbench and the unit directory. Thin: parse, call a selector, render."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from tiaojie.accounts import selectors
from tiaojie.accounts.http import AuthedRequest
from tiaojie.accounts.menu import menu_for
from tiaojie.accounts.scoping import works_cases
from tiaojie.cases.selectors import cases_for_user, workbench_counts


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def workbench(request: AuthedRequest) -> HttpResponse:
    context: dict[str, object] = {"works_cases": works_cases(request.user)}
    if context["works_cases"]:
        context["counts"] = workbench_counts(request.user)
        context["recent"] = (
            cases_for_user(request.user)
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
