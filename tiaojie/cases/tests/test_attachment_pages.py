"""Files on the case page: the list, the upload form for those who may add, the download."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tiaojie.accounts.roles import Role
from tiaojie.cases.attachments import attach
from tiaojie.cases.models import Attachment, Case
from tiaojie.cases.services import Actor
from tiaojie.cases.tests.samples import png

pytestmark = pytest.mark.django_db

PHOTO = png()


@pytest.fixture
def case(registered_case) -> Case:
    return registered_case


@pytest.fixture
def attached(world, case) -> Attachment:
    return attach(
        case,
        actor=Actor(world.users["clerk_a"]),
        file=SimpleUploadedFile("院墙 照片（一）.png", PHOTO),
        description="东侧院墙",
    )


def _post_file(client, case: Case, content: bytes, name="照片.png", follow=False, **fields):
    data = {"file": SimpleUploadedFile(name, content), "kind": "photo", **fields}
    return client.post(reverse("cases:attach", args=[case.code]), data, follow=follow)


def test_the_page_lists_the_files_with_links_that_carry_only_ids(client, world, attached) -> None:
    client.force_login(world.users["clerk_a"])
    page = client.get(reverse("cases:detail", args=[attached.case.code])).content.decode()
    link = f"/cases/{attached.case.code}/attachments/{attached.pk}/"
    assert f'href="{link}"' in page
    assert "院墙 照片（一）.png" in page and "东侧院墙" in page and "PNG" in page
    assert 'enctype="multipart/form-data"' in page and "csrfmiddlewaretoken" in page


def test_the_upload_form_is_shown_only_to_those_who_may_add(client, world, attached) -> None:
    client.force_login(world.user("leader", world.center, Role.LEADER))
    page = client.get(reverse("cases:detail", args=[attached.case.code])).content.decode()
    assert "院墙 照片（一）.png" in page  # may read
    assert 'data-testid="attach-form"' not in page  # may not add


def test_a_clerk_uploads_a_file_and_sees_it_listed(client, world, case, media_root) -> None:
    client.force_login(world.users["clerk_a"])
    response = _post_file(client, case, PHOTO, "现场.png", description="现场照片")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.code]) + "#attachments"
    page = client.get(response["Location"]).content.decode()
    assert "已添加附件：现场.png。" in page
    stored = Attachment.objects.get()
    assert (stored.kind, stored.description) == ("photo", "现场照片")
    assert (media_root / stored.file.name).read_bytes() == PHOTO


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"", "空.png", "文件是空的"),
        (b"MZ\x90\x00" * 16, "照片.png", "不能上传这种类型的文件"),
        (PHOTO + b"\x00" * (1 << 20), "大.png", "文件超过 1 MB"),
    ],
    ids=["empty", "program", "too-large"],
)
def test_a_refused_file_is_explained_in_chinese_and_nothing_is_kept(
    client, world, case, media_root, settings, content, name, words
) -> None:
    settings.TIAOJIE_UPLOAD_MAX_BYTES = 1 << 20
    client.force_login(world.users["clerk_a"])
    response = _post_file(client, case, content, name, follow=True)
    assert response.redirect_chain == [(f"/cases/{case.code}/#attachments", 302)]
    assert words in response.content.decode()
    assert not Attachment.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]
    case.refresh_from_db()
    assert case.event_count == 1


def test_no_file_at_all_is_explained(client, world, case) -> None:
    client.force_login(world.users["clerk_a"])
    url = reverse("cases:attach", args=[case.code])
    response = client.post(url, {"kind": "photo"}, follow=True)
    assert "这个字段是必填项" in response.content.decode()


def test_the_download_is_an_attachment_that_is_neither_sniffed_nor_cached(
    client, world, attached
) -> None:
    client.force_login(world.users["clerk_a"])
    response = client.get(reverse("cases:attachment", args=[attached.case.code, attached.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PHOTO
    assert response["Content-Type"] == "image/png"
    assert response["Content-Length"] == str(len(PHOTO))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        f'attachment; filename="attachment-{attached.pk}.png"; '
        f"filename*=UTF-8''{quote('院墙 照片（一）.png', safe='')}"
    )
    assert "sandbox" in response["Content-Security-Policy"]


def test_another_town_gets_404_for_the_page_the_file_and_the_upload(
    client, world, attached
) -> None:
    client.force_login(world.user("clerk_b", world.center_b, Role.WINDOW_CLERK))
    code = attached.case.code
    assert client.get(reverse("cases:detail", args=[code])).status_code == 404
    assert client.get(reverse("cases:attachment", args=[code, attached.pk])).status_code == 404
    assert _post_file(client, attached.case, PHOTO).status_code == 404
    assert Attachment.objects.count() == 1


def test_unknown_files_and_files_of_other_cases_are_404(client, world, attached) -> None:
    client.force_login(world.users["clerk_a"])
    other = world.case(world.village_a, first_unit=world.center_a)
    for code, pk in [(other.code, attached.pk), (attached.case.code, 0)]:
        assert client.get(reverse("cases:attachment", args=[code, pk])).status_code == 404


def test_the_three_administrators_cannot_download(client, world, attached) -> None:
    client.force_login(world.user("sysadmin", world.center, Role.SYSADMIN))
    url = reverse("cases:attachment", args=[attached.case.code, attached.pk])
    assert client.get(url).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, attached) -> None:
    url = reverse("cases:attachment", args=[attached.case.code, attached.pk])
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
