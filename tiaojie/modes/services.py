"""Switching a dispatch mode on for a scope, and ending it early. Each is one transaction,
written to the security audit log with the change."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.audit.models import AuditKind
from tiaojie.audit.services import Target, record
from tiaojie.core import clock
from tiaojie.core.errors import DomainError, NotFound
from tiaojie.regions.models import Region

from . import selectors
from .models import Mode, ModePeriod

# A switch may be dated a little back (the form took a while to fill in), not more.
BACKDATE_LIMIT = dt.timedelta(minutes=10)
LONGEST = dt.timedelta(days=90)


class NotAllowed(DomainError):
    code = "not_allowed"


def _need_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Please give the reason."), code="missing_input")
    return reason


def start_mode(
    *,
    actor: User,
    mode: str,
    scope: Region,
    reason: str,
    ends_at: dt.datetime,
    starts_at: dt.datetime | None = None,
) -> ModePeriod:
    """Switch ``scope`` into ``mode`` from ``starts_at`` (default now) until ``ends_at``.

    One mode per scope at a time: a period of the scope still running when the new one
    starts is ended then, by the same person for the same reason. A scheduled period the
    new one would overlap must be ended first.
    """
    if mode not in (Mode.URGENT, Mode.WARTIME):
        raise DomainError(_("Choose urgent or wartime mode."), code="invalid_mode")
    reason = _need_reason(reason)
    if not selectors.may_switch(actor, scope):
        raise NotAllowed(
            _("You may not switch the dispatch mode for %(scope)s.") % {"scope": scope}
        )
    now = clock.now()
    starts = starts_at or now
    if starts < now - BACKDATE_LIMIT:
        raise DomainError(_("A dispatch mode cannot start in the past."), code="mode_in_past")
    if ends_at <= starts:
        raise DomainError(_("The end must come after the start."), code="mode_span")
    if ends_at - starts > LONGEST:
        raise DomainError(
            _("A dispatch mode lasts %(days)s days at most; switch again to go on.")
            % {"days": LONGEST.days},
            code="mode_span",
        )
    with transaction.atomic():
        # Two switches of one scope at once: the second waits here, then sees the first.
        Region.objects.select_for_update().filter(pk=scope.pk).first()
        overlapping = list(
            ModePeriod.objects.select_for_update()
            .filter(scope=scope, starts_at__lt=ends_at)
            .filter(Q(ended_at=None, ends_at__gt=starts) | Q(ended_at__gt=starts))
            .filter(ends_at__gt=starts)
        )
        if any(p.starts_at > starts for p in overlapping):
            raise DomainError(
                _("Another dispatch mode is scheduled for %(scope)s in that time; end it first.")
                % {"scope": scope},
                code="mode_overlap",
            )
        replaced = []
        for current in overlapping:
            current.ended_at = starts
            current.ended_by = actor
            current.end_reason = reason
            current.save(update_fields=["ended_at", "ended_by", "end_reason"])
            replaced.append(current.pk)
        period = ModePeriod.objects.create(
            mode=mode,
            scope=scope,
            reason=reason,
            starts_at=starts,
            ends_at=ends_at,
            started_by=actor,
        )
        record(
            AuditKind.CONFIG_CHANGED,
            actor=actor,
            target=Target("dispatch_mode", period.pk),
            detail={
                "change": "mode_started",
                "mode": mode,
                "scope": scope.code,
                "starts_at": starts.isoformat(),
                "ends_at": ends_at.isoformat(),
                "reason": reason,
                "replaced": replaced,
            },
        )
    return period


def end_mode(period: ModePeriod, *, actor: User, reason: str) -> ModePeriod:
    """End a running (or cancel a scheduled) period now, back to normal dispatch (平时)."""
    reason = _need_reason(reason)
    if not selectors.may_switch(actor, period.scope):
        raise NotAllowed(
            _("You may not switch the dispatch mode for %(scope)s.") % {"scope": period.scope}
        )
    now = clock.now()
    with transaction.atomic():
        locked = ModePeriod.objects.select_for_update().filter(pk=period.pk).first()
        if locked is None:
            raise NotFound(_("No such dispatch mode period."))
        if locked.until <= now:
            raise DomainError(_("This dispatch mode has already ended."), code="mode_ended")
        locked.ended_at = now
        locked.ended_by = actor
        locked.end_reason = reason
        locked.save(update_fields=["ended_at", "ended_by", "end_reason"])
        record(
            AuditKind.CONFIG_CHANGED,
            actor=actor,
            target=Target("dispatch_mode", locked.pk),
            detail={
                "change": "mode_ended",
                "mode": locked.mode,
                "scope": locked.scope.code,
                "ended_at": now.isoformat(),
                "reason": reason,
            },
        )
    return locked
