"""POST /api/v1/grid/reports: one report from the grid worker's phone (static/js/grid.js).

Multipart (the fields of ``ReportForm`` and an optional photo), signed in with the session
and the CSRF token in the ``X-CSRFToken`` header like every staff operation. 201 with the new
case's code; 200 with the code of the case an earlier sending of the same report made;
refusals are ``{"code", "message"}`` (docs/grid.md).
"""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from tiaojie.accounts.models import User
from tiaojie.core.api import ErrorOut, FieldErrorsOut, Refused
from tiaojie.core.enums import RiskLevel

from . import selectors, services
from .forms import MAX_DESCRIPTION, ReportForm

router = Router()


class ReceiptOut(Schema):
    code: str
    created: bool


def _text(**more: object) -> dict[str, object]:
    return {"type": "string", **more}


# The form is read by ``ReportForm`` (as the page without script sends it); this documents it.
REPORT_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["key", "grid", "what", "description"],
                "properties": {
                    "key": _text(description="Made once per report; every retry carries it."),
                    "grid": {"type": "integer", "description": "A grid the worker serves."},
                    "what": _text(enum=list(services.WHAT)),
                    "description": _text(maxLength=MAX_DESCRIPTION),
                    "people_count": {"type": "integer", "minimum": 1},
                    "risk_level": _text(enum=RiskLevel.values),
                    "resident_name": _text(),
                    "resident_phone": _text(),
                    "latitude": {"type": "number"},
                    "longitude": {"type": "number"},
                    "accuracy": {"type": "integer", "minimum": 0},
                    "written_at": _text(format="date-time"),
                    "photo": _text(format="binary"),
                },
            }
        }
    },
}


@router.post(
    "/reports",
    response={200: ReceiptOut, 201: ReceiptOut, 400: FieldErrorsOut, 403: ErrorOut},
    url_name="grid_reports",
    summary="Send a grid report",
    description=(
        "Registers the report's case (channel `grid`) with its photo, or answers a report "
        "already sent (same `key`) with its case's code. 400 `invalid_input` with `fields`, "
        "or `file_type`, `file_empty`, `file_too_large`; 403 `not_a_grid_worker` or "
        "`not_your_grid`. A refused report writes nothing."
    ),
    openapi_extra={"requestBody": REPORT_BODY},
)
def send_report(request: HttpRequest) -> Status:
    worker = cast(User, request.user)  # the API's auth admits signed-in staff only
    if not selectors.is_grid_worker(worker):
        raise Refused(403, _("Only grid workers send grid reports."), code="not_a_grid_worker")
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        fields = {name: [str(m) for m in errors] for name, errors in form.errors.items()}
        raise Refused(400, _("Please correct the report."), code="invalid_input", fields=fields)
    try:
        done = services.send_report(
            worker=worker, data=form.report(), photo=form.cleaned_data.get("photo")
        )
    except services.NotYourGrid as exc:
        raise Refused(403, exc.message, code=exc.code) from exc
    return Status(201 if done.created else 200, ReceiptOut(code=done.code, created=done.created))
