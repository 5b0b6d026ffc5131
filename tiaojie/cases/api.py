"""Cases visible to the caller: list, detail, history, every lifecycle action, and the
case's files (list, upload, download), scoped like the case itself.

Mounted by tiaojie/api under /api/v1/cases.
"""

import datetime as dt
import re
from typing import Annotated, Any, cast

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import BeforeValidator

from tiaojie.accounts.models import User
from tiaojie.cases import services
from tiaojie.cases.action_forms import ACTIONS, form_for, run
from tiaojie.cases.attachments import attach
from tiaojie.cases.downloads import file_response
from tiaojie.cases.models import Attachment, AttachmentKind, Case, CaseEvent
from tiaojie.cases.selectors import (
    CaseFilters,
    attachment_for_user,
    attachments_of,
    case_for_user,
    cases_for_user,
    filter_cases,
    readable_case_for_user,
)
from tiaojie.cases.sensitivity import restricted
from tiaojie.cases.services import Actor
from tiaojie.cases.workflow import Action
from tiaojie.core.api import ErrorOut, RowId
from tiaojie.core.errors import NotFound

router = Router()
files = Router()


class _QueryDict(MultiValueDict):
    """Form data from JSON: lists stay lists (assisting units), the rest single values."""

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__({k: v if isinstance(v, list) else [v] for k, v in data.items()})


class CaseOut(Schema):
    code: str
    kind: str
    category: str
    channel: str
    title: str
    status: str
    risk_level: str
    tier: str
    region_code: str
    region_name: str
    lead_unit: str | None
    received_at: dt.datetime
    due_at: dt.datetime | None

    @staticmethod
    def resolve_region_code(obj: Case) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: Case) -> str:
        return obj.region.name

    @staticmethod
    def resolve_lead_unit(obj: Case) -> str | None:
        return obj.lead_unit.name if obj.lead_unit else None


class CaseDetailOut(CaseOut):
    description: str
    outcome: str
    people_count: int
    version: int
    supervision_level: int
    actions: list[str]

    @staticmethod
    def resolve_description(obj: Case, context: dict[str, Any]) -> str:
        return "" if restricted(context["request"].user, obj) else obj.description

    @staticmethod
    def resolve_outcome(obj: Case, context: dict[str, Any]) -> str:
        return "" if restricted(context["request"].user, obj) else obj.outcome

    @staticmethod
    def resolve_actions(obj: Case, context: dict[str, Any]) -> list[str]:
        user = cast(User, context["request"].user)
        return [a.value for a in services.actions_for(user, obj)]


class EventOut(Schema):
    seq: int
    action: str
    at: dt.datetime
    actor: str | None
    from_status: str
    to_status: str
    reason: str
    hash: str

    @staticmethod
    def resolve_actor(obj: CaseEvent) -> str | None:
        return obj.actor.real_name if obj.actor else None


def _without_reason(event: CaseEvent) -> CaseEvent:
    event.reason = ""
    return event


class ActionIn(Schema):
    """The version you last saw, and what the action needs (see each action's form)."""

    version: int
    note: str = ""
    reason: str = ""
    route: str = ""
    lead: RowId | None = None
    assisting: list[RowId] = []
    override_reason: str = ""
    summary: str = ""
    participants: str = ""
    text: str = ""
    outcome: str = ""
    agreement: str = ""
    satisfaction: str = ""
    into: str = ""
    risk_level: str = ""


def _iso_date(value: object) -> object:
    # pydantic would also take a number of seconds since 1970 for a date; the schema says
    # YYYY-MM-DD, and so does this API.
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class Pages(LimitOffsetPagination):
    """Limit and offset within bounds: a huge offset overflowed the database's integer."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500)
        offset: int = Field(0, ge=0, le=10_000_000)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=500, **kwargs)


class CaseQuery(Schema):
    q: str = ""
    status: str = ""
    kind: str = ""
    category: str = ""
    channel: str = ""
    risk_level: str = ""
    tier: str = ""
    unit: int | None = None
    town: str = ""
    received_from: IsoDate | None = None
    received_to: IsoDate | None = None
    overdue: bool = False


@router.get("", response=list[CaseOut], summary="Cases in the caller's scope")
@paginate(Pages)
def list_cases(request: HttpRequest, filters: Query[CaseQuery]) -> QuerySet[Case]:
    qs = filter_cases(
        cases_for_user(request.user), CaseFilters(**filters.dict()), user=request.user
    )
    return qs.select_related("region", "lead_unit").order_by("-received_at", "-id")


@router.get(
    "/{code}",
    response={200: CaseDetailOut, 404: ErrorOut},
    summary="One case, with the actions you may take",
)
def get_case(request: HttpRequest, code: str) -> Case:
    return case_for_user(request.user, code)


@router.get(
    "/{code}/events",
    response={200: list[EventOut], 404: ErrorOut},
    summary="The case's hash-chained history",
)
def case_events(request: HttpRequest, code: str) -> QuerySet[CaseEvent] | list[CaseEvent]:
    case = case_for_user(request.user, code)
    events = case.events.select_related("actor").order_by("seq")
    if restricted(request.user, case):
        # The shell only: what happened when, not what the notes say.
        return [_without_reason(e) for e in events]
    return events


@router.post(
    "/{code}/actions/{action}",
    response={200: CaseDetailOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Take an action on a case",
    description=(
        "Send the `version` you last saw: if someone changed the case since, the answer is 409 "
        "and nothing is written. 400 means the action is not allowed now or input is missing."
    ),
)
def act(request: HttpRequest, code: str, action: str, body: ActionIn) -> Case:
    case = case_for_user(request.user, code)
    try:
        chosen = Action(action)
    except ValueError:
        raise NotFound("unknown action") from None
    if chosen not in ACTIONS:
        raise NotFound("unknown action")
    data = {f"{chosen.value}-{k}": v for k, v in body.dict().items() if v not in (None, "", [])}
    form = form_for(chosen, case=case, user=cast(User, request.user), data=_QueryDict(data))
    return run(chosen, form)


# --- the case's files ------------------------------------------------------------------------
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


@files.get(
    "/{code}/attachments",
    response={200: list[AttachmentOut], 404: ErrorOut},
    summary="The case's files",
)
def list_attachments(request: HttpRequest, code: str) -> list[Attachment]:
    case = readable_case_for_user(request.user, code)
    return list(attachments_of(case).select_related("case"))


@files.post(
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


@files.get(
    "/{code}/attachments/{attachment_id}/file",
    response={200: None, 404: ErrorOut},
    url_name="case_attachment_file",
    summary="Download one file",
    description="The file as a download, with the type read from its bytes when it came in.",
)
def download_attachment(request: HttpRequest, code: str, attachment_id: int) -> FileResponse:
    return file_response(attachment_for_user(request.user, code, attachment_id))
