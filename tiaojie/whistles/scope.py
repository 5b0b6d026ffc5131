"""What a whistle adds to case scoping (registered with ``cases.scoping.also_sees``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tiaojie.accounts.models import Unit

from .models import WhistleCall


def summoned_cases(unit: Unit, area: list[int] | None) -> QuerySet[Any, int]:
    """Cases outside ``area`` that ``unit`` was summoned to.

    A department summoned by a whistle (吹哨报到) opens the case to check in, and keeps
    seeing it afterwards, like an assisting unit.
    """
    calls = WhistleCall.objects.filter(unit=unit)
    if area is not None:
        calls = calls.exclude(whistle__case__region_id__in=area)
    return calls.order_by().values_list("whistle__case_id", flat=True)
