"""The one shape of a JSON error, for every app's ``api.py``: ``{"code", "message"}``.

A handler raises a domain error (400; ``NotFound`` 404, ``Conflict`` 409,
``Unauthenticated`` 401) or ``Refused`` with its own status, and ``tiaojie/api`` answers
every one with ``error_body``. The schemas live here, below every app, so that each app's
router documents its answers without importing the api package above it.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Schema

from tiaojie.core.errors import DomainError

# A row's id as the database holds one: a bigger number names no row, and SQLite cannot even
# compare it (an ``id IN (…)`` lookup with one fails instead of finding nothing).
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ErrorOut(Schema):
    code: str
    message: str


class InvalidOut(ErrorOut):
    """422: what pydantic found wrong, field by field."""

    errors: list[dict[str, Any]]


class FieldErrorsOut(ErrorOut):
    """400 from a form: with ``invalid_input``, what is wrong with each field."""

    fields: dict[str, list[str]] | None = None


class Refused(DomainError):
    """A refusal with its own HTTP status (403 for who may not, 400 with field errors …)."""

    def __init__(self, status: int, message: str, *, code: str, **extra: object) -> None:
        super().__init__(message, code=code)
        self.status = status
        self.extra = extra


def error_body(code: str, message: str, **extra: object) -> dict[str, object]:
    return {"code": code, "message": message, **extra}
