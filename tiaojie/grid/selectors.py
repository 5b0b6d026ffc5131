"""Reads for grid reporting: a worker's grids and what they sent."""

from __future__ import annotations

from django.db.models import QuerySet

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.cases.scoping import works_cases
from tiaojie.regions.models import Region

from .models import GridReport


def is_grid_worker(user: User) -> bool:
    return works_cases(user) and user.has_role(Role.GRID_WORKER)


def grids_of(user: User) -> list[Region]:
    """The grids this worker has a duty in (a worker may serve several), by code."""
    if not is_grid_worker(user):
        return []
    return list(Region.objects.filter(grid_members__user=user).order_by("code").distinct())


def recent_reports(user: User, *, limit: int = 5) -> QuerySet[GridReport]:
    """The worker's own last reports: the cases they registered from the street."""
    return (
        GridReport.objects.filter(worker=user)
        .select_related("case", "grid")
        .order_by("-received_at", "-pk")[:limit]
    )
