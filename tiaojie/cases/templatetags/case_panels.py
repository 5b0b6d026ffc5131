"""``{% case_panels "history" %}``: the panels registered at that place of the case page.

Each is rendered as an inclusion tag renders its template (cases/panels.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import template
from django.utils.safestring import SafeString, mark_safe

from tiaojie.cases.panels import panels_before

register = template.Library()


@register.simple_tag(takes_context=True)
def case_panels(context: template.Context, place: str) -> SafeString:
    request, case = context["request"], context["case"]
    engine = context.template.engine  # type: ignore[union-attr]
    page = cast("Mapping[str, Any]", context.flatten())
    parts = []
    for panel in panels_before(place):
        values = context.new(panel.context(request, case, page))
        if (token := context.get("csrf_token")) is not None:
            values["csrf_token"] = token
        parts.append(engine.get_template(panel.template).render(values))
    return mark_safe("".join(parts))  # noqa: S308 - templates rendered, so escaped
