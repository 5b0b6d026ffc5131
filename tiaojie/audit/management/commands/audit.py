"""tiaojie audit purge --before DATE — remove audit entries older than the retention period."""

from __future__ import annotations

import datetime as dt
import getpass
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tiaojie.audit.purge import purge_before
from tiaojie.core.errors import DomainError


class Command(BaseCommand):
    help = "Maintain the security audit log."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        purge = sub.add_parser(
            "purge", help="delete entries written before a date (never inside the retention)"
        )
        purge.add_argument("--before", required=True, help="YYYY-MM-DD, local time")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            before = dt.date.fromisoformat(opts["before"])
        except ValueError:
            raise CommandError(
                f"--before must be a date YYYY-MM-DD, not {opts['before']!r}"
            ) from None
        try:
            # Who ran it on the server: the command line has no signed-in user.
            report = purge_before(before, operator=_operator())
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if report.deleted:
            self.stdout.write(
                f"purged {report.deleted} entries written before {before}; "
                f"the log now starts at entry {report.first_seq}"
            )
        else:
            self.stdout.write(f"no entries written before {before}: nothing purged")


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
