"""tiaojie demo — build the demo center (once) and print its accounts."""

from __future__ import annotations

import datetime as dt
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tiaojie.core import cache
from tiaojie.demo import catalogue
from tiaojie.demo.builder import DemoDataMissing, build_demo, demo_accounts


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date like 2026-11-26, not {value!r}") from None


class Command(BaseCommand):
    help = "Build the demo center (regions, units, staff, cases) once and print its accounts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--today",
            type=_date,
            help="the build day (default: today); fixes the open cases' dates",
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="fraction of the case volume (tests use less)"
        )
        parser.add_argument(
            "--data-dir",
            type=Path,
            help="folder with other region lists of 临渭区 "
            "(default: the lists shipped in tiaojie/regions/data)",
        )
        parser.add_argument("--no-accounts", action="store_true", help="do not print the accounts")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not 0 < opts["scale"] <= 1:
            raise CommandError("--scale must be above 0 and at most 1")
        started = time.monotonic()
        try:
            with transaction.atomic():
                result = build_demo(
                    today=opts["today"],
                    data_dir=opts["data_dir"],
                    scale=opts["scale"],
                    log=lambda message: self.stdout.write(f"  {message}"),
                )
                # The build writes in bulk (no signals): every process reads everything anew.
                # In the build's transaction, so the new versions commit with what it wrote.
                cache.bump_all()
        except DemoDataMissing as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
        if result.built:
            self.stdout.write(f"Demo built in {time.monotonic() - started:.1f} s: {counts}")
        else:
            self.stdout.write(f"Demo already present, kept as it is: {counts}")
        if not opts["no_accounts"]:
            self._print_accounts()

    def _print_accounts(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (every password: {catalogue.PASSWORD})")
        self.stdout.write(
            "After the password comes a six-digit code: run `.venv/bin/tiaojie totp USERNAME`,"
        )
        self.stdout.write("or add the account's TOTP secret (last column) to an authenticator app.")
        for account in demo_accounts():
            self.stdout.write(
                f"  {account.username:<20} {account.role:<10} {account.real_name:<5} "
                f"{account.unit:<16} {account.totp_secret}"
            )
