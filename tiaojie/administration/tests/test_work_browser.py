"""In a real browser: the system administrator finds failed work in the menu and retries it."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from tiaojie.accounts.roles import Role
from tiaojie.audit.models import AuditEntry, AuditKind
from tiaojie.conftest import sign_in
from tiaojie.worker.registry import job
from tiaojie.worker.runner import run_queued

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xq7#mP2v!Lr9"


class ReportServerDown(Exception):
    """What the failing work raises."""


@job(name="月度报表生成", max_attempts=2)
def monthly_report() -> None:
    raise ReportServerDown


def test_the_system_administrator_retries_failed_work(page, world, settings) -> None:
    settings.TIAOJIE_WORKER_RETRY_SECONDS = 0
    monthly_report.enqueue()
    assert run_queued() == 2
    admin = world.user("sysadmin", world.center, Role.SYSADMIN, password=PASSWORD)

    page.goto(page.base_url + "/")
    sign_in(page, admin, PASSWORD)
    page.get_by_role("link", name="后台任务").click()
    page.wait_for_url("**/manage/work/")
    row = page.get_by_test_id("failed-work").get_by_role("row").filter(has_text="月度报表生成")
    assert "ReportServerDown" in row.inner_text() and "2 / 2" in row.inner_text()
    row.get_by_role("button", name="重新执行").click()
    page.get_by_text("已重新排队，后台进程稍后执行。").wait_for()
    assert "没有失败的任务。" in page.get_by_test_id("failed-work").inner_text()
    assert DBTaskResult.objects.get().status == "READY"
    assert AuditEntry.objects.filter(kind=AuditKind.WORK_RETRIED, username="sysadmin").exists()
