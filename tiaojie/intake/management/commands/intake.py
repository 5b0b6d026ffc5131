"""tiaojie intake add|list|rotate|off|process — machine channels and their queue."""

from __future__ import annotations

import secrets
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tiaojie.accounts.models import Unit
from tiaojie.intake import services
from tiaojie.intake.models import SYSTEM_CHANNELS, IntakeSource
from tiaojie.regions.models import Region


class Command(BaseCommand):
    help = "Register a sending system and print its shared secret, list them, or rotate one."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="register a source; prints its secret once")
        add.add_argument("code")
        add.add_argument("name")
        add.add_argument("--channel", required=True, choices=[c.value for c in SYSTEM_CHANNELS])
        add.add_argument("--unit", required=True, help="receiving unit (name)")
        add.add_argument("--region", required=True, help="default place (division code)")
        sub.add_parser("list", help="list sources (never their secrets)")
        rotate = sub.add_parser("rotate", help="give a source a new secret; prints it once")
        rotate.add_argument("code")
        off = sub.add_parser("off", help="refuse everything from a source from now on")
        off.add_argument("code")
        process = sub.add_parser(
            "process", help="register the cases of received requests (once; the worker repeats it)"
        )
        process.add_argument(
            "--every", type=float, default=0, help="keep running: an alias of `tiaojie worker`"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        if action == "process":
            if opts["every"]:
                # `tiaojie worker` registers received requests every two seconds (its sweep).
                call_command("worker", stdout=self.stdout)
                return
            self.stdout.write(f"registered {services.process()} cases")
            return
        if action == "list":
            for s in IntakeSource.objects.select_related("unit", "region").order_by("code"):
                state = "active" if s.is_active else "off"
                self.stdout.write(f"{s.code}\t{s.channel}\t{s.unit}\t{s.region.code}\t{state}")
            return
        if action == "add":
            unit = Unit.objects.filter(name=opts["unit"]).first()
            region = Region.objects.filter(code=opts["region"]).first()
            if unit is None or region is None:
                raise CommandError("unknown unit or region")
            if IntakeSource.objects.filter(code=opts["code"]).exists():
                raise CommandError(f"source {opts['code']} exists; use rotate")
            secret = secrets.token_urlsafe(32)
            IntakeSource.objects.create(
                code=opts["code"],
                name=opts["name"],
                channel=opts["channel"],
                secret=secret,
                unit=unit,
                region=region,
            )
            self.stdout.write(f"secret for {opts['code']}: {secret}")
            return
        source = IntakeSource.objects.filter(code=opts["code"]).first()
        if source is None:
            raise CommandError(f"no source {opts['code']}")
        if action == "off":
            source.is_active = False
            source.save(update_fields=["is_active", "updated_at"])
            self.stdout.write(f"{source.code} switched off")
        else:
            source.secret = secrets.token_urlsafe(32)
            source.save(update_fields=["secret", "updated_at"])
            self.stdout.write(f"new secret for {source.code}: {source.secret}")
