"""POST /api/v1/intake/cases — signed requests from machine channels.

Headers: ``X-Tiaojie-Source``, ``X-Tiaojie-Timestamp``, ``X-Tiaojie-Signature`` (see
``signing``) and ``Idempotency-Key``. 202 with the case code the case will have (status
``received``; the intake worker registers it moments later); the same request again answers
200 with the same code and where it stands now (``registered`` once the case exists); the
same key with another body answers 422.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import APIKeyHeader

from tiaojie.core.api import ErrorOut, Refused
from tiaojie.core.errors import DomainError, Unauthenticated

from . import services
from .models import IntakeSource
from .selectors import active_source
from .signing import verify

router = Router()


class SignedRequest(APIKeyHeader):
    """The source whose secret signed this request; anything else is refused (401).

    Declared as an API key in the ``X-Tiaojie-Signature`` header so that the OpenAPI schema
    says this operation is not open; ``X-Tiaojie-Source`` and ``X-Tiaojie-Timestamp`` go with
    it (see ``signing``).
    """

    param_name = "X-Tiaojie-Signature"

    def authenticate(self, request: HttpRequest, key: str | None) -> IntakeSource:
        code = request.headers.get("X-Tiaojie-Source", "")
        timestamp = request.headers.get("X-Tiaojie-Timestamp", "")
        source = active_source(code) if code else None
        if source is None or not verify(
            source.secret,
            key or "",
            timestamp,
            request.method or "",
            request.path,
            request.body,
            time.time(),
        ):
            # One answer for every reason, so a prober learns nothing about sources or clocks.
            raise Unauthenticated(_("The request signature is missing or does not verify."))
        return source


class PartyIn(Schema):
    name: str = Field(min_length=1, max_length=50)
    role: Literal["applicant", "respondent", "other"] = "applicant"
    id_number: str = Field("", max_length=18)
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=200)


class IntakeIn(Schema):
    kind: str = Field(description="dispute, petition, request or hazard")
    category: str = Field(description="one of the 15 dispute types, or other")
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=5000)
    region_code: str = Field("", max_length=15, description="division code, if the sender has it")
    address: str = Field("", max_length=200, description="where, in words")
    occurred_at: dt.datetime | None = None
    people_count: int = Field(1, ge=1, le=100000)
    risk_level: Literal["blue", "yellow", "orange", "red"] = "blue"
    parties: list[PartyIn] = Field(default_factory=list, max_length=20)


class IntakeOut(Schema):
    code: str
    status: str
    created: bool


def _header(name: str, description: str) -> dict[str, object]:
    return {
        "in": "header",
        "name": name,
        "required": True,
        "description": description,
        "schema": {"type": "string", "minLength": 1, "maxLength": 100},
    }


@router.post(
    "/cases",
    auth=SignedRequest(),
    response={200: IntakeOut, 202: IntakeOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut},
    summary="Send in a case (video alarm, 12345 hotline, department referral)",
    # Read by the handler and the signature check rather than parsed by ninja (so that a
    # missing key is the documented 400 and a bad signature 401), hence listed here.
    openapi_extra={
        "parameters": [
            _header("Idempotency-Key", "The sender's id of this request, 1 to 100 characters."),
            _header("X-Tiaojie-Source", "The code of the sending source."),
            _header("X-Tiaojie-Timestamp", "Unix seconds when the request was signed."),
        ]
    },
)
def send_case(request: HttpRequest, payload: IntakeIn) -> Status:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 100:
        raise DomainError(
            _("Send an Idempotency-Key header of 1 to 100 characters."),
            code="missing_idempotency_key",
        )
    data = services.CaseData(
        **payload.dict(exclude={"parties"}),
        parties=[services.PartyData(**p.dict()) for p in payload.parties],
    )
    source: IntakeSource = request.auth  # type: ignore[attr-defined]
    try:
        done = services.receive(source, key=key, body=request.body, data=data)
    except services.KeyReused as exc:
        # 422, not 400: the request is well formed, but its key names another one.
        raise Refused(422, exc.message, code=exc.code) from exc
    out = IntakeOut(code=done.code, status=done.status, created=done.created)
    return Status(202 if done.created else 200, out)
