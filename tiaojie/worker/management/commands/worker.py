"""tiaojie worker — run queued work and the periodic sweep (one process; docs/worker.md)."""

from __future__ import annotations

import signal
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.worker.runner import Worker


class Command(BaseCommand):
    help = (
        "Run queued work (ledger imports, …) under a renewed lease, take over work whose "
        "process died, and run the periodic sweep every --sweep-every seconds."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--burst",
            action="store_true",
            help="sweep once, run what is queued, then exit (tests, cron)",
        )
        parser.add_argument(
            "--sweep-every",
            type=float,
            default=None,
            help="seconds between sweeps (default TIAOJIE_SWEEP_SECONDS; 0: no sweep)",
        )
        parser.add_argument(
            "--idle", type=float, default=1.0, help="seconds to wait when nothing is queued"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        worker = Worker(sweep_every=opts["sweep_every"], idle=opts["idle"], write=self._say)

        def stop(signum: int, frame: FrameType | None) -> None:
            # Finish the work in hand, then leave; a second signal leaves at once.
            worker.stopping = True
            signal.signal(signum, signal.SIG_DFL)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self._say(f"worker {worker.id} started")
        worker.work(burst=opts["burst"])

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
