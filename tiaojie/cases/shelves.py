"""The workbench's shelves: a registry that every app adds its own lists to.

A shelf is one list of work waiting for the signed-in user: how many there are and the first
few. Each app registers its shelves when it is ready (cases: due today, overdue, awaiting our
check-in, awaiting follow-up), so a later app (warnings, rectifications, grid tasks) adds its
own without touching cases. The workbench shows them in the order they were registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise


@dataclass(frozen=True)
class ShelfKind:
    """A registered shelf: what it is called and how its items are found for a user."""

    key: str
    title: str | Promise
    # ``items(user, scoped)``: ``scoped`` is the user's visible cases, worked out once for the
    # whole page (a unit's scope reads its assignments and whistle calls: a query each time).
    items: Callable[[Any, QuerySet[Any]], QuerySet[Any]]
    # Shown in red while anything is on it (overdue work).
    urgent: bool = False
    # Renders one item; it gets ``item``. Case shelves show code, title and deadline.
    row_template: str = "cases/_shelf_case.html"
    # Who the shelf is for; the workbench shows shelves only to case workers.
    shown_to: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class Shelf:
    """One list on the workbench: how many there are and the first few."""

    key: str
    title: str | Promise
    count: int
    items: list[Any]
    urgent: bool = False
    row_template: str = "cases/_shelf_case.html"


_kinds: dict[str, ShelfKind] = {}


def register(kind: ShelfKind) -> ShelfKind:
    """Add a shelf to the workbench (again under the same key replaces it)."""
    _kinds[kind.key] = kind
    return kind


def shelves_for(user: Any, *, scoped: QuerySet[Any], size: int = 8) -> list[Shelf]:
    """The shelves shown to ``user``, each with its count and first ``size`` items."""
    shelves = []
    for kind in _kinds.values():
        if kind.shown_to is not None and not kind.shown_to(user):
            continue
        items = kind.items(user, scoped)
        count = items.count()
        shelves.append(
            Shelf(
                kind.key,
                kind.title,
                count,
                list(items[:size]) if count else [],  # an empty shelf: no second query
                urgent=kind.urgent,
                row_template=kind.row_template,
            )
        )
    return shelves
