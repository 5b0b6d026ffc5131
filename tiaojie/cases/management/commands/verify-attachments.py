"""tiaojie verify-attachments — check that the attachment rows and the files on disk agree."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tiaojie.cases.attachments import verify_files
from tiaojie.cases.models import Attachment


class Command(BaseCommand):
    help = "Verify every attached file against its row and its event (run after a restore)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--limit", type=int, default=20, help="print at most this many problems"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        problems = 0
        for problem in verify_files():
            problems += 1
            if problems <= opts["limit"]:
                self.stderr.write(problem)
        count = Attachment.objects.count()
        if problems:
            raise CommandError(f"{problems} problem(s) with {count} attachments")
        self.stdout.write(f"attachments intact: {count} files")
