"""The SQLite file of the demo and small centers: durable, and deleted data is overwritten."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from django.conf import settings


def test_every_connection_is_durable_and_overwrites_what_it_deletes(tmp_path: Path) -> None:
    # What settings.py runs on every SQLite connection, applied to a real file (the test
    # database may be PostgreSQL, or SQLite in memory where WAL does not apply).
    init = settings.SQLITE_INIT_COMMAND
    db = sqlite3.connect(tmp_path / "t.sqlite3")
    db.executescript(init)
    values = {
        pragma: db.execute(f"PRAGMA {pragma}").fetchone()[0]
        for pragma in ("journal_mode", "synchronous", "foreign_keys", "secure_delete")
    }
    assert values == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "secure_delete": 1,
    }

    secret = "一段已删除的调解笔记-7f3a"
    db.execute("CREATE TABLE notes (text TEXT)")
    db.execute("INSERT INTO notes VALUES (?)", (secret,))
    db.commit()
    db.execute("DELETE FROM notes")
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    assert secret.encode() not in (tmp_path / "t.sqlite3").read_bytes()
