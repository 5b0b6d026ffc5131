"""tiaojie sweep — run every step of the periodic sweep once (`tiaojie worker` repeats it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.worker.runner import sweep


class Command(BaseCommand):
    help = (
        "Run the periodic sweep once: remind, supervise and escalate cases by their deadlines, "
        "mark missed whistle check-ins, register machine intake, send queued text messages, "
        "disable dormant accounts (each app registers its step; docs/worker.md)."
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write("; ".join(sweep()))
