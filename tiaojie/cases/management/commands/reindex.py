"""tiaojie reindex — rebuild the case search index (after migrating, or after a bulk load)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.cases.search import reindex_cases


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every case."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--batch", type=int, default=2000, help="cases per transaction (default 2000)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        start = time.perf_counter()
        count = reindex_cases(batch=max(1, opts["batch"]))
        self.stdout.write(f"indexed {count} cases in {time.perf_counter() - start:.1f} s")
