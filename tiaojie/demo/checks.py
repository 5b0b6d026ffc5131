"""System check: a production database holds no demo data and no default accounts.

It lives with the demo it knows (its accounts and published password) and is registered when
the demo app is ready: accounts, a lower layer, knows nothing of the demo. Runs when the check
has a database (``tiaojie migrate``, ``tiaojie check --database default``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.checks import Error, Tags, Warning, register

from tiaojie.demo import catalogue as cat

# Names an attacker tries first; a real center names its administrators after people.
DEFAULT_USERNAMES = frozenset({"admin", "administrator", "root", "test", "guest", "demo", "user"})


def _demo_usernames() -> set[str]:
    names = {username for username, *_rest in cat.DISTRICT_ACCOUNTS}
    for slug, _town in cat.PILOT_TOWNS.values():
        names |= {f"{slug}_{suffix}" for suffix, *_rest in cat.TOWN_ACCOUNTS}
        names.add(f"{slug}_grid")
    return names


@register(Tags.security, Tags.database)
def no_default_accounts(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list:
    if not settings.PRODUCTION or not databases or "default" not in databases:
        return []
    from tiaojie.accounts.models import User
    from tiaojie.core.models import DemoMarker

    problems: list[Any] = []
    if DemoMarker.objects.exists():
        problems.append(
            Error(
                "This production database holds the demo center.",
                hint="Production starts from an empty database (docs/deploy.md).",
                id="tiaojie.E101",
            )
        )
    suspects = User.objects.filter(
        is_active=True, username__in=_demo_usernames() | DEFAULT_USERNAMES
    )
    for user in suspects:
        if check_password(cat.PASSWORD, user.password):
            problems.append(
                Error(
                    f"Account {user.username!r} has the published demo password.",
                    hint="Disable it or reset its password (docs/security.md).",
                    id="tiaojie.E102",
                )
            )
        elif user.username in DEFAULT_USERNAMES:
            problems.append(
                Warning(
                    f"Account {user.username!r} has a default name that attackers try first.",
                    hint="Give administrators personal accounts and disable this one.",
                    id="tiaojie.W101",
                )
            )
    return problems
