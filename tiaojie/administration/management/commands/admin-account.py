"""tiaojie admin-account — set up or switch off an administrator account on the server.

The three administrator roles (三员分立) are never given on the web screens, so that no
administrator can create, change or silence another: whoever runs commands on the server
sets them up, once per person, and the security audit log records it.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import ADMIN_ROLES
from tiaojie.accounts.services import role_groups
from tiaojie.administration.services import temporary_password


class Command(BaseCommand):
    help = "Create an administrator account (or switch one off) with one of the admin roles."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=sorted(ADMIN_ROLES))
        parser.add_argument("--real-name", default="")
        parser.add_argument("--off", action="store_true", help="switch the account off")

    def handle(self, *args: Any, **opts: Any) -> None:
        username, role = opts["username"], opts["role"]
        user = User.objects.filter(username=username).first()
        if opts["off"]:
            if user is None or role not in user.role_codes:
                raise CommandError(f"{username} is not a {role} account")
            user.is_active = False
            user.save(update_fields=["is_active"])
            self.stdout.write(f"{username} switched off")
            return
        if user is not None and user.role_codes - {role}:
            raise CommandError(f"{username} already holds other roles; use a separate account")
        password = temporary_password()
        with transaction.atomic():
            if user is None:
                user = User(username=username, real_name=opts["real_name"] or username)
            user.is_active = True
            user.set_password(password)
            user.save()
            user.groups.set([role_groups()[role]])
        self.stdout.write(f"{username} ({role}) temporary password: {password}")
        self.stdout.write("It must be changed at first sign-in. It is not shown again.")
