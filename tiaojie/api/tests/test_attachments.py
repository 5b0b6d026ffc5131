"""A case's files through the JSON API: list, upload, download, errors with a code, scoping."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tiaojie.accounts.roles import Role
from tiaojie.cases.models import Attachment, Case
from tiaojie.cases.tests.samples import pdf, png

pytestmark = pytest.mark.django_db

PHOTO = png()


@pytest.fixture
def case(registered_case) -> Case:
    return registered_case


def _upload(client, code: str, content: bytes, name: str = "收据.png", **fields):
    return client.post(
        f"/api/v1/cases/{code}/attachments",
        {"file": SimpleUploadedFile(name, content), **fields},
    )


def test_a_file_is_uploaded_listed_and_downloaded(client, world, case) -> None:
    client.force_login(world.users["clerk_a"])

    created = _upload(client, case.code, pdf(), "物业合同.pdf", kind="agreement", description="合")

    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["name"], body["kind"], body["content_type"]) == (
        "物业合同.pdf",
        "agreement",
        "application/pdf",
    )
    assert body["sha256"] == hashlib.sha256(pdf()).hexdigest()
    assert body["download_url"] == f"/api/v1/cases/{case.code}/attachments/{body['id']}/file"
    assert "物业合同" not in body["download_url"]

    listed = client.get(f"/api/v1/cases/{case.code}/attachments").json()
    assert [a["id"] for a in listed] == [body["id"]]

    download = client.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf()
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [(b"", "空.png", "file_empty"), (b"MZ\x90\x00" * 8, "照片.png", "file_type")],
    ids=["empty", "program"],
)
def test_a_refused_file_answers_400_with_a_code_and_stores_nothing(
    client, world, case, media_root, content, name, code
) -> None:
    client.force_login(world.users["clerk_a"])
    response = _upload(client, case.code, content, name)
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["message"]
    assert not Attachment.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_a_file_too_large_answers_400(client, world, case, settings) -> None:
    settings.TIAOJIE_UPLOAD_MAX_BYTES = 1 << 20
    client.force_login(world.users["clerk_a"])
    response = _upload(client, case.code, PHOTO + b"\x00" * (1 << 20))
    assert (response.status_code, response.json()["code"]) == (400, "file_too_large")


def test_a_missing_file_answers_422(client, world, case) -> None:
    client.force_login(world.users["clerk_a"])
    response = client.post(f"/api/v1/cases/{case.code}/attachments", {"description": "无文件"})
    assert (response.status_code, response.json()["code"]) == (422, "invalid_input")


def test_someone_who_may_read_but_not_add_gets_400(client, world, case) -> None:
    client.force_login(world.user("leader", world.center, Role.LEADER))
    assert client.get(f"/api/v1/cases/{case.code}/attachments").status_code == 200
    response = _upload(client, case.code, PHOTO)
    assert (response.status_code, response.json()["code"]) == (400, "action_not_allowed")


def test_another_town_gets_404_for_the_list_the_upload_and_the_file(client, world, case) -> None:
    client.force_login(world.users["clerk_a"])
    file_id = _upload(client, case.code, PHOTO).json()["id"]
    client.force_login(world.user("clerk_b", world.center_b, Role.WINDOW_CLERK))

    for response in (
        client.get(f"/api/v1/cases/{case.code}/attachments"),
        _upload(client, case.code, PHOTO),
        client.get(f"/api/v1/cases/{case.code}/attachments/{file_id}/file"),
    ):
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert Attachment.objects.count() == 1


def test_a_file_is_only_found_under_its_own_case(client, world, case) -> None:
    client.force_login(world.users["clerk_a"])
    file_id = _upload(client, case.code, PHOTO).json()["id"]
    other = world.case(world.village_a, first_unit=world.center_a)
    assert client.get(f"/api/v1/cases/{other.code}/attachments/{file_id}/file").status_code == 404
    assert client.get(f"/api/v1/cases/{case.code}/attachments/999999/file").status_code == 404


def test_signed_out_callers_get_401(client, case) -> None:
    response = client.get(f"/api/v1/cases/{case.code}/attachments")
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")
