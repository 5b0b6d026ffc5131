"""Domain errors. Services raise them; the edge turns them into a message, 400, 404 or 409."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule was broken. ``code`` is stable and goes into API error bodies."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotFound(DomainError):
    """The object does not exist or is outside the caller's scope (never tell which)."""

    code = "not_found"


class Conflict(DomainError):
    """Someone else changed the object first."""

    code = "conflict"


class Unauthenticated(DomainError):
    """The caller could not be identified (bad or missing signature, no session)."""

    code = "unauthenticated"
