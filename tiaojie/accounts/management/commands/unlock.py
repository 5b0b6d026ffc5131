"""tiaojie unlock USER — lift a sign-in lockout (the command line's operator is trusted)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.accounts.services import unlock_user


class Command(BaseCommand):
    help = "Lift the lockout of a user name after too many failed sign-ins."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **opts: Any) -> None:
        cleared = unlock_user(username=opts["username"], actor=None)
        if cleared:
            self.stdout.write(f"Unlocked {opts['username']} ({cleared} failure record(s) cleared).")
        else:
            self.stdout.write(f"{opts['username']} was not locked.")
