"""GET /api/v1/work/failed, POST /api/v1/work/{work_id}/retry — the operator page's data.

For the system administrator only; anyone else gets 404, as on the page.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.core.api import ErrorOut
from tiaojie.core.errors import NotFound
from tiaojie.worker import selectors

from . import services

router = Router()


class FailedWorkOut(Schema):
    id: str
    kind: str
    attempts: int
    max_attempts: int
    error: str
    enqueued_at: dt.datetime
    finished_at: dt.datetime | None


class RetriedOut(Schema):
    id: str
    status: str


def _sysadmin(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if Role.SYSADMIN not in user.role_codes:
        raise NotFound(_("Not found."))
    return user


@router.get(
    "/failed",
    response={200: list[FailedWorkOut], 404: ErrorOut},
    summary="Work that used all its attempts",
)
def failed(request: HttpRequest) -> list[FailedWorkOut]:
    _sysadmin(request)
    return [
        FailedWorkOut(
            id=w.id,
            kind=w.kind,
            attempts=w.attempts,
            max_attempts=w.max_attempts,
            error=w.error,
            enqueued_at=w.enqueued_at,
            finished_at=w.finished_at,
        )
        for w in selectors.failed_work()
    ]


@router.post(
    "/{work_id}/retry",
    response={200: RetriedOut, 404: ErrorOut, 409: ErrorOut},
    summary="Queue failed work again",
)
def retry(request: HttpRequest, work_id: uuid.UUID) -> RetriedOut:
    task = services.retry_work(actor=_sysadmin(request), work_id=work_id)
    return RetriedOut(id=str(task.pk), status=task.status)
