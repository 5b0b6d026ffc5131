"""The demo center: reproducible, built once, and shaped like 临渭区's real figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tiaojie.accounts.models import GridMember, Notification, SmsMessage, Unit, User
from tiaojie.cases.models import Assignment, Case, CaseCodeSequence, CaseEvent, Party, Person
from tiaojie.core.chain import purge_allowed
from tiaojie.core.models import DemoMarker
from tiaojie.demo.builder import build_demo, data_digest
from tiaojie.regions.models import Region

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)


def wipe() -> None:
    """Empty every table the demo fills, the append-only history included."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks count as pending trigger events; run them first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE cases_caseevent DISABLE TRIGGER cases_caseevent_append_only"
            )
        purge_allowed(True)
        try:
            CaseEvent.objects.all().delete()
        finally:
            purge_allowed(False)
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(
                    "ALTER TABLE cases_caseevent ENABLE TRIGGER cases_caseevent_append_only"
                )
    Notification.objects.all().delete()
    SmsMessage.objects.all().delete()
    Assignment.objects.all().delete()
    Party.objects.all().delete()
    Case.objects.update(merged_into=None)
    Case.objects.all().delete()
    Person.objects.all().delete()
    GridMember.objects.all().delete()
    User.objects.all().delete()
    Unit.objects.update(parent=None, stationed_at=None, stationing="")
    Unit.objects.all().delete()
    Region.objects.update(parent=None)
    Region.objects.all().delete()
    CaseCodeSequence.objects.all().delete()
    DemoMarker.objects.all().delete()


def test_a_bare_clone_builds_the_same_center_from_the_same_seed(settings, tmp_path: Path) -> None:
    # No research data beside the clone: the region lists ship in the package.
    settings.TIAOJIE_DATA_DIR = tmp_path
    call_command("demo", "--today", TODAY.isoformat(), "--scale", "0.03", "--no-accounts")
    first = DemoMarker.objects.get().digest
    wipe()
    second = build_demo(today=TODAY, scale=0.03)
    assert second.built
    assert second.digest == first == data_digest()


def test_a_second_run_keeps_the_data_as_it_is() -> None:
    build_demo(today=TODAY, scale=0.03)
    # Someone works in the demo; the next start must not undo it.
    case = Case.objects.order_by("code").first()
    assert case is not None
    Case.objects.filter(pk=case.pk).update(title="演示中修改过的标题")
    counts = (Case.objects.count(), User.objects.count(), Region.objects.count())
    again = build_demo(today=TODAY + dt.timedelta(days=3), scale=0.03)
    assert not again.built
    assert (Case.objects.count(), User.objects.count(), Region.objects.count()) == counts
    assert Case.objects.get(pk=case.pk).title == "演示中修改过的标题"


def test_the_demo_is_not_built_into_a_database_with_real_data(world) -> None:
    from tiaojie.demo.builder import DemoDataMissing

    with pytest.raises(DemoDataMissing, match="already holds"):
        build_demo(today=TODAY, scale=0.03)


def test_a_folder_given_without_the_region_lists_gets_a_clear_error(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"linwei_610502_towns\.csv.* not found"):
        call_command("demo", "--data-dir", str(tmp_path), "--no-accounts")
    assert not Region.objects.exists()
