from django.contrib import admin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import include, path
from django.views.decorators.http import require_GET

from tiaojie.api.api import api


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers; touches the database so a dead database shows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", lambda request: redirect("cases:workbench")),
    path("", include("tiaojie.accounts.urls")),
    path("", include("tiaojie.cases.urls")),
    path("", include("tiaojie.whistles.urls")),
    path("intake/", include("tiaojie.intake.urls")),
    path("regions/", include("tiaojie.regions.urls")),
    path("public/", include("tiaojie.portal.urls")),
    path("grid/", include("tiaojie.grid.urls")),
    path("ledger/", include("tiaojie.ledger.urls")),
    path("meetings/", include("tiaojie.meetings.urls")),
    path("routing/", include("tiaojie.routing.urls")),
    path("manage/", include("tiaojie.administration.urls")),
    path("audit/", include("tiaojie.audit.urls")),
    path("modes/", include("tiaojie.modes.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz),
]
