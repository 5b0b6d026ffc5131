"""The ledger pages: upload → mapping → dry-run report → import with progress → result."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tiaojie.accounts.roles import Role
from tiaojie.cases.models import Case
from tiaojie.ledger import services
from tiaojie.ledger.models import ImportStatus, LedgerImport, LedgerMapping
from tiaojie.worker.runner import run_queued

from .samples import HEADER, csv_bytes, ledger_rows, spreadsheet_row

pytestmark = pytest.mark.django_db

PLACES = [("下邽镇", "东庆村")]


def _upload(client: Any, data: bytes, name: str = "台账.csv") -> Any:
    return client.post(reverse("ledger:index"), {"file": SimpleUploadedFile(name, data)})


def _mapping_post(ledger: LedgerImport, **changes: str) -> dict[str, str]:
    data = {f"col_{f}": str(i) for f, i in ledger.mapping.items()}
    data.update({f"default_{f}": v for f, v in ledger.defaults.items()})
    data.update(changes)
    return data


def test_a_town_clerk_goes_from_upload_to_created_cases(world, login) -> None:
    staff = world.user("staff_a", world.center_a, Role.TOWN_STAFF)
    client = login(staff)
    assert 'data-menu="ledger"' in client.get(reverse("cases:workbench")).content.decode()

    bad = {1: "check_digit", 4: "date"}
    response = _upload(client, csv_bytes(ledger_rows(8, PLACES, bad=bad), encoding="gbk"))
    ledger = LedgerImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:mapping", args=[ledger.pk])

    # The mapping page proposes a column for each field the header names.
    page = client.get(response["Location"]).content.decode()
    assert "身份证号" in page and "所属镇街" in page
    assert ledger.mapping["id_number"] == HEADER.index("身份证号")
    assert ledger.mapping["received_at"] == HEADER.index("登记时间")
    assert ledger.mapping["village"] == HEADER.index("村（社区）")

    response = client.post(
        reverse("ledger:mapping", args=[ledger.pk]), _mapping_post(ledger, save_as="下邽台账")
    )
    assert response.status_code == 302
    assert LedgerMapping.objects.get().columns["id_number"] == "身份证号"
    progress = client.get(reverse("ledger:progress", args=[ledger.pk]))
    assert 'hx-trigger="every 1s"' in progress.content.decode()
    run_queued()

    # The report: the two bad rows by number, in Chinese, and no import button.
    progress = client.get(reverse("ledger:progress", args=[ledger.pk]))
    assert progress["HX-Refresh"] == "true"
    page = client.get(reverse("ledger:detail", args=[ledger.pk])).content.decode()
    assert "校验位" in page
    assert f'<td class="text-end">{spreadsheet_row(1)}</td>' in page
    assert f'<td class="text-end">{spreadsheet_row(4)}</td>' in page
    assert 'data-testid="import-form"' not in page
    refused = client.post(reverse("ledger:import", args=[ledger.pk]))
    assert refused.status_code == 302
    assert not Case.objects.exists()

    # Corrected and uploaded again: the saved mapping is proposed, the import goes through.
    _upload(client, csv_bytes(ledger_rows(8, PLACES)))
    fixed = LedgerImport.objects.latest("pk")
    assert fixed.mapping == ledger.mapping
    client.post(reverse("ledger:mapping", args=[fixed.pk]), _mapping_post(fixed))
    run_queued()
    page = client.get(reverse("ledger:detail", args=[fixed.pk])).content.decode()
    assert 'data-testid="import-form"' in page
    client.post(reverse("ledger:import", args=[fixed.pk]))
    assert LedgerImport.objects.get(pk=fixed.pk).status == ImportStatus.IMPORT_QUEUED
    run_queued()
    page = client.get(reverse("ledger:detail", args=[fixed.pk])).content.decode()
    assert "已创建 8 件事项" in page
    for case in Case.objects.all():
        assert reverse("cases:detail", args=[case.code]) in page
    # The case page shows the history the import wrote.
    closed = Case.objects.filter(status="closed").first()
    if closed:
        case_page = client.get(reverse("cases:detail", args=[closed.code])).content.decode()
        assert "台账" in case_page


def test_a_refused_file_is_explained_on_the_upload_page(world, login) -> None:
    client = login(world.user("disp", world.center, Role.DISPATCHER))
    response = _upload(client, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old.xls")
    assert response.status_code == 400
    assert "xlsx" in response.content.decode()
    assert not LedgerImport.objects.exists()


def test_another_units_import_is_not_found_and_other_roles_are_turned_away(world, login) -> None:
    owner = world.user("disp_a", world.center_a, Role.DISPATCHER)
    ledger = services.upload(
        user=owner, file=SimpleUploadedFile("a.csv", csv_bytes(ledger_rows(2, PLACES)))
    )
    other = login(world.user("disp_b", world.center_b, Role.DISPATCHER))
    for name in ("detail", "mapping", "progress"):
        assert other.get(reverse(f"ledger:{name}", args=[ledger.pk])).status_code == 404
    assert other.post(reverse("ledger:import", args=[ledger.pk])).status_code == 404
    assert ledger.file_name not in other.get(reverse("ledger:index")).content.decode()
    handler = login(world.user("hrss", world.hrss, Role.HANDLER))
    assert handler.get(reverse("ledger:index")).status_code == 403
    assert handler.get(reverse("ledger:detail", args=[ledger.pk])).status_code == 404


def test_a_mapping_missing_the_applicant_is_refused_on_the_page(world, login) -> None:
    user = world.user("disp", world.center, Role.DISPATCHER)
    client = login(user)
    _upload(client, csv_bytes(ledger_rows(2, PLACES)))
    ledger = LedgerImport.objects.get()
    response = client.post(
        reverse("ledger:mapping", args=[ledger.pk]), _mapping_post(ledger, col_applicant="")
    )
    assert response.status_code == 400
    assert 'data-testid="mapping-error"' in response.content.decode()
    assert LedgerImport.objects.get().status == ImportStatus.UPLOADED
