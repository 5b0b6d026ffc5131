"""Accounts nobody signed in to for 90 days are disabled by the sweeper (等保 AC-2).

Disabled like any other: sessions end at once, and the audit log says the system did it and
why. The number of days is a setting; the demo's shared accounts are never dormant.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from tiaojie.accounts.models import User, UserSession
from tiaojie.accounts.roles import Role
from tiaojie.accounts.services import disable_dormant
from tiaojie.accounts.testing import StaffClient
from tiaojie.audit.models import AuditEntry, AuditKind
from tiaojie.core.models import DemoMarker

pytestmark = pytest.mark.django_db


def _last_signed_in(user: User, days_ago: int | None, *, joined_days_ago: int = 400) -> User:
    now = timezone.now()
    user.date_joined = now - dt.timedelta(days=joined_days_ago)
    user.last_login = None if days_ago is None else now - dt.timedelta(days=days_ago)
    user.save(update_fields=["date_joined", "last_login"])
    return user


@pytest.fixture
def staff(world) -> dict[str, User]:
    return {
        "away": _last_signed_in(world.user("away", world.center_a, Role.WINDOW_CLERK), 91),
        "recent": _last_signed_in(world.user("recent", world.center_a, Role.MEDIATOR), 89),
        "never": _last_signed_in(world.user("never", world.hrss, Role.HANDLER), None),
        "new": _last_signed_in(
            world.user("new", world.hrss, Role.HANDLER), None, joined_days_ago=3
        ),
    }


def _active(*names: str) -> set[str]:
    return set(
        User.objects.filter(username__in=names, is_active=True).values_list("username", flat=True)
    )


def test_the_sweep_disables_accounts_without_a_sign_in_for_90_days(staff) -> None:
    session = StaffClient()
    session.force_login(staff["away"])  # a session left open from long ago
    _last_signed_in(staff["away"], 91)

    call_command("sweep")

    assert _active("away", "recent", "never", "new") == {"recent", "new"}
    assert not UserSession.objects.filter(user=staff["away"]).exists()
    assert session.get("/workbench/").status_code == 302  # signed out


def test_each_disabled_account_is_audited_once_as_done_by_the_system(staff) -> None:
    disabled = disable_dormant()
    assert disable_dormant() == []  # a second sweep finds nothing more to do

    assert sorted(u.username for u in disabled) == ["away", "never"]
    entries = AuditEntry.objects.filter(kind=AuditKind.USER_DEACTIVATED).order_by("seq")
    assert [(e.target_id, e.actor_id, e.detail["reason"]) for e in entries] == [
        (str(staff["away"].pk), None, "dormant"),
        (str(staff["never"].pk), None, "dormant"),
    ]
    assert entries[0].detail["inactive_days"] == 91


def test_the_number_of_days_is_a_setting_and_zero_switches_it_off(staff, settings) -> None:
    settings.TIAOJIE_DORMANT_DAYS = 0
    assert disable_dormant() == []
    settings.TIAOJIE_DORMANT_DAYS = 30
    assert sorted(u.username for u in disable_dormant()) == ["away", "never", "recent"]


def test_a_demo_database_keeps_its_shared_accounts(staff) -> None:
    DemoMarker.objects.create(seed=1, version="test")
    assert disable_dormant() == []
    assert _active("away", "never") == {"away", "never"}


def test_the_command_lists_them_first_with_dry_run(staff, capsys) -> None:
    call_command("disable-dormant", "--dry-run")
    out = capsys.readouterr().out
    assert "away (last sign-in" in out and "never (last sign-in never)" in out
    assert "Would disable 2 account(s) without a sign-in for 90 days." in out
    assert _active("away", "never") == {"away", "never"}

    call_command("disable-dormant", "--days", "80")
    assert "Disabled 3 account(s)" in capsys.readouterr().out
    assert _active("away", "recent", "never", "new") == {"new"}
