"""The catalogue's proposal for a case, as the case lifecycle asks for it (cases/hooks.py)."""

from __future__ import annotations

from tiaojie.core.errors import DomainError

from . import engine


def proposal_for(
    kind: str, category: str, risk_level: str, region_path: str
) -> engine.Proposal | None:
    """The catalogue's proposal for such a case, or None (no rule, or rules that tie: the
    catalogue's screen shows those)."""
    try:
        return engine.propose(kind, category, risk_level, region_path)
    except DomainError:
        return None
