"""A case's files: list, upload (multipart) and download, scoped like the case itself."""

import datetime as dt
from typing import cast

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from tiaojie.accounts.models import User
from tiaojie.cases.attachments import attach
from tiaojie.cases.downloads import file_response
from tiaojie.cases.models import Attachment, AttachmentKind
from tiaojie.cases.selectors import attachment_for_user, attachments_of, readable_case_for_user
from tiaojie.cases.services import Actor

from .cases import ErrorOut

router = Router()


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str
    description: str
    uploaded_by: str
    uploaded_at: dt.datetime
    download_url: str

    @staticmethod
    def resolve_name(obj: Attachment) -> str:
        return obj.original_name

    @staticmethod
    def resolve_uploaded_by(obj: Attachment) -> str:
        return obj.uploaded_by.real_name

    @staticmethod
    def resolve_download_url(obj: Attachment) -> str:
        return reverse("api:case_attachment_file", args=[obj.case.code, obj.pk])


@router.get(
    "/{code}/attachments",
    response={200: list[AttachmentOut], 404: ErrorOut},
    summary="The case's files",
)
def list_attachments(request: HttpRequest, code: str) -> list[Attachment]:
    case = readable_case_for_user(request.user, code)
    return list(attachments_of(case).select_related("case"))


@router.post(
    "/{code}/attachments",
    response={201: AttachmentOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Attach a file to the case",
    description=(
        "multipart/form-data with `file`, and optionally `kind` "
        f"({', '.join(AttachmentKind.values)}) and `description`. The type is read from the "
        "file's bytes; 400 with code `file_empty`, `file_too_large` or `file_type` means "
        "nothing was stored, `action_not_allowed` that you may not add files to this case now."
    ),
)
def upload_attachment(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile],
    kind: Form[str] = AttachmentKind.EVIDENCE,
    description: Form[str] = "",
) -> Status[Attachment]:
    case = readable_case_for_user(request.user, code)
    attachment = attach(
        case,
        actor=Actor(cast(User, request.user)),
        file=file,
        kind=kind,
        description=description,
    )
    return Status(201, attachment)


@router.get(
    "/{code}/attachments/{attachment_id}/file",
    response={200: None, 404: ErrorOut},
    url_name="case_attachment_file",
    summary="Download one file",
    description="The file as a download, with the type read from its bytes when it came in.",
)
def download_attachment(request: HttpRequest, code: str, attachment_id: int) -> FileResponse:
    return file_response(attachment_for_user(request.user, code, attachment_id))
