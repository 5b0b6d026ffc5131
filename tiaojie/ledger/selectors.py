"""Reads of ledger imports: a unit's staff who may import see their unit's imports only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tiaojie.core.errors import NotFound

from .models import LedgerImport, LedgerMapping, LedgerRow
from .services import may_import


def imports_for_user(user: Any) -> QuerySet[LedgerImport]:
    if not may_import(user):
        return LedgerImport.objects.none()
    return LedgerImport.objects.filter(unit_id=user.unit_id).select_related("uploaded_by")


def import_for_user(user: Any, pk: int) -> LedgerImport:
    """One import, or NotFound when it does not exist or belongs to another unit."""
    found = imports_for_user(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("ledger import not found")
    return found


def imported_rows(ledger: LedgerImport, *, limit: int = 50) -> QuerySet[LedgerRow]:
    """The first rows this import turned into cases, with their cases, in row order."""
    return (
        LedgerRow.objects.filter(ledger_import=ledger)
        .select_related("case")
        .order_by("row_number")[:limit]
    )


def saved_mappings(user: Any) -> QuerySet[LedgerMapping]:
    return LedgerMapping.objects.filter(unit_id=user.unit_id)
