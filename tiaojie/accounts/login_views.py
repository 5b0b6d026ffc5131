"""Sign-in steps after the password: the code, enrolment, backup codes, a new password.

Thin: parse the form, call a service or accounts/two_factor.py, render.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as reset_failures
from django import forms
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from tiaojie.accounts import services, sessions, two_factor
from tiaojie.accounts.http import AuthedRequest
from tiaojie.accounts.middleware import second_factor_done
from tiaojie.accounts.passwords import password_change_due
from tiaojie.core.context_processors import is_demo

BACKUP_CODES_KEY = "tiaojie_backup_codes"


class LogoutView(auth_views.LogoutView):
    """Signing out deletes the server-side session (Django) and asks the browser to forget
    what it kept of this site: cached pages, cookies, storage (ASVS 14.3.1)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """What axes answers while an account is locked: the sign-in page, saying so."""
    return render(
        request,
        "accounts/login.html",
        {
            "form": AuthenticationForm(request),
            "locked": True,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(view_name: str, request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    url = reverse(view_name)
    return f"{url}?{urlencode({'next': target})}" if target else url


def _verified(request: AuthedRequest, device: Any) -> None:
    """Both factors passed: mark the session, give it a new key, forgive earlier failures."""
    otp_login(request, device)
    request.session.cycle_key()
    sessions.track(request.user, request.session.session_key)
    reset_failures(username=request.user.get_username())


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_step(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if second_factor_done(request):
        return redirect(_next(request))
    if two_factor.confirmed_totp(user) is None and not two_factor.backup_codes_left(user):
        return redirect(_with_next("accounts:two_factor_setup", request))
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        auth.logout(request)
        return locked_out(request)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = two_factor.verify(user, form.cleaned_data["token"])
        if device is not None:
            _verified(request, device)
            if isinstance(device, StaticDevice):
                left = two_factor.backup_codes_left(user)
                messages.warning(
                    request,
                    _("You signed in with a backup code; %(count)d left.") % {"count": left},
                )
            return redirect(_next(request))
        # A wrong code is a failed sign-in: the audit log hears it and it counts to the lockout.
        user_login_failed.send(__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            auth.logout(request)
            return locked_out(request)
        form.add_error("token", _("The code is wrong or has already been used."))
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "next": request.GET.get("next", ""), "demo_hint": is_demo()},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if two_factor.confirmed_totp(user) is not None:
        return redirect(_with_next("accounts:two_factor", request))
    device = two_factor.pending_totp(user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes = services.enroll_two_factor(
            user=user, token=form.cleaned_data["token"], request=request
        )
        if codes is not None:
            device.refresh_from_db()
            _verified(request, device)
            request.session[BACKUP_CODES_KEY] = codes
            return redirect(_with_next("accounts:backup_codes", request))
        form.add_error("token", _("The code does not match. Check the phone's time and try again."))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "secret": two_factor.secret(device), "next": request.GET.get("next", "")},
    )


@never_cache
@login_required
@require_GET
def two_factor_qr(request: AuthedRequest) -> HttpResponse:
    """The enrolment QR code as an SVG image (only while enrolling)."""
    if two_factor.confirmed_totp(request.user) is not None:
        raise Http404
    return HttpResponse(
        two_factor.qr_svg(two_factor.pending_totp(request.user)), content_type="image/svg+xml"
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def backup_codes(request: AuthedRequest) -> HttpResponse:
    """New backup codes, shown once; or how many are left, with a button for new ones."""
    if request.method == "POST":
        request.session[BACKUP_CODES_KEY] = services.renew_backup_codes(
            user=request.user, request=request
        )
        return redirect("accounts:backup_codes")
    return render(
        request,
        "accounts/backup_codes.html",
        {
            "codes": request.session.pop(BACKUP_CODES_KEY, None),
            "left": two_factor.backup_codes_left(request.user),
            "next": _next(request),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: AuthedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if form.is_valid():
        services.change_password(
            user=request.user, new_password=form.cleaned_data["new_password1"], request=request
        )
        messages.success(request, _("Your password has been changed."))
        return redirect(_next(request))
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "reason": password_change_due(request.user, demo=is_demo()),
            "max_age_days": settings.TIAOJIE_PASSWORD_MAX_AGE_DAYS,
            "next": request.GET.get("next", ""),
        },
    )


@login_required
def security(request: AuthedRequest) -> HttpResponse:
    """The user's own sign-in settings: password age, authenticator, backup codes."""
    return render(
        request,
        "accounts/security.html",
        {
            "device": two_factor.confirmed_totp(request.user),
            "left": two_factor.backup_codes_left(request.user),
        },
    )
