"""In production the system check refuses the demo center and its published password."""

from __future__ import annotations

import pytest

from tiaojie.accounts.roles import Role
from tiaojie.core.models import DemoMarker
from tiaojie.demo import catalogue
from tiaojie.demo.checks import no_default_accounts

pytestmark = pytest.mark.django_db


def test_production_refuses_demo_and_default_accounts(world, settings) -> None:
    from django.contrib.auth.hashers import make_password

    admin = world.user("admin", world.center, Role.SYSADMIN)
    world.user("center_clerk", world.center, Role.WINDOW_CLERK, password=catalogue.PASSWORD)
    assert no_default_accounts(databases=["default"]) == []  # development: not checked
    settings.PRODUCTION = True
    assert no_default_accounts() == []  # no database given: nothing to look at
    found = {p.id: p.msg for p in no_default_accounts(databases=["default"])}
    assert set(found) == {"tiaojie.E102", "tiaojie.W101"}
    assert "center_clerk" in found["tiaojie.E102"]
    assert "admin" in found["tiaojie.W101"]
    DemoMarker.objects.create(seed=1, version="1", digest="x")
    admin.password = make_password(catalogue.PASSWORD)
    admin.save()
    ids = sorted(p.id for p in no_default_accounts(databases=["default"]))
    assert ids == ["tiaojie.E101", "tiaojie.E102", "tiaojie.E102"]
