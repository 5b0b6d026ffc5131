"""Retention: at least 180 days are kept; a purge keeps the chain verifiable and is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tiaojie.audit import chain
from tiaojie.audit.models import AuditChainHead, AuditEntry, AuditKind
from tiaojie.audit.purge import purge_before
from tiaojie.audit.services import record
from tiaojie.core import clock
from tiaojie.core.errors import DomainError

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def a_year_of_entries(db) -> list[AuditEntry]:
    """One entry a month for a year before TODAY."""
    written = []
    for months in range(12, 0, -1):
        with clock.set_to(at(TODAY - dt.timedelta(days=30 * months))):
            written.append(record(AuditKind.LOGIN, detail={"months_ago": months}))
    return written


def test_entries_younger_than_the_retention_are_refused(a_year_of_entries) -> None:
    with pytest.raises(DomainError, match="180") as refused:
        purge_before(TODAY - dt.timedelta(days=179), today=TODAY)
    assert refused.value.code == "retention"
    assert AuditEntry.objects.count() == 12


def test_a_purge_keeps_the_chain_verifiable_and_says_so(a_year_of_entries) -> None:
    before = TODAY - dt.timedelta(days=250)
    report = purge_before(before, today=TODAY, operator="ops")
    kept = [e for e in a_year_of_entries if e.at >= at(before) - dt.timedelta(hours=9)]
    assert report.deleted == 12 - len(kept)
    assert report.first_seq == kept[0].seq
    assert chain.verify()[1] is None
    purge = AuditEntry.objects.get(kind=AuditKind.AUDIT_PURGE)
    assert purge.detail == {
        "before": before.isoformat(),
        "deleted": report.deleted,
        "first_seq": report.first_seq,
        "anchor_hash": a_year_of_entries[report.deleted - 1].hash,
        "operator": "ops",
    }
    head = AuditChainHead.objects.get()
    assert (head.first_seq, head.anchor_hash) == (report.first_seq, purge.detail["anchor_hash"])
    # A second purge goes on from the first one's anchor.
    report2 = purge_before(TODAY - dt.timedelta(days=200), today=TODAY)
    assert report2.deleted == 2  # 240 and 210 days old; the first purge's entry is young
    assert report2.first_seq == report.first_seq + 2
    assert chain.verify()[1] is None


def test_nothing_old_enough_purges_nothing(a_year_of_entries) -> None:
    report = purge_before(TODAY - dt.timedelta(days=400), today=TODAY)
    assert report.deleted == 0
    assert not AuditEntry.objects.filter(kind=AuditKind.AUDIT_PURGE).exists()


def test_a_broken_log_is_never_purged(a_year_of_entries) -> None:
    with clock.set_to(at(TODAY)):
        AuditChainHead.objects.update(last_hash="f" * 64)
    with pytest.raises(DomainError, match="log ends early") as refused:
        purge_before(TODAY - dt.timedelta(days=200), today=TODAY)
    assert refused.value.code == "broken_chain"
    assert AuditEntry.objects.count() == 12


def test_the_command_refuses_young_dates(a_year_of_entries) -> None:
    with pytest.raises(CommandError, match="180"):
        call_command("audit", "purge", "--before", timezone.localdate().isoformat())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("audit", "purge", "--before", "yesterday")


def test_the_command_purges_old_entries(db, capsys) -> None:
    today = timezone.localdate()
    for days_ago in (300, 10):
        with clock.set_to(at(today - dt.timedelta(days=days_ago))):
            record(AuditKind.LOGIN)
    before = today - dt.timedelta(days=200)
    call_command("audit", "purge", "--before", before.isoformat())
    assert "purged 1 entries" in capsys.readouterr().out
    assert chain.verify()[1] is None
    call_command("audit", "purge", "--before", before.isoformat())
    assert "nothing purged" in capsys.readouterr().out
