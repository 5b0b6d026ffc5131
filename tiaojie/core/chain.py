"""What the hash-chained, append-only tables share: case history and the security audit log.

A row's hash is the SHA-256 of a canonical JSON list that starts with the previous row's hash,
so editing, deleting or reordering rows breaks the chain. The database refuses UPDATE and
DELETE on such tables with triggers (see the migrations that use ``per_vendor``); on SQLite a
one-row guard table lets DELETE through while it says so (test flushes, retention purges).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from functools import cache
from typing import Any

from django.db import connection, models

GENESIS = "0" * 64


def canonical_time(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def chain_hash(values: list[Any]) -> str:
    """The hash of one row: ``values`` starts with the previous row's hash."""
    body = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def plain_json(value: dict[str, Any] | None) -> dict[str, Any]:
    """``value`` as the database will give it back: the hash must cover exactly that."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str)) if value else {}


@cache
def _insert_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def insert_row(row: models.Model) -> None:
    """INSERT one row with hand-built SQL: cheaper than the ORM's compiler on hot paths.

    Values still go through each field's own conversion, exactly as with the ORM.
    """
    model = type(row)
    fields = _insert_fields(model)
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column or f.attname) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    params = [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", params)  # noqa: S608


def purge_allowed(allowed: bool) -> None:
    """Open or close the guard that lets DELETE through on SQLite (test flushes, retention).

    UPDATE is never allowed. PostgreSQL's TRUNCATE, which the test runner uses, does not fire
    row triggers, so there the guard is not needed; the audit log's purge uses a transaction
    setting there instead (tiaojie/audit/purge.py).
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tiaojie_history_guard SET purge_allowed = %s", [1 if allowed else 0])


def per_vendor(statements: dict[str, list[str]]) -> Callable[[Any, Any], None]:
    """A RunPython step that executes the SQL listed for the database in use."""

    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)  # None: no %-placeholders in plpgsql

    return run
