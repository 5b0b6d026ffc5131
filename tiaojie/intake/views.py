"""The window registration page and what it shows while the clerk types."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tiaojie.accounts.http import AuthedRequest
from tiaojie.cases import duplicates, services
from tiaojie.core import clock
from tiaojie.core.errors import DomainError

from .window import (
    WindowForm,
    may_register,
    party_formset,
    place_options,
    resolve_place,
)

# Which field a refusal of the registration service belongs to.
_ERROR_FIELDS = {
    "too_many_representatives": "people_count",
    "people_count": "people_count",
    "review_kind": "review_of",
    "review_final": "review_of",
    "review_undecided": "review_of",
    "review_too_late": "review_of",
    "review_exists": "review_of",
    "missing_input": None,
}


def _check(request: AuthedRequest) -> None:
    if not may_register(request.user):
        raise PermissionDenied


def _page(
    request: AuthedRequest, form: WindowForm, parties: Any, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "parties": parties,
        "place_options": place_options(request.user),
        "active_menu": "window",
    }
    return render(request, "intake/window.html", context, status=status)


@never_cache
@login_required
def window(request: AuthedRequest) -> HttpResponse:
    """GET: an empty form. POST: register, then the case page with its code; else the errors."""
    _check(request)
    if request.method != "POST":
        return _page(request, WindowForm(user=request.user), party_formset())
    form = WindowForm(request.POST, user=request.user)
    parties = party_formset(request.POST, channel=request.POST.get("channel", ""))
    if not (form.is_valid() and parties.is_valid()):
        return _page(request, form, parties, status=400)
    data = form.cleaned_data
    try:
        case = services.register_case(
            actor=services.Actor(request.user),
            kind=data["kind"],
            category=data["category"],
            channel=data["channel"],
            title=data["title"],
            description=data["description"],
            region=data["region"],
            address=data["address"].strip(),
            parties=parties.parties(),
            people_count=data["people_count"],
            risk_level=data["risk_level"],
            review_of=data["review_of"],
        )
    except DomainError as exc:
        form.add_error(_ERROR_FIELDS.get(exc.code), exc.message)
        return _page(request, form, parties, status=400)
    return redirect(reverse("cases:detail", args=[case.code]) + "?registered=1")


@never_cache
@login_required
@require_POST
def window_matches(request: AuthedRequest) -> HttpResponse:
    """While the clerk types (htmx): the applicant's earlier cases, open cases that look like
    the same matter, and the place the form points to. Read-only, inside the clerk's scope;
    numbers travel in the POST body, never in a URL."""
    _check(request)
    post = request.POST
    rows = range(_total_forms(post))
    id_numbers = [post.get(f"party-{i}-id_number", "").strip().upper() for i in rows]
    phones = [post.get(f"party-{i}-phone", "").strip() for i in rows]
    applicant = duplicates.person_ids(id_numbers=id_numbers[:1], phones=phones[:1])
    everyone = duplicates.same_people(duplicates.person_ids(id_numbers=id_numbers, phones=phones))
    area = request.user.unit.region  # type: ignore[union-attr]
    region = resolve_place(area, post.get("place", ""), post.get("address", ""))
    text = f"{post.get('title', '')}\n{post.get('description', '')}"
    similar = duplicates.similar_cases(
        request.user, persons=everyone, region=region, text=text, around=clock.now()
    )
    context = {
        "earlier": duplicates.earlier_cases(request.user, duplicates.same_people(applicant)),
        "similar": similar,
        "region": region,
        "region_name": region.full_name() if region else "",
        "asked": any(id_numbers) or any(phones),
    }
    return render(request, "intake/_window_matches.html", context)


def _total_forms(post: Any) -> int:
    try:
        return max(0, min(int(post.get("party-TOTAL_FORMS", "1")), 50))
    except ValueError:
        return 1
