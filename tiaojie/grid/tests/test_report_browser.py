"""On a phone-sized screen: a report written with no network waits on the phone and is sent,
once, when the network returns."""

from __future__ import annotations

import pytest

from tiaojie.accounts.models import GridDuty, GridMember
from tiaojie.accounts.roles import Role
from tiaojie.cases.models import Attachment, Case
from tiaojie.cases.tests.samples import png
from tiaojie.conftest import sign_in
from tiaojie.core.enums import Channel
from tiaojie.grid.models import GridReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xq7#mP2v!Lr9"


def test_a_report_written_offline_is_sent_once_when_the_network_returns(
    page, world, tmp_path
) -> None:
    worker = world.user("grid_a", world.committee_a, Role.GRID_WORKER, password=PASSWORD)
    GridMember.objects.create(grid=world.grid_a, user=worker, duty=GridDuty.FULL_TIME)
    picture = tmp_path / "积水.png"
    picture.write_bytes(png(12, 12))

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/grid/report/")
    sign_in(page, worker, PASSWORD)
    page.wait_for_url("**/grid/report/")
    form = page.get_by_test_id("grid-report-form")
    assert form.get_by_label("网格").input_value() == str(world.grid_a.pk)
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.context.set_offline(True)
    page.get_by_test_id("network").wait_for(state="visible")
    form.get_by_label("上报事项类型").select_option(label="安全隐患（房屋、消防、道路、水）")
    form.get_by_label("情况描述").fill("村口排水渠堵塞，雨后路面积水。")
    form.get_by_label("涉及人数").fill("3")
    form.get_by_text("橙色（较大）").click()
    form.get_by_label("现场照片").set_input_files(str(picture))
    form.get_by_role("button", name="上报").click()

    queue = page.get_by_test_id("queue")
    queue.wait_for(state="visible")
    assert "1 条上报等待发送" in queue.inner_text()
    assert "没有网络" in page.get_by_test_id("status").inner_text()
    assert not Case.objects.exists()
    # The form is empty again for the next report, the grid still chosen.
    assert form.get_by_label("情况描述").input_value() == ""
    assert form.get_by_label("网格").input_value() == str(world.grid_a.pk)

    page.context.set_offline(False)
    queue.wait_for(state="hidden")
    case = Case.objects.get()
    assert "已上报" in page.get_by_test_id("status").inner_text()
    assert case.code in page.get_by_test_id("sent").inner_text()
    assert (case.channel, case.region, case.kind, case.risk_level, case.people_count) == (
        Channel.GRID,
        world.grid_a,
        "hazard",
        "orange",
        3,
    )
    assert Attachment.objects.get(case=case).original_name == "积水.png"

    # Whatever the page tries later (its timer, coming back to it), nothing is sent again.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.reload()
    page.get_by_test_id("sent").wait_for()
    page.wait_for_timeout(500)
    assert page.get_by_test_id("queue").is_hidden()
    assert Case.objects.count() == 1 and GridReport.objects.count() == 1
