"""Writing many rows with few statements: the bulk writers' shared SQL helpers.

``insert_rows`` inserts dicts of column values, converting each value as its field would
(personal data encrypted, times adapted), without building model instances. On SQLite it
uses ``executemany`` or multi-row VALUES; on PostgreSQL one array per column through
``unnest``, bound on the server in binary (``execute_binary``): Django's cursors bind on
the client, which spells every array out as quoted text first, and a statement with
thousands of placeholders costs the driver more to parse than to send.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

from .crypto import EncryptedTextField

Converter = Callable[[Any], Any]


def _converters(model: type[models.Model]) -> dict[str, Converter]:
    """Per column, what turns a Python value into what the database is sent.

    What each field's ``get_db_prep_save`` does, less its generic cost: text and numbers go
    as they are, times through the backend's adapter, personal data is encrypted.
    """
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: no proxy lookups per value
    result: dict[str, Converter] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        if isinstance(f, EncryptedTextField | models.JSONField):
            result[f.attname] = partial(f.get_db_prep_save, connection=db)
        elif isinstance(f, models.DateTimeField):
            result[f.attname] = _moments(db)
        else:
            result[f.attname] = _same
    return result


def _moments(db: Any) -> Converter:
    """The backend's datetime adapter, remembering its answers: ledgers repeat dates."""
    adapt = db.ops.adapt_datetimefield_value
    seen: dict[dt.datetime, Any] = {}

    def convert(value: dt.datetime | None) -> Any:
        if value is None:
            return None
        if (done := seen.get(value)) is None:
            done = seen[value] = adapt(value)
        return done

    return convert


def _same(value: Any) -> Any:
    return value


def clear_converters() -> None:
    """Forget the converters' memories of dates (a bulk writer calls this as it starts)."""
    _CONVERTERS.clear()


_CONVERTERS: dict[tuple[str, type[models.Model]], dict[str, Converter]] = {}


def execute_binary(sql: str, params: Sequence[Any], *, fetch: bool = False) -> list[Any]:
    """PostgreSQL only: run ``sql`` (``%b`` placeholders) bound on the server, in binary."""
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as raw:
        raw.execute(sql, params)
        return raw.fetchall() if fetch else []


def insert_rows(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    returning: bool = False,
    prepared: frozenset[str] = frozenset(),
    with_pk: bool = False,
) -> list[int]:
    """INSERT ``rows`` (attname → value, every column) into ``model``'s table; their ids.

    Many rows per statement (one round trip per few hundred rows), and where no ids are
    wanted on SQLite, ``executemany`` (its fastest path). Columns in ``prepared`` hold
    values already converted for the database.
    """
    if not rows:
        return []
    key = (connection.vendor, model)
    if key not in _CONVERTERS:
        _CONVERTERS[key] = _converters(model)
    converters = _CONVERTERS[key]
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    names = [f.attname for f in fields]
    converted = [
        (n, c) for n in names if (c := converters.get(n, _same)) is not _same and n not in prepared
    ]
    params = []
    for row in rows:
        row = {**row, **{n: convert(row[n]) for n, convert in converted}}
        params.append([row[n] for n in names])
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column or f.attname) for f in fields)
    head = f"INSERT INTO {qn(model._meta.db_table)} ({columns})"
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    ids: list[int] = []
    if connection.vendor == "postgresql":
        # One array per column; unnest keeps their order, and so does RETURNING.
        arrays = ", ".join(f"%b::{f.db_type(connection)}[]" for f in fields)
        sql = f"{head} SELECT * FROM unnest({arrays})"  # noqa: S608 - names from the model
        if returning:
            sql += f" RETURNING {qn('id')}"
        for start in range(0, len(params), 5000):
            chunk = params[start : start + 5000]
            columns_data = [[row[i] for row in chunk] for i in range(len(fields))]
            ids += [r[0] for r in execute_binary(sql, columns_data, fetch=returning)]
        return ids
    with connection.cursor() as cursor:
        if not returning:
            cursor.executemany(f"{head} VALUES {one}", params)
            return []
        per = max(1, min(1000, 30000 // len(fields)))
        for start in range(0, len(params), per):
            chunk = params[start : start + per]
            # The ids come back in the order of the VALUES, as Django's bulk_create relies on.
            sql = f"{head} VALUES {', '.join([one] * len(chunk))} RETURNING {qn('id')}"
            cursor.execute(sql, [value for row in chunk for value in row])
            ids += [r[0] for r in cursor.fetchall()]
    return ids


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys for ``model``'s table, nobody else's.

    PostgreSQL: from the table's sequence. SQLite: above both the highest id and the
    AUTOINCREMENT counter; safe because the caller's transaction holds the one write lock
    (and SQLite raises the counter itself when the rows go in).
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT max(coalesce((SELECT max(id) FROM "  # noqa: S608 - the model's table
            f"{connection.ops.quote_name(table)}), 0), coalesce((SELECT seq FROM "
            "sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        last = int(cursor.fetchone()[0])
    return list(range(last + 1, last + 1 + count))
