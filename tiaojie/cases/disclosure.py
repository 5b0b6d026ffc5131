"""Showing a party's personal data in full ("show full"): only with a reason, always recorded.

Screens mask ID numbers, phones and addresses. A member of staff who works cases may ask to
see one party's data in full, giving a reason; the audit log records who, when, from where,
which case and party, and why, before the page shows it (in that one response only).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Role
from tiaojie.audit.models import AuditKind, AuditOutcome
from tiaojie.audit.services import Target, record
from tiaojie.cases.scoping import works_cases
from tiaojie.core.errors import DomainError, NotFound

from .models import Case, Party
from .sensitivity import restricted

# The roles that deal with the people of a case: they call, visit and register them. Leaders
# and inspectors read cases but have no need of a party's full number.
FULL_VIEW_ROLES = frozenset(
    {
        Role.WINDOW_CLERK,
        Role.DISPATCHER,
        Role.MEDIATOR,
        Role.HANDLER,
        Role.TOWN_STAFF,
        Role.GRID_WORKER,
    }
)
REASON_MAX = 200


class FullViewRefused(DomainError):
    """This user's role may not see personal data in full (the case itself is in scope)."""

    code = "forbidden"


def may_see_in_full(user: Any) -> bool:
    return works_cases(user) and bool(user.role_codes & FULL_VIEW_ROLES)


def reveal_party(
    *, user: Any, case: Case, party_id: int, reason: str, request: HttpRequest | None = None
) -> Party:
    """The party with its person loaded, after the full view has been recorded.

    ``case`` comes from the caller's scoped selector: a case out of scope never gets here.
    """
    party = case.parties.select_related("person").filter(pk=party_id).first()
    if party is None or restricted(user, case):
        raise NotFound("party not found")
    target = Target("case", case.code)
    detail: dict[str, Any] = {"party": party.pk, "party_role": party.role}
    if not may_see_in_full(user):
        record(
            AuditKind.FULL_VIEW,
            request=request,
            actor=user,
            target=target,
            outcome=AuditOutcome.DENIED,
            detail=detail,
        )
        raise FullViewRefused(_("Your role may not see personal data in full."))
    reason = " ".join((reason or "").split())[:REASON_MAX]
    if not reason:
        raise DomainError(_("Please give a reason for seeing the data in full."), code="reason")
    person = party.person
    shown = [name for name in ("id_number", "phone", "address") if getattr(person, name, "")]
    record(
        AuditKind.FULL_VIEW,
        request=request,
        actor=user,
        target=target,
        detail={**detail, "fields": shown, "reason": reason},
    )
    return party
