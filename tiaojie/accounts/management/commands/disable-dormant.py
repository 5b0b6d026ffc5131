"""tiaojie disable-dormant — disable accounts nobody signed in to for N days (等保 AC-2)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from tiaojie.accounts.services import disable_dormant, dormant_users


class Command(BaseCommand):
    help = (
        "Disable active accounts without a sign-in for TIAOJIE_DORMANT_DAYS days (or --days); "
        "`tiaojie sweep` does this too."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="instead of the setting")
        parser.add_argument("--dry-run", action="store_true", help="list them, change nothing")

    def handle(self, *args: Any, **opts: Any) -> None:
        days = settings.TIAOJIE_DORMANT_DAYS if opts["days"] is None else opts["days"]
        if days <= 0:
            self.stdout.write("Dormant accounts are not disabled (TIAOJIE_DORMANT_DAYS=0).")
            return
        if opts["dry_run"]:
            users = dormant_users(days=days)
            verb = "Would disable"
        else:
            users = disable_dormant(days=days)
            verb = "Disabled"
        for user in users:
            last = user.last_login.date().isoformat() if user.last_login else "never"
            self.stdout.write(f"{user.username} (last sign-in {last})")
        self.stdout.write(f"{verb} {len(users)} account(s) without a sign-in for {days} days.")
