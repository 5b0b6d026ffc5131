"""Reading the audit log: the auditor only, with the filters of the auditor's screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from tiaojie.accounts.roles import Role
from tiaojie.core.errors import NotFound

from .models import AuditEntry


def reads_audit_log(user: Any) -> bool:
    """三员分立: the auditor reads the log, and nobody else does (not even a superuser)."""
    return bool(user.is_authenticated and user.is_active and user.has_role(Role.AUDITOR))


def entries_for_user(user: Any) -> QuerySet[AuditEntry]:
    if not reads_audit_log(user):
        raise NotFound("audit log")
    return AuditEntry.objects.order_by("-seq")


@dataclass(frozen=True)
class AuditFilters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str = ""
    user: str = ""
    outcome: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v not in (None, "")}


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def filter_entries(qs: QuerySet[AuditEntry], f: AuditFilters) -> QuerySet[AuditEntry]:
    if f.date_from:
        qs = qs.filter(at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(at__lt=_day_start(f.date_to + dt.timedelta(days=1)))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.outcome:
        qs = qs.filter(outcome=f.outcome)
    if f.user:
        # A user id, or (part of) the user name as it was recorded.
        match = Q(username__icontains=f.user)
        if f.user.isdigit():
            match |= Q(actor_id=int(f.user))
        qs = qs.filter(match)
    return qs
