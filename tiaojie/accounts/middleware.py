"""Before any page: the absolute session limit, the second factor, a password change due.

Idle sign-out needs no code here: sessions live SESSION_COOKIE_AGE seconds past the last
request (SESSION_SAVE_EVERY_REQUEST) and the server forgets them after that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from tiaojie.accounts import sessions
from tiaojie.accounts.passwords import password_change_due
from tiaojie.core.api import error_body
from tiaojie.core.context_processors import is_demo

# Pages a signed-in user may open before the second factor: signing out, the code step and
# enrolment, choosing a language ...
TWO_FACTOR_VIEWS = frozenset(
    {
        "accounts:logout",
        "accounts:login",
        "accounts:two_factor",
        "accounts:two_factor_setup",
        "accounts:two_factor_qr",
        "set_language",
    }
)
# ... and after the second factor, before a due password change: the new backup codes.
PASSWORD_VIEWS = TWO_FACTOR_VIEWS | {"accounts:password_change", "accounts:backup_codes"}


def second_factor_done(request: HttpRequest) -> bool:
    if not settings.TIAOJIE_2FA_REQUIRED:
        return True
    is_verified = getattr(request.user, "is_verified", None)  # set by django-otp's middleware
    return bool(is_verified and is_verified())


def sign_in_complete(request: HttpRequest) -> bool:
    """Both factors passed and the password is not due for a change."""
    user: Any = request.user
    return (
        user.is_authenticated
        and second_factor_done(request)
        and password_change_due(user, demo=is_demo()) is None
    )


def _refuse(request: HttpRequest, view_name: str, code: str, message: str) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse(error_body(code, message), status=401)
    target = reverse(view_name)
    if request.method == "GET":
        target += "?" + urlencode({"next": request.get_full_path()})
    return redirect(target)


class LoginSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user: Any = request.user
        if not user.is_authenticated:
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if sessions.signed_in_too_long(request):
            auth.logout(request)
            messages.info(request, _("Your sign-in has reached its time limit. Sign in again."))
            return _refuse(request, "accounts:login", "session_expired", "Sign in again.")
        if name in TWO_FACTOR_VIEWS:
            return None
        if not second_factor_done(request):
            return _refuse(
                request,
                "accounts:two_factor",
                "second_factor_required",
                "Enter the code from your authenticator first.",
            )
        if name in PASSWORD_VIEWS:
            return None
        if password_change_due(user, demo=is_demo()):
            return _refuse(
                request,
                "accounts:password_change",
                "password_change_required",
                "Choose a new password first.",
            )
        return None
