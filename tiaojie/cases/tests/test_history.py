"""The case history is tamper-evident, and the database refuses to change it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.history import verify_all, verify_case
from tiaojie.cases.models import Case, CaseEvent
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.core.chain import purge_allowed
from tiaojie.core.enums import CaseKind, Category, Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world) -> Case:
    clerk = Actor(world.user("clerk_a", world.center_a, Role.WINDOW_CLERK, Role.DISPATCHER))
    c = services.register_case(
        actor=clerk,
        kind=CaseKind.DISPUTE,
        category=Category.NEIGHBOURHOOD,
        channel=Channel.WINDOW,
        title="楼上漏水纠纷",
        description="楼上卫生间漏水，损坏楼下吊顶。",
        region=world.village_a,
        parties=[PartyInput(name="李四")],
    )
    c = services.accept(c, actor=clerk)
    c = services.supervise(c, actor=clerk, note="请尽快")
    return services.assign(c, actor=clerk, lead=world.center_a)


@contextmanager
def _triggers_off() -> Iterator[None]:
    """Play the attacker who can write to the database directly (rolled back with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER cases_caseevent_no_update")
            cursor.execute("DROP TRIGGER cases_caseevent_no_delete")
        else:
            # Deferred foreign-key checks count as pending trigger events; run them first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE cases_caseevent DISABLE TRIGGER cases_caseevent_append_only"
            )
    yield


def _sql(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_untouched_history_verifies(case) -> None:
    assert case.event_count == 4
    assert verify_case(case) is None
    assert list(verify_all()) == []


def test_the_database_refuses_to_update_an_event(case) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("UPDATE cases_caseevent SET reason = 'x' WHERE case_id = %s", [case.pk])


def test_the_database_refuses_to_delete_an_event(case) -> None:
    purge_allowed(False)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("DELETE FROM cases_caseevent WHERE case_id = %s", [case.pk])
    assert CaseEvent.objects.filter(case=case).count() == 4


def test_the_orm_cannot_edit_an_event_either(case) -> None:
    event = case.events.first()
    event.reason = "改过"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()


def test_an_edited_event_is_found(case) -> None:
    with _triggers_off():
        _sql(
            "UPDATE cases_caseevent SET reason = '改过的理由' WHERE case_id = %s AND seq = 3",
            [case.pk],
        )
    broken = verify_case(case)
    assert broken is not None and broken.seq == 3 and "changed" in broken.problem


def test_a_deleted_event_is_found(case) -> None:
    with _triggers_off():
        _sql("DELETE FROM cases_caseevent WHERE case_id = %s AND seq = 2", [case.pk])
    broken = verify_case(case)
    assert broken is not None and broken.seq == 2 and "missing" in broken.problem


def test_reordered_events_are_found(case) -> None:
    with _triggers_off():
        _sql("UPDATE cases_caseevent SET seq = 99 WHERE case_id = %s AND seq = 2", [case.pk])
        _sql("UPDATE cases_caseevent SET seq = 2 WHERE case_id = %s AND seq = 3", [case.pk])
        _sql("UPDATE cases_caseevent SET seq = 3 WHERE case_id = %s AND seq = 99", [case.pk])
    broken = verify_case(case)
    assert broken is not None and broken.seq == 2


def test_a_truncated_history_is_found(case) -> None:
    with _triggers_off():
        _sql("DELETE FROM cases_caseevent WHERE case_id = %s AND seq = 4", [case.pk])
    broken = verify_case(case)
    assert broken is not None and "ends early" in broken.problem


def test_the_command_names_the_first_broken_link(case, capsys) -> None:
    call_command("verify-history")
    assert "history intact: 1 cases, 4 events" in capsys.readouterr().out
    with _triggers_off():
        _sql("UPDATE cases_caseevent SET reason = '改过' WHERE case_id = %s AND seq = 3", [case.pk])
    with pytest.raises(CommandError, match="1 broken chain"):
        call_command("verify-history")
    assert f"case {case.code}, event 3: content was changed" in capsys.readouterr().err
