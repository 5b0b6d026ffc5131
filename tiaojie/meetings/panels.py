"""The case page's reviews panel (分级研判), registered with cases/panels.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from tiaojie.cases.models import Case
from tiaojie.cases.sensitivity import restricted

from .access import holding_tier, may_review
from .forms import ReviewForm
from .selectors import reviews_of


def case_reviews(request: HttpRequest, case: Case, page: Mapping[str, Any]) -> dict[str, Any]:
    user: Any = request.user
    allowed = may_review(user, case)
    return {
        "case": case,
        "reviews": list(reviews_of(case)),
        # The conclusion tells what the case is about: shell-only readers see the decisions.
        "restricted": restricted(user, case),
        "review_form": ReviewForm(user=user, case=case) if allowed else None,
        "tier": holding_tier(case),
    }
