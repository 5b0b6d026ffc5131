"""The audit log as CSV, streamed row by row (a half year of sign-ins is a long file)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEntry, AuditKind, AuditOutcome

HEADER = [
    "seq",
    "time",
    "kind",
    "outcome",
    "user_id",
    "username",
    "unit",
    "ip",
    "user_agent",
    "target_type",
    "target",
    "detail",
    "hash",
]


class _Line:
    """A file-like object whose write returns the line, for csv.writer to hand back."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet would run a cell starting with these as a formula (CSV injection): a
    # user name typed at a failed sign-in is anybody's text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_lines(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff"  # the byte-order mark that makes spreadsheet programs read UTF-8
    yield writer.writerow(HEADER)
    kinds, outcomes = dict(AuditKind.choices), dict(AuditOutcome.choices)
    for e in entries.iterator(chunk_size=2000):
        yield writer.writerow(
            _cell(v)
            for v in (
                e.seq,
                timezone.localtime(e.at).isoformat(timespec="seconds"),
                f"{e.kind} {kinds.get(e.kind, '')}",
                f"{e.outcome} {outcomes.get(e.outcome, '')}",
                e.actor_id,
                e.username,
                e.unit_name,
                e.ip,
                e.user_agent,
                e.target_type,
                e.target_id,
                json.dumps(e.detail, ensure_ascii=False, sort_keys=True),
                e.hash,
            )
        )
