"""Who may read a labelled case's contents (安全标记, 等保 level 3 access control).

A case labelled sensitive (health or psychological notes, minors, informants) stays in the
lists of everyone whose scope holds it — the work goes on — but only cleared staff
(``User.sensitive_clearance``, given by the security administrator) read its contents: the
description, the notes, what the history says, the parties' details, the files, the
agreement. Everyone else sees the shell: code, title, kind, status, dates, units. Search
by text skips labelled cases for them, since a match would tell what the case says.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Case, Sensitivity


def restricted(user: Any, case: Case) -> bool:
    """True when ``user`` sees only the shell of ``case``."""
    return case.sensitivity == Sensitivity.SENSITIVE and not getattr(
        user, "sensitive_clearance", False
    )


def searchable_for(user: Any, cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases whose text ``user`` may search: labelled ones only with clearance."""
    if getattr(user, "sensitive_clearance", False):
        return cases
    return cases.exclude(sensitivity=Sensitivity.SENSITIVE)
