"""The case page's reviews section: ``{% load meetings %}{% case_reviews case %}``."""

from __future__ import annotations

from typing import Any

from django import template

from tiaojie.cases.models import Case
from tiaojie.cases.sensitivity import restricted

from ..access import holding_tier, may_review
from ..forms import ReviewForm
from ..selectors import reviews_of

register = template.Library()


@register.inclusion_tag("meetings/_case_reviews.html", takes_context=True)
def case_reviews(context: dict[str, Any], case: Case) -> dict[str, Any]:
    user = context["request"].user
    allowed = may_review(user, case)
    return {
        "case": case,
        "reviews": list(reviews_of(case)),
        # The conclusion tells what the case is about: shell-only readers see the decisions.
        "restricted": restricted(user, case),
        "review_form": ReviewForm(user=user, case=case) if allowed else None,
        "tier": holding_tier(case),
        "csrf_token": context.get("csrf_token"),
    }
