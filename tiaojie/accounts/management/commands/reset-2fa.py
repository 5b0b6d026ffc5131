"""tiaojie reset-2fa USER — a lost phone: remove the user's authenticator and backup codes."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tiaojie.accounts.models import User
from tiaojie.accounts.services import reset_two_factor


class Command(BaseCommand):
    help = "Remove a user's authenticator and backup codes; they set up a new one at sign-in."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = User.objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"no user {opts['username']!r}")
        reset_two_factor(user=user, actor=None)
        self.stdout.write(f"{user.username} sets up a new authenticator at the next sign-in.")
