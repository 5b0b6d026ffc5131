"""Case list and detail pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from tiaojie.accounts.http import AuthedRequest
from tiaojie.core.errors import NotFound
from tiaojie.regions.selectors import towns_for_user

from .forms import CaseFilterForm
from .selectors import case_for_user, cases_for_user, filter_cases

PAGE_SIZE = 25


@login_required
def case_list(request: AuthedRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None, towns=list(towns_for_user(request.user)))
    qs = cases_for_user(request.user)
    if form.is_bound and form.is_valid():
        qs = filter_cases(qs, form.filters())
    elif form.is_bound:
        qs = qs.none()
    qs = qs.select_related("region", "lead_unit").order_by("-received_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "cases/_case_rows.html" if request.htmx else "cases/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def case_detail(request: AuthedRequest, code: str) -> HttpResponse:
    try:
        case = case_for_user(request.user, code)
    except NotFound:
        raise Http404 from None
    parties = case.parties.select_related("person").order_by("role", "id")
    return render(request, "cases/detail.html", {"case": case, "parties": parties})
