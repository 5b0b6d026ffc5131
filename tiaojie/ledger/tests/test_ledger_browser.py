"""In a real browser: a town's staff uploads a ledger, checks it, imports it, opens a case."""

from __future__ import annotations

from pathlib import Path

import pytest

from tiaojie.accounts.roles import Role
from tiaojie.cases.models import Case
from tiaojie.conftest import sign_in
from tiaojie.worker.runner import run_queued

from .samples import csv_bytes, ledger_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xq7#mP2v!Lr9"


def _run_between_polls(page) -> None:
    """Run the queued job right after a poll, well before the next one.

    The test database is SQLite in memory with a shared cache, where a reader and a writer
    of one table collide at once instead of waiting as they do in a WAL file; so the job
    (a worker's, here) must not overlap a poll.
    """
    with page.expect_response(lambda r: "/progress/" in r.url):
        pass
    assert run_queued() == 1


def test_a_ledger_goes_in_through_the_pages(page, world, tmp_path: Path) -> None:
    staff = world.user("staff_a", world.center_a, Role.TOWN_STAFF, password=PASSWORD)
    ledger = tmp_path / "下邽镇台账.csv"
    ledger.write_bytes(csv_bytes(ledger_rows(12, [("下邽镇", "东庆村")]), encoding="gbk"))

    page.goto(page.base_url + "/ledger/")
    sign_in(page, staff, PASSWORD)
    page.wait_for_url("**/ledger/")
    page.get_by_label("台账文件").set_input_files(str(ledger))
    page.get_by_role("button", name="上传").click()
    page.wait_for_url("**/mapping/")
    assert page.get_by_label("当事人身份证号").input_value() != ""
    page.get_by_role("button", name="逐行校验（试运行）").click()
    _run_between_polls(page)

    # The progress bar polls until the report replaces it.
    page.get_by_text("全部行均通过校验。").wait_for(timeout=30_000)
    page.get_by_role("button", name="导入 12 件事项").click()
    _run_between_polls(page)
    page.get_by_test_id("result").wait_for(timeout=30_000)
    assert "已创建 12 件事项" in page.get_by_test_id("result").inner_text()

    code = Case.objects.order_by("code").values_list("code", flat=True).first()
    page.get_by_role("link", name=code).click()
    page.wait_for_url(f"**/cases/{code}/")
    assert page.get_by_test_id("timeline").inner_text()
