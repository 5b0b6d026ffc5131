"""The workbench: where every signed-in user lands (sign-in, the site's name, "/").

Thin: the area's counts, the shelves every app registered (``shelves``) and the latest cases.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from tiaojie.accounts.http import AuthedRequest

from .scoping import works_cases
from .selectors import cases_for_user, countable, workbench_counts
from .shelves import shelves_for


@login_required
def workbench(request: AuthedRequest) -> HttpResponse:
    context: dict[str, object] = {"works_cases": works_cases(request.user)}
    if context["works_cases"]:
        # The scope once for the whole page: working it out costs a query (bench/lifecycle.py).
        scoped = cases_for_user(request.user)
        context["counts"] = workbench_counts(request.user, scoped=scoped)
        context["shelves"] = shelves_for(request.user, scoped=scoped)
        context["recent"] = (
            countable(scoped)
            .select_related("region", "lead_unit")
            .order_by("-received_at", "-id")[:10]
        )
    return render(request, "cases/workbench.html", context)
