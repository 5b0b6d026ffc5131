"""In a real browser: a handler attaches a photo on the case page and downloads it again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tiaojie.cases.models import Attachment
from tiaojie.cases.tests.samples import png
from tiaojie.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xq7#mP2v!Lr9"


def test_a_clerk_attaches_a_photo_and_downloads_it(page, registered_case, tmp_path) -> None:
    case = registered_case
    photo = tmp_path / "漏水现场.png"
    photo.write_bytes(png(16, 16))
    program = tmp_path / "照片.png"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 60)

    page.goto(page.base_url + f"/cases/{case.code}/")
    sign_in(page, case.registered_by, PASSWORD)
    page.wait_for_url(f"**/cases/{case.code}/")
    form = page.get_by_test_id("attach-form")

    # A program named like a photo is refused, in words, and nothing is kept.
    form.get_by_label("文件").set_input_files(str(program))
    form.get_by_role("button", name="上传").click()
    page.wait_for_load_state()
    assert "不能上传这种类型的文件" in page.content()
    assert not Attachment.objects.exists()

    form = page.get_by_test_id("attach-form")
    form.get_by_label("文件").set_input_files(str(photo))
    form.get_by_label("材料类别").select_option(label="现场照片")
    form.get_by_label("说明").fill("卫生间顶棚")
    form.get_by_role("button", name="上传").click()
    page.wait_for_url(f"**/cases/{case.code}/#attachments")
    assert "已添加附件：漏水现场.png。" in page.content()
    listed = page.get_by_test_id("attachments").inner_text()
    assert "漏水现场.png" in listed and "现场照片" in listed and "PNG" in listed
    assert "漏水现场.png" in page.get_by_test_id("timeline").inner_text()

    with page.expect_download() as download:
        page.get_by_test_id("attachments").get_by_role("link", name="漏水现场.png").click()
    assert download.value.suggested_filename == "漏水现场.png"
    assert Path(download.value.path()).read_bytes() == photo.read_bytes()
