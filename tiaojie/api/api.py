"""JSON API v1 (django-ninja): mounts every app's ``api.py`` and answers every error alike.

Each app keeps its JSON endpoints in its own ``api.py`` (a ninja Router) and documents its
answers with the schemas of ``tiaojie.core.api``; this module mounts the routers under
/api/v1/, signs staff in, and turns every error into ``{"code", "message"}``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import SessionAuth

from tiaojie.accounts import api as accounts
from tiaojie.accounts.middleware import sign_in_complete
from tiaojie.administration import api as work
from tiaojie.cases import api as cases
from tiaojie.core.api import ErrorOut, FieldErrorsOut, InvalidOut, Refused, error_body
from tiaojie.core.errors import Conflict, DomainError, NotFound, Unauthenticated
from tiaojie.grid import api as grid
from tiaojie.intake import api as intake
from tiaojie.regions import api as regions


class StaffSession(SessionAuth):
    """The browser session, once both factors passed and no password change is due.

    The login middleware already answers 401 before that; this keeps the API closed even
    where the middleware is not in front of it. Who is not signed in gets 401 before the
    CSRF check (403), which only guards what a signed-in browser could be tricked into.
    """

    def __call__(self, request: HttpRequest) -> object | None:
        if not sign_in_complete(request):
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> object | None:
        return request.user if sign_in_complete(request) else None

    def _get_key(self, request: HttpRequest) -> str | None:
        try:
            return super()._get_key(request)
        except HttpError as exc:
            # ninja's CSRF refusal, given a code of its own: a page's script (the grid
            # outbox) keeps its reports and asks for a reload instead of dropping them.
            raise Refused(
                403, "The CSRF token is missing or wrong: reload the page.", code="csrf_failed"
            ) from exc


SAFE_METHODS = {"get", "head", "options"}
_ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


def _answer(description: str, ref: dict[str, str] = _ERROR_REF) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref}}}


def document_errors(schema: OpenAPISchema) -> None:
    """Add the error answers any operation can give to each one that does not list them.

    The exception handlers below answer these for every operation, so they are documented
    here once rather than in each router (a new operation cannot forget them).
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorOut, InvalidOut, FieldErrorsOut):
        components.setdefault(
            model.__name__, model.model_json_schema(ref_template="#/components/schemas/{model}")
        )
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            responses = operation["responses"]
            security = [name for entry in operation.get("security", []) for name in entry]
            if security:
                responses.setdefault(
                    401,
                    _answer(
                        "Not signed in with both factors, sign-in expired or a password change "
                        "due; for intake, the signature is missing or does not verify."
                    ),
                )
            if "StaffSession" in security and method not in SAFE_METHODS:
                responses.setdefault(403, _answer("The CSRF token is missing or wrong."))
            if operation.get("parameters") or operation.get("requestBody"):
                responses.setdefault(
                    422,
                    _answer(
                        "The parameters or the body do not match this schema.",
                        {"$ref": "#/components/schemas/InvalidOut"},
                    ),
                )


def signed_in_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The schema and its browser page are for signed-in staff, like the API they describe."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sign_in_complete(request):
            return JsonResponse(error_body("unauthenticated", "Sign in first."), status=401)
        return view(request, *args, **kwargs)

    return wrapper


class TiaojieAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI schema also lists the shared error answers."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        return schema


api = TiaojieAPI(
    title="Tiaojie API",
    version="1.0.0",
    description="JSON API of the Tiaojie comprehensive governance center system.",
    urls_namespace="api",
    auth=StaffSession(),
    docs_decorator=signed_in_only,
)

api.add_router("/me", accounts.router, tags=["accounts"])
api.add_router("/regions", regions.router, tags=["regions"])
api.add_router("/cases", cases.router, tags=["cases"])
api.add_router("/intake", intake.router, tags=["intake"])
api.add_router("/cases", cases.files, tags=["attachments"])
api.add_router("/grid", grid.router, tags=["grid"])
api.add_router("/work", work.router, tags=["administration"])


def _error(
    request: HttpRequest, status: int, code: str, message: str, **extra: object
) -> HttpResponse:
    return api.create_response(request, error_body(code, message, **extra), status=status)


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _error(request, 404, exc.code, exc.message)


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return _error(request, 409, exc.code, exc.message)


@api.exception_handler(Unauthenticated)
def _unsigned(request: HttpRequest, exc: Unauthenticated) -> HttpResponse:
    return _error(request, 401, exc.code, exc.message)


@api.exception_handler(Refused)
def _refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, **exc.extra)


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
