"""The real URLs plus /bench/fixed-json: a bare Django view returning a fixed JSON body,
the baseline the intake benchmark is measured against (same server, same middleware)."""

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as real

FIXED = {"code": "2026000001", "status": "registered", "created": True}


@csrf_exempt
def fixed_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(FIXED, status=201)


urlpatterns = [path("bench/fixed-json", fixed_json), *real]
