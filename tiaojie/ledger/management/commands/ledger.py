"""tiaojie ledger work [--every SECONDS] — run queued ledger checks and imports."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.ledger import services


class Command(BaseCommand):
    help = (
        "Run queued ledger checks and imports, and take over jobs whose process died "
        "(TIAOJIE_LEDGER_RUNNER=worker needs this running)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        work = sub.add_parser("work", help="run what is queued")
        work.add_argument(
            "--every", type=float, default=0, help="keep running, looking every N seconds"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        while True:
            if done := services.run_pending():
                self.stdout.write(f"ran {done} ledger jobs")
            if not opts["every"]:
                return
            time.sleep(opts["every"])
