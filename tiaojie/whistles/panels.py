"""The case page's whistles panel, with the forms this user may use (cases/panels.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from tiaojie.cases.models import Case

from . import services
from .forms import CheckInForm, CloseForm
from .models import CHECKED_IN
from .selectors import whistles_of


def whistles_panel(request: HttpRequest, case: Case, page: Mapping[str, Any]) -> dict[str, Any]:
    user: Any = request.user
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
        "restricted": page.get("restricted", False),
        "may_whistle": services.may_whistle(user, case),
    }
