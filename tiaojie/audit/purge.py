"""Retention: removing audit entries older than the retention period, keeping the chain whole.

A purge runs in one transaction: it checks the whole chain (a broken chain is evidence, and is
never purged away), deletes the oldest entries, moves the head's start to the first entry
kept with the hash of the last one removed as its anchor, and appends an ``audit_purge``
entry that records the same start and anchor. Verification then starts at the anchor and
checks that the head's start is the one the last purge entry wrote down, so removing old
entries any other way shows.

The database refuses DELETE on the table except inside such a transaction: on PostgreSQL the
trigger lets it through only while the transaction-local setting ``tiaojie.audit_purge`` is
on; on SQLite while the guard row says so (set and cleared inside the same transaction).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.core.chain import purge_allowed
from tiaojie.core.errors import DomainError

from . import chain
from .models import AuditChainHead, AuditEntry, AuditKind
from .services import record


@dataclass(frozen=True)
class PurgeReport:
    deleted: int
    first_seq: int


def earliest_kept_date(today: dt.date | None = None) -> dt.date:
    """Entries from this day on are within the retention period and cannot be purged."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=settings.TIAOJIE_AUDIT_RETENTION_DAYS)


def purge_before(
    before: dt.date, *, today: dt.date | None = None, operator: str = ""
) -> PurgeReport:
    """Delete the entries written before ``before`` (local time); refuse younger ones."""
    limit = earliest_kept_date(today)
    if before > limit:
        raise DomainError(
            _(
                "Audit entries are kept for %(days)s days: the latest date to purge before "
                "is %(limit)s."
            )
            % {"days": settings.TIAOJIE_AUDIT_RETENTION_DAYS, "limit": limit.isoformat()},
            code="retention",
        )
    cutoff = dt.datetime.combine(before, dt.time.min, tzinfo=timezone.get_current_timezone())
    with transaction.atomic():
        head = chain.locked_head()
        _state, broken = chain.verify()
        if broken:
            raise DomainError(
                _("The audit log does not verify (%(problem)s); nothing was purged.")
                % {"problem": broken},
                code="broken_chain",
            )
        keep_from = chain.oldest_kept(cutoff)
        last_purged = keep_from - 1 if keep_from is not None else head.seq
        if last_purged < head.first_seq:
            return PurgeReport(deleted=0, first_seq=head.first_seq)
        anchor = AuditEntry.objects.values_list("hash", flat=True).get(seq=last_purged)
        _deletes_allowed(True)
        deleted, _by_model = AuditEntry.objects.filter(seq__lte=last_purged).delete()
        _deletes_allowed(False)
        AuditChainHead.objects.filter(pk=1).update(first_seq=last_purged + 1, anchor_hash=anchor)
        record(
            AuditKind.AUDIT_PURGE,
            detail={
                "before": before.isoformat(),
                "deleted": deleted,
                "first_seq": last_purged + 1,
                "anchor_hash": anchor,
                "operator": operator,
            },
            durable=False,  # the purge and its record commit together
        )
    return PurgeReport(deleted=deleted, first_seq=last_purged + 1)


def _deletes_allowed(allowed: bool) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('tiaojie.audit_purge', %s, true)", ["on" if allowed else "off"]
            )
    else:
        purge_allowed(allowed)
