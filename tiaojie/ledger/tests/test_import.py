"""A ledger goes in whole or not at all, and only once: the dry run names every bad row."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tiaojie.accounts.roles import Role
from tiaojie.audit.models import AuditEntry, AuditKind
from tiaojie.cases.history import verify_all
from tiaojie.cases.models import Case, CaseEvent, Person
from tiaojie.cases.search import search_cases
from tiaojie.cases.workflow import Status
from tiaojie.core.errors import Conflict, DomainError
from tiaojie.ledger import reading, services
from tiaojie.ledger.models import ImportStatus, LedgerImport, LedgerRow
from tiaojie.worker.runner import run_queued

from .samples import csv_bytes, ledger_rows, spread_bad, spreadsheet_row, write_xlsx

pytestmark = pytest.mark.django_db

PLACES = [("下邽镇", "东庆村"), ("桥南镇", "桥南村")]


@pytest.fixture
def dispatcher(world: Any) -> Any:
    return world.user("disp", world.center, Role.DISPATCHER)


def _upload(user: Any, data: bytes, name: str = "台账.csv") -> LedgerImport:
    return services.upload(user=user, file=SimpleUploadedFile(name, data))


def _check(ledger: LedgerImport, user: Any) -> LedgerImport:
    services.set_mapping(ledger, user=user, mapping=ledger.mapping, defaults=ledger.defaults)
    assert run_queued() == 1
    ledger.refresh_from_db()
    assert ledger.status == ImportStatus.CHECKED
    return ledger


def _import(ledger: LedgerImport, user: Any) -> LedgerImport:
    services.start_import(ledger, user=user)
    assert run_queued() == 1
    ledger.refresh_from_db()
    return ledger


@pytest.mark.slow
def test_5000_rows_with_20_bad_ones_go_in_only_once_fixed(
    world, dispatcher, django_capture_on_commit_callbacks
) -> None:
    bad = spread_bad(5000, 20)
    rows = ledger_rows(5000, PLACES, bad=bad)
    ledger = _check(_upload(dispatcher, csv_bytes(rows, encoding="gbk")), dispatcher)

    # The dry run names exactly the 20 bad rows, by the row numbers the spreadsheet shows.
    assert ledger.encoding == "gbk"
    assert ledger.header_row == 2
    assert ledger.problem_rows == 20
    assert {p[0] for p in ledger.problems} == {spreadsheet_row(i) for i in bad}
    assert ledger.new_rows == 4980

    # The import is not offered, and forced it writes nothing.
    with pytest.raises(Conflict):
        services.start_import(ledger, user=dispatcher)
    LedgerImport.objects.filter(pk=ledger.pk).update(status=ImportStatus.IMPORT_QUEUED)
    services.start(ledger.pk)
    assert run_queued() == 1
    ledger.refresh_from_db()
    assert ledger.status == ImportStatus.FAILED
    assert ledger.problem_rows == 20
    assert not Case.objects.exists()
    assert not Person.objects.exists()
    assert not LedgerRow.objects.exists()

    # Fixed, everything goes in: every case with its history, findable.
    fixed = csv_bytes(ledger_rows(5000, PLACES), encoding="gbk")
    ledger = _check(_upload(dispatcher, fixed), dispatcher)
    with django_capture_on_commit_callbacks(execute=True):
        ledger = _import(ledger, dispatcher)
    assert ledger.status == ImportStatus.DONE
    assert ledger.created_cases == 5000
    assert Case.objects.count() == 5000 == LedgerRow.objects.count()
    assert not list(verify_all())
    closed = Case.objects.filter(status=Status.CLOSED).count()
    assert 1000 < closed < 2500
    assert CaseEvent.objects.count() == 5000 + 5 * closed
    seventeenth = Case.objects.get(description__endswith="（第17件）")
    assert seventeenth in search_cases(Case.objects.all(), "第17件")
    assert AuditEntry.objects.filter(kind=AuditKind.IMPORT).count() == 1
    assert not (services._path(ledger)).exists()  # the file is gone with the import

    # The same ledger again: every row known, nothing new.
    again = _check(_upload(dispatcher, fixed), dispatcher)
    assert (again.new_rows, again.known_rows) == (0, 5000)
    again = _import(again, dispatcher)
    assert again.status == ImportStatus.DONE
    assert again.created_cases == 0
    assert Case.objects.count() == 5000


def test_an_excel_ledger_imports_the_same_as_its_csv(
    world, dispatcher, tmp_path, django_capture_on_commit_callbacks
) -> None:
    rows = ledger_rows(40, PLACES)
    xlsx = write_xlsx(tmp_path / "台账.xlsx", rows).read_bytes()
    ledger = _check(_upload(dispatcher, xlsx, "台账.xlsx"), dispatcher)
    # The dry run kept the workbook's rows for the import to read (then both go).
    kept = reading.kept_rows_path(services._path(ledger))
    assert kept.exists()
    with django_capture_on_commit_callbacks(execute=True):
        ledger = _import(ledger, dispatcher)
    assert not kept.exists() and not services._path(ledger).exists()
    assert ledger.file_format == "xlsx"
    assert ledger.created_cases == 40
    # The same rows as UTF-8 CSV are the same rows: nothing new.
    again = _check(_upload(dispatcher, csv_bytes(rows)), dispatcher)
    assert (again.new_rows, again.known_rows) == (0, 40)


def test_rows_repeated_within_a_file_become_one_case(world, dispatcher) -> None:
    rows = ledger_rows(5, PLACES)
    ledger = _check(_upload(dispatcher, csv_bytes(rows + rows[:2])), dispatcher)
    ledger = _import(ledger, dispatcher)
    assert (ledger.repeated_rows, ledger.created_cases) == (2, 5)


def test_a_clerk_may_import_open_cases_but_not_concluded_ones(world) -> None:
    clerk = world.user("clerk", world.center_a, Role.WINDOW_CLERK)
    rows = ledger_rows(30, [("下邽镇", "东庆村")])
    ledger = _check(_upload(clerk, csv_bytes(rows)), clerk)
    concluded = [i for i, r in enumerate(rows) if r[14] != "办理中"]
    assert concluded
    assert {p[0] for p in ledger.problems if p[2] == "conclude_role"} == {
        spreadsheet_row(i) for i in concluded
    }


def test_a_town_cannot_import_another_towns_cases(world) -> None:
    staff = world.user("staff_a", world.center_a, Role.TOWN_STAFF)
    rows = ledger_rows(4, PLACES)
    ledger = _check(_upload(staff, csv_bytes(rows)), staff)
    assert {p[0] for p in ledger.problems} == {spreadsheet_row(1), spreadsheet_row(3)}
    assert {p[2] for p in ledger.problems} == {"place"}


def test_only_center_staff_upload_and_unreadable_files_are_refused(world, dispatcher) -> None:
    handler = world.user("hrss", world.hrss, Role.HANDLER)
    with pytest.raises(DomainError):
        _upload(handler, csv_bytes(ledger_rows(1, PLACES)))
    for data, name, code in (
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls", "file_xls"),
        (b"PK\x03\x04not really a workbook", "x.xlsx", "file_format"),
        (b"\n\n", "empty.csv", "file_empty"),
        ("登记时间,当事人\n".encode("utf-16"), "x.csv", "file_encoding"),
    ):
        with pytest.raises(DomainError) as refused:
            _upload(dispatcher, data, name)
        assert refused.value.code == code
    assert not LedgerImport.objects.exists()


def test_a_mapping_without_the_required_columns_is_refused(world, dispatcher) -> None:
    ledger = _upload(dispatcher, csv_bytes(ledger_rows(2, PLACES)))
    with pytest.raises(DomainError) as refused:
        services.set_mapping(ledger, user=dispatcher, mapping={"title": 2}, defaults={})
    assert "当事人" in refused.value.message or "applicant" in refused.value.message
    ledger.refresh_from_db()
    assert ledger.status == ImportStatus.UPLOADED
