"""Edge rules for every request: no NUL characters in, no page kept in a cache out.

RefuseNulMiddleware — refuse input with a NUL character before any view, form or query sees it.

PostgreSQL cannot store or even compare text containing U+0000: a case code, a search term,
a user name at the sign-in or an intake header with one would end in a database error and a
500 on PostgreSQL while SQLite lets it pass. No legitimate input contains one (Django's form
fields refuse it too, but the API, axes and lookups by path come before any form), so the
request is refused at the edge: 400 for pages, 422 ``invalid_input`` for the API.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError

from tiaojie.core.api import error_body

NUL = "\x00"


def _strings(value: Any) -> Iterator[str]:
    """Every string in a decoded JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def nul_in(request: HttpRequest) -> str | None:
    """Where a NUL character is in the request (path, query, header, form, file name, JSON)."""
    if NUL in request.path:
        return "path"
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in v for v in values):
            return "query"
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and NUL in value:
            return "header"
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    content_type = request.content_type or ""
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        try:
            form, files = request.POST, request.FILES
        except MultiPartParserError:  # a broken form: the view refuses it
            return None
        for name, values in form.lists():
            if NUL in name or any(NUL in v for v in values):
                return "form"
        for _field, uploads in files.lists():
            if any(NUL in (upload.name or "") for upload in uploads):
                return "file name"
    elif content_type == "application/json" or content_type.endswith("+json"):
        try:
            body = json.loads(request.body or b"null")
        except ValueError:  # not JSON at all: the view says so
            return None
        if any(NUL in text for text in _strings(body)):
            return "body"
    return None


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = nul_in(request)
        if where is None:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                error_body(
                    "invalid_input",
                    "The request is not valid.",
                    errors=[{"loc": [where], "msg": "NUL characters are not accepted."}],
                ),
                status=422,
            )
        return HttpResponseBadRequest("NUL characters are not accepted.")


class NoStoreMiddleware:
    """Nothing the application answers is kept by the browser or a proxy (ASVS 14.3.2).

    Case pages, lists, the API and the workbench all show personal data or case contents;
    with ``Cache-Control: no-store`` none of them stays in the browser's cache for the next
    person at a shared office computer to find with the Back button after signing out.
    Static files are answered by WhiteNoise before this and keep their long cache; a view
    that chose its own Cache-Control (a download) keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
