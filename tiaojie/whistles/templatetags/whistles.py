"""``{% whistles_panel %}``: a case's whistles on its page, with the forms this user may use."""

from __future__ import annotations

from typing import Any

from django import template

from tiaojie.whistles import services
from tiaojie.whistles.forms import CheckInForm, CloseForm
from tiaojie.whistles.models import CHECKED_IN
from tiaojie.whistles.selectors import whistles_of

register = template.Library()


@register.inclusion_tag("whistles/_panel.html", takes_context=True)
def whistles_panel(context: template.Context) -> dict[str, Any]:
    case = context["case"]
    user = context["request"].user
    rows = []
    for whistle in whistles_of(case):
        mine = next(
            (
                c
                for c in whistle.calls.all()
                if c.unit_id == user.unit_id and c.status not in CHECKED_IN
            ),
            None,
        )
        rows.append(
            {
                "whistle": whistle,
                "check_in_form": CheckInForm() if mine and whistle.is_open else None,
                "close_form": CloseForm() if services.may_close(user, whistle) else None,
            }
        )
    return {
        "case": case,
        "rows": rows,
        "restricted": context.get("restricted", False),
        "may_whistle": services.may_whistle(user, case),
    }
