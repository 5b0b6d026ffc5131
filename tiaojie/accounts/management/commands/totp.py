"""tiaojie totp USER — the user's current sign-in code, for the demo and development only."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tiaojie.accounts import two_factor
from tiaojie.accounts.models import User


class Command(BaseCommand):
    help = "Print a user's current TOTP code (demo and development only; refused in production)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **opts: Any) -> None:
        # A second factor the server operator can read off is no second factor.
        if settings.PRODUCTION:
            raise CommandError("tiaojie totp is for the demo and development, not production")
        user = User.objects.filter(username=opts["username"]).first()
        device = two_factor.confirmed_totp(user) if user else None
        if device is None:
            raise CommandError(f"{opts['username']!r} has no authenticator set up")
        self.stdout.write(two_factor.current_code(device))
