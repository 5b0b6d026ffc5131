"""The test database shared with `tiaojie worker` processes started by a test.

PostgreSQL: the processes connect to the test database itself. SQLite: the test database
lives in this process's memory, so it is copied to a file the processes open, and copied
back when they are done (``bring_back``), for the test to read with the ORM.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


class SharedDatabase:
    """Start workers on the test database and look at it while they run."""

    def __init__(self, tmp_path: Path, **env: str) -> None:
        self.file: Path | None = None
        if connection.vendor == "postgresql":
            db = connection.settings_dict
            url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        else:
            self.file = tmp_path / "shared.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()
            url = f"sqlite:///{self.file}"
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "TIAOJIE_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **env,
        }
        self.started: list[subprocess.Popen[str]] = []

    def worker(self, *args: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(  # noqa: S603 - our own command, with the test's settings
            [sys.executable, "-m", "tiaojie", "worker", *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.started.append(process)
        return process

    def value(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        """The first column of the first row (``%s`` placeholders), as the workers see it."""
        if self.file is None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                row = cursor.fetchone()
        else:
            with sqlite3.connect(self.file, timeout=30) as db:
                row = db.execute(sql.replace("%s", "?"), params).fetchone()
        return row[0] if row else None

    def wait_for(self, check: Callable[[], bool], *, timeout: float = 120) -> None:
        end = time.monotonic() + timeout
        while not check():
            for p in self.started:
                assert p.poll() is None, p.stdout.read() if p.stdout else p.returncode
            assert time.monotonic() < end, "waited too long"
            time.sleep(0.05)

    def bring_back(self) -> None:
        """Let the ORM of this test read what the workers wrote (SQLite: copy it back)."""
        if self.file is not None:
            source = sqlite3.connect(self.file)
            source.backup(connection.connection)
            source.close()

    def stop_all(self) -> None:
        for p in self.started:
            if p.poll() is None:
                p.kill()
                p.wait()
