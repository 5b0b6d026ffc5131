"""The case page's panels: a registry that the apps above cases add their sections to.

The case page (templates/cases/detail.html) shows what cases knows itself: the case, its
outcome, parties, attachments and history. Between them, at two places (before the
attachments, before the history), it shows whatever panels are registered there. An app adds
its panel in its AppConfig.ready() (meetings: the reviews of the tier holding the case;
whistles: the case's whistles), so cases imports none of them, in a template neither.
Panels at one place are shown by their order, then in the order they were registered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

BEFORE_ATTACHMENTS = "attachments"
BEFORE_HISTORY = "history"
PLACES = (BEFORE_ATTACHMENTS, BEFORE_HISTORY)


@dataclass(frozen=True)
class Panel:
    """A registered panel: its template, and the context it is rendered with."""

    key: str
    template: str
    # ``context(request, case, page)`` → the template's context; ``page`` is the case page's
    # own (``restricted`` …). The page's CSRF token is passed on, as to an inclusion tag.
    context: Callable[[HttpRequest, Any, Mapping[str, Any]], dict[str, Any]]
    before: str = BEFORE_HISTORY
    order: int = 100


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> Panel:
    """Add a panel to the case page (again under the same key replaces it)."""
    if panel.before not in PLACES:
        raise ValueError(f"a case page panel goes before one of {PLACES}, not {panel.before!r}")
    _panels[panel.key] = panel
    return panel


def panels_before(place: str) -> list[Panel]:
    return sorted((p for p in _panels.values() if p.before == place), key=lambda p: p.order)
