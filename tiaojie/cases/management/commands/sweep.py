"""tiaojie sweep — act on due and overdue cases; --every N keeps it running as a worker."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from tiaojie.accounts.notify import send_pending
from tiaojie.accounts.services import disable_dormant
from tiaojie.cases.sweeper import sweep
from tiaojie.whistles.services import sweep as sweep_whistles


class Command(BaseCommand):
    help = (
        "Remind, supervise and escalate cases by their deadlines; mark missed whistle "
        "check-ins; send queued text messages; disable dormant accounts."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--every", type=int, default=0, help="run again every N seconds (a periodic worker)"
        )
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **opts: Any) -> None:
        while True:
            report = sweep(batch=opts["batch"])
            whistles = sweep_whistles(batch=opts["batch"])
            sent = send_pending()
            dormant = len(disable_dormant())
            self.stdout.write(
                f"{report}; {whistles}; text messages sent {sent}; "
                f"dormant accounts disabled {dormant}"
            )
            if not opts["every"]:
                return
            close_old_connections()
            time.sleep(opts["every"])
