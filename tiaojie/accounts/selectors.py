"""Reads of units and staff, limited to the user's area."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from tiaojie.accounts.models import Unit


def units_for_user(user: Any) -> QuerySet[Unit]:
    """Units in the user's area, plus the departments stationed at their center."""
    if not user.is_authenticated or not user.unit_id:
        return Unit.objects.none()
    region = user.unit.region
    return (
        Unit.objects.filter(
            Q(region__path__startswith=region.path) | Q(stationed_at__region=region)
        )
        .select_related("region", "stationed_at")
        .annotate(staff_count=Count("staff", filter=Q(staff__is_active=True)))
        .order_by("region__path", "kind", "name")
    )
