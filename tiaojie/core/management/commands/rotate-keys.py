"""tiaojie rotate-keys — re-encrypt personal data with the active (first) field key."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.core.crypto import active_key_id, reencrypt_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column with the first key of TIAOJIE_FIELD_KEYS. "
        "Run after putting a new key first; remove an old key only after this has finished."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="rows per transaction")

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(f"active key: {active_key_id()}")
        for column, count in reencrypt_all(batch=opts["batch"]).items():
            self.stdout.write(f"{column}: {count} re-encrypted")
