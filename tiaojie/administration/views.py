"""Account administration screens (三员分立). Thin: check the role, call a service, render.

Pages answer 404 to anyone without the duty, as for a case out of scope: the screens'
existence is nobody else's business.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.http import AuthedRequest
from tiaojie.accounts.models import User
from tiaojie.accounts.roles import ACCOUNT_ADMIN_ROLES, Role
from tiaojie.core.errors import DomainError

from . import services
from .forms import AccountFilterForm, NewAccountForm, ProfileForm, RolesForm
from .selectors import staff_accounts

View = Callable[..., HttpResponse]


def duty(*roles: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.role_codes & set(roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _once(response: HttpResponse) -> HttpResponse:
    # A page showing a temporary password is never stored anywhere on the way.
    response["Cache-Control"] = "private, no-store"
    return response


@duty(*ACCOUNT_ADMIN_ROLES)
def accounts(request: AuthedRequest) -> HttpResponse:
    form = AccountFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(staff_accounts(**filters), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "administration/accounts.html",
        {"form": form, "page": page, "is_sysadmin": Role.SYSADMIN in request.user.role_codes},
    )


@duty(Role.SYSADMIN)
def new_account(request: AuthedRequest) -> HttpResponse:
    form = NewAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.create_user(
                actor=request.user, username=form.cleaned_data["username"], profile=form.profile()
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return _once(
                render(
                    request,
                    "administration/password_once.html",
                    {"account": user, "password": password, "created": True},
                )
            )
    return render(request, "administration/account_form.html", {"form": form, "account": None})


@duty(Role.SYSADMIN)
def account(request: AuthedRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    initial = {"real_name": user.real_name, "unit": user.unit, "title": user.title}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(actor=request.user, user=user, profile=form.profile())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("administration:account", pk=user.pk)
    return render(request, "administration/account_form.html", {"form": form, "account": user})


@require_POST
@duty(Role.SYSADMIN)
def switch_account(request: AuthedRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    try:
        services.set_active(actor=request.user, user=user, active=request.POST.get("active") == "1")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Account switched on.")
            if user.is_active
            else _("Account switched off; its sessions ended."),
        )
    return redirect("administration:account", pk=user.pk)


@require_POST
@duty(Role.SYSADMIN)
def reset_account_password(request: AuthedRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    try:
        password = services.reset_password(actor=request.user, user=user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("administration:account", pk=user.pk)
    return _once(
        render(
            request,
            "administration/password_once.html",
            {"account": user, "password": password, "created": False},
        )
    )


@duty(Role.SECADMIN)
def account_roles(request: AuthedRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    form = RolesForm(
        request.POST or None,
        initial={"roles": sorted(user.role_codes), "sensitive_clearance": user.sensitive_clearance},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_roles(
                actor=request.user,
                user=user,
                roles=set(form.cleaned_data["roles"]),
                clearance=form.cleaned_data["sensitive_clearance"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Roles saved."))
            return redirect("administration:accounts")
    return render(request, "administration/account_roles.html", {"form": form, "account": user})
