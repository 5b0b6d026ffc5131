"""JSON API v1 (django-ninja). Every later feature adds its routers here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import SessionAuth

from tiaojie.accounts.middleware import sign_in_complete
from tiaojie.core.errors import Conflict, DomainError, NotFound, Unauthenticated
from tiaojie.intake import api as intake
from tiaojie.intake.services import KeyReused

from .routers import attachments, cases, me, regions


class StaffSession(SessionAuth):
    """The browser session, once both factors passed and no password change is due.

    The login middleware already answers 401 before that; this keeps the API closed even
    where the middleware is not in front of it.
    """

    def authenticate(self, request: HttpRequest, key: str | None) -> object | None:
        return request.user if sign_in_complete(request) else None


api = NinjaAPI(
    title="Tiaojie API",
    version="1.0.0",
    description="JSON API of the Tiaojie comprehensive governance center system.",
    urls_namespace="api",
    auth=StaffSession(),
)

api.add_router("/me", me.router, tags=["accounts"])
api.add_router("/regions", regions.router, tags=["regions"])
api.add_router("/cases", cases.router, tags=["cases"])
api.add_router("/intake", intake.router, tags=["intake"])
api.add_router("/cases", attachments.router, tags=["attachments"])


def _error(
    request: HttpRequest, status: int, code: str, message: str, **extra: object
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _error(request, 404, exc.code, exc.message)


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return _error(request, 409, exc.code, exc.message)


@api.exception_handler(Unauthenticated)
def _unsigned(request: HttpRequest, exc: Unauthenticated) -> HttpResponse:
    return _error(request, 401, exc.code, exc.message)


@api.exception_handler(KeyReused)
def _key_reused(request: HttpRequest, exc: KeyReused) -> HttpResponse:
    return _error(request, 422, exc.code, exc.message)


@api.exception_handler(DomainError)
def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, 400, exc.code, exc.message)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, 422, "invalid_input", "The request is not valid.", errors=exc.errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "Sign in first.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, f"http_{exc.status_code}", str(exc))
