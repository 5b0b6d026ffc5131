"""tiaojie verify-history — check every hash chain (case histories and the security audit log);
name the first broken link of each."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tiaojie.audit import chain as audit_chain
from tiaojie.cases.history import verify_all
from tiaojie.cases.models import Case, CaseEvent


class Command(BaseCommand):
    help = "Verify the tamper-evident history of every case and the security audit log."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--limit", type=int, default=20, help="print at most this many problems"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        broken = 0
        for link in verify_all():
            broken += 1
            if broken <= opts["limit"]:
                self.stderr.write(str(link))
        audit, audit_broken = audit_chain.verify()
        if audit_broken:
            broken += 1
            self.stderr.write(str(audit_broken))
        cases, events = Case.objects.count(), CaseEvent.objects.count()
        if broken:
            raise CommandError(f"{broken} broken chain(s) among {cases} cases and the audit log")
        self.stdout.write(f"history intact: {cases} cases, {events} events")
        start = f", from entry {audit.first_seq}" if audit.first_seq > 1 else ""
        self.stdout.write(f"audit log intact: {audit.entries} entries{start}")
