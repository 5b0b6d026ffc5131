"""The public pages: no sign-in, a phone's screen, Chinese first.

Codes never travel in URLs: the lookup is a POST and its answer is rendered, not redirected
to. Every answer that shows a code is marked no-store, so a shared phone's browser keeps none.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tiaojie.audit.services import client_ip
from tiaojie.core.errors import DomainError

from . import ratelimit, selectors, services
from .forms import LookupForm, RateForm, SubmitForm

Handler = Callable[..., HttpResponse]


def _limited(request: HttpRequest, exc: ratelimit.Limited) -> HttpResponse:
    minutes = max(exc.retry_after // 60, 1)
    context = {"minutes": minutes, "hours": (minutes + 59) // 60 if minutes > 90 else 0}
    response = render(request, "portal/limited.html", context, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def rate_limited(view: Handler) -> Handler:
    """Answer 429 with a friendly page when a limit inside the view is reached."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ratelimit.Limited as exc:
            return _limited(request, exc)

    return wrapped


def _ip(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def _submit_form(request: HttpRequest, data: Any = None) -> SubmitForm:
    area = selectors.portal_area()
    initial = {"form_token": secrets.token_urlsafe(24)}
    return SubmitForm(data, initial=initial, area=area, towns=selectors.towns_and_villages(area))


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited
def submit(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "portal/submit.html", {"form": _submit_form(request)})
    ratelimit.spend(ratelimit.SUBMIT_PER_IP, _ip(request))
    form = _submit_form(request, request.POST)
    if form.is_valid():
        ratelimit.spend(ratelimit.SUBMIT_PER_PHONE, form.cleaned_data["phone"])
        try:
            receipt = services.submit(form.submission())
        except services.AlreadySubmitted as exc:
            return render(request, "portal/submitted.html", {"case_code": exc.case_code})
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return render(
                request,
                "portal/submitted.html",
                {"case_code": receipt.case_code, "query_code": receipt.shown_query_code},
            )
    return render(request, "portal/submit.html", {"form": form}, status=400)


def _wrong_codes() -> str:
    # One answer for an unknown case and a wrong query code: no oracle.
    return _("No matter matches this case code and query code. Please check both and try again.")


def _open_ticket(request: HttpRequest, form: LookupForm) -> Any:
    """The ticket the form's codes open, counting the try against the limits; None if wrong."""
    case_code = form.cleaned_data["case_code"]
    ratelimit.check(ratelimit.FAILED_LOOKUP_PER_CASE, case_code)
    ticket = selectors.ticket_for_codes(case_code, form.cleaned_data["query_code"])
    if ticket is None:
        ratelimit.spend(ratelimit.FAILED_LOOKUP_PER_CASE, case_code)
        form.add_error(None, _wrong_codes())
    return ticket


def _progress(
    request: HttpRequest, ticket: Any, query_code: str, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "progress": selectors.progress_of(ticket),
        "rate_form": RateForm(initial={"case_code": ticket.case.code, "query_code": query_code}),
        **extra,
    }
    return render(request, "portal/progress.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited
def track(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "portal/track.html", {"form": LookupForm()})
    ratelimit.spend(ratelimit.LOOKUP_PER_IP, _ip(request))
    form = LookupForm(request.POST)
    if form.is_valid() and (ticket := _open_ticket(request, form)):
        return _progress(request, ticket, form.cleaned_data["query_code"])
    return render(request, "portal/track.html", {"form": form}, status=400)


@never_cache
@require_POST
@rate_limited
def rate(request: HttpRequest) -> HttpResponse:
    ratelimit.spend(ratelimit.LOOKUP_PER_IP, _ip(request))
    form = RateForm(request.POST)
    lookup = LookupForm(request.POST)
    if not (lookup.is_valid() and (ticket := _open_ticket(request, lookup))):
        return render(request, "portal/track.html", {"form": lookup}, status=400)
    query_code = lookup.cleaned_data["query_code"]
    if not form.is_valid():
        return _progress(
            request, ticket, query_code, status=400, rate_error=_("Choose how satisfied you are.")
        )
    try:
        services.rate(
            ticket,
            satisfaction=form.cleaned_data["satisfaction"],
            comment=form.cleaned_data["comment"],
        )
    except DomainError as exc:
        return _progress(request, ticket, query_code, status=400, rate_error=exc.message)
    return _progress(request, ticket, query_code, rated=True)
