"""tiaojie ledger work — kept as an alias: `tiaojie worker` runs ledger jobs (docs/worker.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run queued work without the sweep; an alias of `tiaojie worker --sweep-every 0`."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        work = sub.add_parser("work", help="run what is queued (then exit, unless --every)")
        work.add_argument(
            "--every", type=float, default=0, help="keep running, looking every N seconds"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        every = opts["every"]
        call_command(
            "worker", burst=not every, sweep_every=0, idle=every or 1.0, stdout=self.stdout
        )
