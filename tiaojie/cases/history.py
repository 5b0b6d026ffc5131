"""The append-only, hash-chained case history: writing an event and verifying chains.

Each event's hash covers the previous event's hash and every field of the event, so editing,
deleting or reordering a row breaks the chain. The case row keeps the chain's head (count and
last hash), so cutting events off the end shows too. The database itself refuses UPDATE and
DELETE on the table (triggers, see migration 0003).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

from tiaojie.core.chain import GENESIS, canonical_time, chain_hash, plain_json

from .models import Case, CaseEvent


def event_hash(
    *,
    prev_hash: str,
    case_id: int,
    seq: int,
    action: str,
    actor_id: int | None,
    actor_unit_id: int | None,
    at: dt.datetime,
    from_status: str,
    to_status: str,
    reason: str,
    payload: dict[str, Any],
) -> str:
    return chain_hash(
        [
            prev_hash,
            case_id,
            seq,
            action,
            actor_id,
            actor_unit_id,
            canonical_time(at),
            from_status,
            to_status,
            reason,
            payload,
        ]
    )


def next_event(
    case: Case,
    *,
    action: str,
    actor_id: int | None,
    actor_unit_id: int | None,
    at: dt.datetime,
    from_status: str,
    to_status: str,
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> CaseEvent:
    """The next event of ``case`` (not yet saved), moving the case's chain head to it.

    The caller writes the case (with its new ``event_count`` and ``last_event_hash``) and the
    event in one transaction, the case first: its version check decides who may write.
    """
    payload = plain_json(payload)
    seq = case.event_count + 1
    prev = case.last_event_hash or GENESIS
    digest = event_hash(
        prev_hash=prev,
        case_id=case.pk,
        seq=seq,
        action=action,
        actor_id=actor_id,
        actor_unit_id=actor_unit_id,
        at=at,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        payload=payload,
    )
    event = CaseEvent(
        case=case,
        seq=seq,
        action=action,
        actor_id=actor_id,
        actor_unit_id=actor_unit_id,
        at=at,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        payload=payload,
        prev_hash=prev,
        hash=digest,
    )
    case.event_count = seq
    case.last_event_hash = digest
    return event


def append_event(case: Case, **fields: Any) -> CaseEvent:
    """Write the next event at once (registration: the case row is new, nobody races it)."""
    event = next_event(case, **fields)
    event.save(force_insert=True)
    return event


def append_notice(
    case: Case,
    *,
    action: str,
    actor_id: int | None,
    actor_unit_id: int | None,
    at: dt.datetime,
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> CaseEvent:
    """Write an event that changes nothing but the history (workflow.Notice: a rating, a
    whistle), moving the case's chain head and version on.

    ``case`` must be locked by the caller's transaction (``select_for_update``) and current:
    the version rises, so a page opened before this event is refused as stale.
    """
    event = next_event(
        case,
        action=action,
        actor_id=actor_id,
        actor_unit_id=actor_unit_id,
        at=at,
        from_status=case.status,
        to_status=case.status,
        reason=reason,
        payload=payload,
    )
    case.version += 1
    Case.objects.filter(pk=case.pk).update(
        version=case.version,
        event_count=case.event_count,
        last_event_hash=case.last_event_hash,
    )
    event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class BrokenLink:
    """The first place a case's chain does not hold, in words an auditor can act on."""

    case_code: str
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"case {self.case_code}, event {self.seq}: {self.problem}"


_FIELDS = (
    "case_id",
    "seq",
    "action",
    "actor_id",
    "actor_unit_id",
    "at",
    "from_status",
    "to_status",
    "reason",
    "payload",
    "prev_hash",
    "hash",
)


def _check_chain(
    case_code: str, head: tuple[int, str], events: list[dict[str, Any]]
) -> BrokenLink | None:
    prev = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        if event["seq"] != expected_seq:
            problem = (
                "events missing or out of order"
                if event["seq"] > expected_seq
                else "sequence repeats"
            )
            return BrokenLink(case_code, expected_seq, problem)
        if event["prev_hash"] != prev:
            return BrokenLink(case_code, event["seq"], "does not follow the event before it")
        recomputed = event_hash(
            prev_hash=event["prev_hash"],
            case_id=event["case_id"],
            seq=event["seq"],
            action=event["action"],
            actor_id=event["actor_id"],
            actor_unit_id=event["actor_unit_id"],
            at=event["at"],
            from_status=event["from_status"],
            to_status=event["to_status"],
            reason=event["reason"],
            payload=event["payload"],
        )
        if recomputed != event["hash"]:
            return BrokenLink(case_code, event["seq"], "content was changed after it was written")
        prev = event["hash"]
    count, last_hash = head
    if len(events) != count or (count and prev != last_hash):
        return BrokenLink(
            case_code, len(events) + 1, f"history ends early: the case records {count} events"
        )
    return None


def verify_case(case: Case) -> BrokenLink | None:
    events = list(CaseEvent.objects.filter(case=case).order_by("seq", "id").values(*_FIELDS))
    return _check_chain(case.code, (case.event_count, case.last_event_hash), events)


def verify_all(*, batch: int = 2000) -> Iterator[BrokenLink]:
    """Every broken chain, streaming through the table once in case order."""
    heads = {
        pk: (code, count, last)
        for pk, code, count, last in Case.objects.values_list(
            "pk", "code", "event_count", "last_event_hash"
        )
    }
    rows = (
        CaseEvent.objects.order_by("case_id", "seq", "id")
        .values(*_FIELDS)
        .iterator(chunk_size=batch)
    )
    seen: set[int] = set()
    for case_id, events in groupby(rows, key=itemgetter("case_id")):
        seen.add(case_id)
        code, count, last = heads[case_id]
        if broken := _check_chain(code, (count, last), list(events)):
            yield broken
    # Cases whose whole history is gone.
    for pk, (code, count, _last) in heads.items():
        if count and pk not in seen:
            yield BrokenLink(code, 1, f"history ends early: the case records {count} events")
