"""The audit log's hash chain: appending under a lock, and verifying the whole log.

One global chain, not one per day: the log is small (logins, exports, admin changes — not
case work), a single order is what an auditor reads, and a per-day chain would let a whole
day vanish unless the days were chained to each other anyway. Appends serialise on the head
row (SELECT … FOR UPDATE on PostgreSQL; SQLite has one writer at a time already), so two
concurrent appends can never take the same place: the chain does not fork.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from tiaojie.core import clock
from tiaojie.core.chain import GENESIS, canonical_time, chain_hash, insert_row, plain_json

from .models import AuditChainHead, AuditEntry, AuditKind

_HASHED = (
    "seq",
    "at",
    "kind",
    "outcome",
    "actor_id",
    "username",
    "unit_id",
    "unit_name",
    "ip",
    "user_agent",
    "target_type",
    "target_id",
    "detail",
)


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    values = [fields[name] for name in _HASHED]
    values[1] = canonical_time(fields["at"])
    return chain_hash([prev_hash, *values])


def locked_head() -> AuditChainHead:
    """The head row, locked until the surrounding transaction ends (created if missing)."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # The migration creates it; a test flush removes it. Two first writers: one insert
        # wins, the other waits for it and then takes the lock in turn.
        AuditChainHead.objects.bulk_create([AuditChainHead(pk=1)], ignore_conflicts=True)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def append(**fields: Any) -> AuditEntry:
    """Write the next entry (every field but seq, at and the hashes) in the caller's transaction."""
    with transaction.atomic():
        head = locked_head()
        values = {
            **fields,
            "seq": head.seq + 1,
            "at": clock.now(),
            "detail": plain_json(fields.get("detail")),
        }
        digest = entry_hash(head.last_hash, values)
        entry = AuditEntry(**values, prev_hash=head.last_hash, hash=digest)
        insert_row(entry)
        AuditChainHead.objects.filter(pk=1).update(seq=entry.seq, last_hash=digest)
    return entry


@dataclass(frozen=True)
class BrokenAuditLink:
    """The first place the audit chain does not hold."""

    seq: int
    problem: str

    def __str__(self) -> str:
        return f"audit log, entry {self.seq}: {self.problem}"


@dataclass(frozen=True)
class AuditChainState:
    entries: int
    first_seq: int
    last_seq: int


def verify(*, batch: int = 2000) -> tuple[AuditChainState, BrokenAuditLink | None]:
    """Walk the chain once in order; the first broken link, if any."""
    head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead(pk=1)
    rows = (
        AuditEntry.objects.order_by("seq")
        .values(*_HASHED, "prev_hash", "hash")
        .iterator(chunk_size=batch)
    )
    expected, prev = head.first_seq, head.anchor_hash
    last_purge: dict[str, Any] | None = None
    broken: BrokenAuditLink | None = None
    count = 0
    for row in rows:
        count += 1
        if broken:
            continue
        if row["seq"] != expected:
            problem = (
                "entries missing or out of order"
                if row["seq"] > expected
                else "entry before the start the log records"
            )
            broken = BrokenAuditLink(expected, problem)
        elif row["prev_hash"] != prev:
            broken = BrokenAuditLink(row["seq"], "does not follow the entry before it")
        elif entry_hash(row["prev_hash"], row) != row["hash"]:
            broken = BrokenAuditLink(row["seq"], "content was changed after it was written")
        else:
            if row["kind"] == AuditKind.AUDIT_PURGE:
                last_purge = row["detail"]
            prev = row["hash"]
            expected += 1
    state = AuditChainState(count, head.first_seq, head.seq)
    if broken:
        return state, broken
    if expected - 1 != head.seq or prev != head.last_hash:
        return state, BrokenAuditLink(
            expected, f"log ends early: the head records {head.seq} entries"
        )
    # Where the log starts must be what the last purge (itself in the chain) wrote down.
    start: tuple[object, object] = (1, GENESIS)
    if last_purge is not None:
        start = (last_purge.get("first_seq"), last_purge.get("anchor_hash"))
    if (head.first_seq, head.anchor_hash) != start:
        return state, BrokenAuditLink(
            head.first_seq, "the log's start was moved without a recorded purge"
        )
    return state, None


def oldest_kept(cutoff: dt.datetime) -> int | None:
    """The seq of the first entry written at or after ``cutoff`` (None: all are older)."""
    return (
        AuditEntry.objects.filter(at__gte=cutoff)
        .order_by("seq")
        .values_list("seq", flat=True)
        .first()
    )
