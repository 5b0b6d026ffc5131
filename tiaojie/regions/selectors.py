"""Reads of the region tree for a user."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from tiaojie.core import cache

from .models import Region, RegionLevel


def _read_paths(_key: None) -> dict[int, str]:
    return dict(Region.objects.values_list("pk", "path"))


# Every place's path, kept per process until the tree changes (the "regions" version moves).
# A county has a few thousand places at most; cases arrive from any of them, so one map
# answers them all where a cache per place would miss on most.
_paths = cache.register("regions.paths", _read_paths, depends_on=("regions",), maxsize=1)


def path_of(region_id: int) -> str:
    """A place's path without a query while it is cached: accepting a case matches the dispatch
    catalogue against it, and loading the place there cost a query a transition."""
    path = _paths.get(None).get(region_id)
    if path is None:  # made in this very transaction, before the map was read again
        path = Region.objects.values_list("path", flat=True).get(pk=region_id)
    return path


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
