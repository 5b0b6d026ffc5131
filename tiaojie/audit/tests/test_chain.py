"""The audit log is tamper-evident, the database refuses to change it, and verify finds breaks."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from tiaojie.audit import chain
from tiaojie.audit.models import AuditChainHead, AuditEntry, AuditKind, AuditOutcome
from tiaojie.audit.services import record
from tiaojie.core.chain import purge_allowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(world) -> list[AuditEntry]:
    """Five entries after whatever the world's set-up wrote."""
    auditor = world.user("auditor", world.center)
    written = [
        record(AuditKind.LOGIN, actor=auditor),
        record(AuditKind.EXPORT, actor=auditor, detail={"rows": 12}),
        record(AuditKind.LOGIN_FAILED, outcome=AuditOutcome.FAILURE, detail={"username": "x"}),
        record(AuditKind.CONFIG_CHANGED, actor=auditor, detail={"action": "changed"}),
        record(AuditKind.LOGOUT, actor=auditor),
    ]
    return written


@contextmanager
def _triggers_off() -> Iterator[None]:
    """Play the attacker who writes to the database directly (rolled back with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for trigger in (
                "audit_auditentry_no_update",
                "audit_auditentry_no_delete",
                "audit_head_forward_only",
            ):
                cursor.execute(f"DROP TRIGGER {trigger}")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE audit_auditchainhead DISABLE TRIGGER USER")
    yield


def _sql(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def _broken() -> chain.BrokenAuditLink | None:
    return chain.verify()[1]


def test_an_untouched_log_verifies(entries) -> None:
    state, broken = chain.verify()
    assert broken is None
    assert state.entries == AuditEntry.objects.count() >= 5
    head = AuditChainHead.objects.get()
    assert head.seq == entries[-1].seq and head.last_hash == entries[-1].hash
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def test_each_entry_follows_the_one_before(entries) -> None:
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
        assert after.seq == before.seq + 1


def test_the_database_refuses_to_update_an_entry(entries) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("UPDATE audit_auditentry SET outcome = 'success' WHERE seq = %s", [entries[2].seq])


def test_the_database_refuses_to_delete_an_entry(entries) -> None:
    purge_allowed(False)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("DELETE FROM audit_auditentry WHERE seq = %s", [entries[0].seq])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=entries[0].seq).delete()


def test_the_database_refuses_to_move_the_head_back(entries) -> None:
    with pytest.raises(DatabaseError, match="forward"), transaction.atomic():
        AuditChainHead.objects.update(seq=entries[1].seq)


def test_an_edited_entry_is_found(entries) -> None:
    with _triggers_off():
        _sql("UPDATE audit_auditentry SET outcome = 'success' WHERE seq = %s", [entries[2].seq])
    broken = _broken()
    assert broken is not None and broken.seq == entries[2].seq and "changed" in broken.problem


def test_a_deleted_entry_is_found(entries) -> None:
    with _triggers_off():
        _sql("DELETE FROM audit_auditentry WHERE seq = %s", [entries[1].seq])
    broken = _broken()
    assert broken is not None and broken.seq == entries[1].seq and "missing" in broken.problem


def test_reordered_entries_are_found(entries) -> None:
    a, b = entries[1].seq, entries[2].seq
    with _triggers_off():
        _sql("UPDATE audit_auditentry SET seq = 999999 WHERE seq = %s", [a])
        _sql("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [a, b])
        _sql("UPDATE audit_auditentry SET seq = %s WHERE seq = 999999", [b])
    broken = _broken()
    assert broken is not None and broken.seq == a


def test_a_truncated_log_is_found(entries) -> None:
    with _triggers_off():
        _sql("DELETE FROM audit_auditentry WHERE seq = %s", [entries[-1].seq])
    broken = _broken()
    assert broken is not None and "ends early" in broken.problem


def test_a_truncated_log_with_a_rewound_head_is_found(entries) -> None:
    """The attacker also moves the head back: the start it records no longer matches."""
    with _triggers_off():
        _sql("DELETE FROM audit_auditentry WHERE seq <= %s", [entries[1].seq])
        _sql(
            "UPDATE audit_auditchainhead SET first_seq = %s, anchor_hash = %s",
            [entries[2].seq, entries[1].hash],
        )
    broken = _broken()
    assert broken is not None and "without a recorded purge" in broken.problem


def test_removing_the_oldest_entries_is_found(entries) -> None:
    with _triggers_off():
        _sql("DELETE FROM audit_auditentry WHERE seq <= %s", [entries[1].seq])
    broken = _broken()
    assert broken is not None and broken.seq == 1 and "missing" in broken.problem


def test_verify_history_checks_the_audit_log_too(entries, capsys) -> None:
    call_command("verify-history")
    out = capsys.readouterr().out
    assert "history intact: 0 cases, 0 events" in out
    assert f"audit log intact: {AuditEntry.objects.count()} entries" in out
    with _triggers_off():
        _sql("UPDATE audit_auditentry SET username = 'x' WHERE seq = %s", [entries[0].seq])
    with pytest.raises(CommandError, match="1 broken chain"):
        call_command("verify-history")
    assert f"audit log, entry {entries[0].seq}: content was changed" in capsys.readouterr().err
