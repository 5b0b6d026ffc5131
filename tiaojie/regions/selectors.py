"""Reads of the region tree for a user."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from .models import Region, RegionLevel


def area_of(user: Any) -> Region | None:
    if not user.is_authenticated or not user.unit_id:
        return None
    return user.unit.region


def towns_for_user(user: Any) -> QuerySet[Region]:
    area = area_of(user)
    if area is None:
        return Region.objects.none()
    return Region.objects.subtree(area).filter(level=RegionLevel.TOWN).order_by("code")


def children_with_counts(region: Region) -> QuerySet[Region]:
    """Children of a region with how many villages and grids lie under each."""
    return (
        Region.objects.filter(parent=region)
        .annotate(
            child_count=Count("children", distinct=True),
        )
        .order_by("code")
    )


def region_in_area(user: Any, code: str) -> Region | None:
    area = area_of(user)
    if area is None:
        return None
    return Region.objects.subtree(area).filter(code=code).first()


def count_by_level(region: Region) -> list[tuple[str, int]]:
    """(level label, count) of every level below ``region``, top level first."""
    rows = (
        Region.objects.subtree(region, include_self=False).values("level").annotate(n=Count("id"))
    )
    counts = {row["level"]: row["n"] for row in rows}
    return [
        (str(level.label), counts[level.value]) for level in RegionLevel if level.value in counts
    ]
