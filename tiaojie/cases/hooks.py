"""What the apps above cases add to the lifecycle, registered from their AppConfig.ready().

cases sits below the feature apps (DESIGN.md §7) and never imports them. An app that changes
how a case moves registers its part here, and the case services call what is registered:

- a **deadline factor** (modes: 急时/战时 shorten the deadlines an action sets);
- **after acceptance** (modes: an orange or red case goes straight to the tier above);
- **announcers** (modes: the active mode's extra recipients hear of new and escalated cases);
- the **routing proposal** (routing: the dispatch catalogue's units and deadline policy).

With nothing registered the lifecycle runs as the law alone says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from tiaojie.accounts.models import Unit

    from .models import Case


# --- the deadline factor ----------------------------------------------------------------------
@dataclass(frozen=True)
class Factor:
    """How much shorter deadlines set now are, and what the event records about it."""

    value: float
    record: dict[str, Any] = field(default_factory=dict)  # merged into the event's payload


FactorProvider = Callable[[int | None, dt.datetime], Factor | None]
_factor_providers: list[FactorProvider] = []


def register_deadline_factor(provider: FactorProvider) -> None:
    """``provider(region_id, at)`` gives the factor in force for a place and moment, or None."""
    if provider not in _factor_providers:
        _factor_providers.append(provider)


@dataclass
class DeadlineScope:
    """Where and when deadlines are being set, and the factor that shortened them, if any.

    The factor is looked up only when a deadline is actually set, so an action that sets
    none costs nothing extra.
    """

    region_id: int | None
    at: dt.datetime
    factor: Factor | None = None
    looked_up: bool = False

    def value(self) -> float:
        if not self.looked_up:
            for provider in _factor_providers:
                if (found := provider(self.region_id, self.at)) is not None:
                    self.factor = found
                    break
            self.looked_up = True
        return self.factor.value if self.factor else 1.0

    def payload(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The event's payload, with the factor's record if a deadline was shortened."""
        if self.factor is None or self.factor.value >= 1:
            return payload
        return {**payload, **self.factor.record}


_scope: ContextVar[DeadlineScope | None] = ContextVar("tiaojie_deadline_scope", default=None)


@contextmanager
def deadline_scope(region_id: int | None, at: dt.datetime) -> Iterator[DeadlineScope]:
    """Deadlines computed inside pass through ``shorten`` with the factor of this place."""
    with within(DeadlineScope(region_id, at)) as state:
        yield state


@contextmanager
def within(state: DeadlineScope) -> Iterator[DeadlineScope]:
    """Deadlines computed inside pass through ``shorten`` with ``state``'s factor.

    The ledger's bulk writer keeps one scope per place and moment for a whole import, so the
    factor is looked up once however many cases share them.
    """
    token = _scope.set(state)
    try:
        yield state
    finally:
        _scope.reset(token)


def shorten(start: dt.datetime, due: dt.datetime) -> dt.datetime:
    """``due`` as the factor in force shortens it (unchanged outside ``deadline_scope``)."""
    state = _scope.get()
    if state is None:
        return due
    factor = state.value()
    if factor >= 1 or due <= start:
        return due
    return start + (due - start) * factor


# --- after acceptance -------------------------------------------------------------------------
# ``hook(case, accepted_tier)`` runs inside the accepting transaction, after the red-risk rule,
# and returns the case as it leaves it (sent up, or as it was).
AfterAccept = Callable[["Case", str], "Case"]
# Each hook with the risk levels it acts on: acceptance of a case at any other level needs no
# outer transaction around its transition.
_after_accept: list[tuple[AfterAccept, frozenset[str]]] = []


def register_after_accept(hook: AfterAccept, *, risk_levels: frozenset[str]) -> None:
    if all(hook != known for known, _levels in _after_accept):
        _after_accept.append((hook, risk_levels))


def acts_after_accept(risk_level: str) -> bool:
    """True if a registered hook may act on a case accepted at this risk level."""
    return any(risk_level in levels for _hook, levels in _after_accept)


def after_accept(case: Case, accepted_tier: str) -> Case:
    for hook, levels in _after_accept:
        if case.risk_level in levels:
            case = hook(case, accepted_tier)
    return case


# --- announcers -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Announcer:
    """Who else hears of ``actions``: ``tell(case, action, seq=…)``, inside the transaction."""

    actions: frozenset[str]
    tell: Callable[..., Any]


_announcers: list[Announcer] = []


def register_announcer(announcer: Announcer) -> None:
    if announcer not in _announcers:
        _announcers.append(announcer)


def announcers() -> Sequence[Announcer]:
    return _announcers


# --- the routing proposal ---------------------------------------------------------------------
class Proposal(Protocol):
    """What a dispatch catalogue proposes for a case (tiaojie/routing/engine.py)."""

    @property
    def rule_id(self) -> int: ...
    @property
    def lead_unit(self) -> Unit | None: ...
    @property
    def assisting_units(self) -> Sequence[Unit]: ...
    @property
    def policy_code(self) -> str: ...


ProposalProvider = Callable[[str, str, str, str], Proposal | None]
_proposal_providers: list[ProposalProvider] = []


def register_proposal(provider: ProposalProvider) -> None:
    """``provider(kind, category, risk_level, region_path)`` gives the proposal for such a
    case, or None when there is none."""
    if provider not in _proposal_providers:
        _proposal_providers.append(provider)


def proposal(kind: str, category: str, risk_level: str, region_path: str) -> Proposal | None:
    for provider in _proposal_providers:
        if (found := provider(kind, category, risk_level, region_path)) is not None:
            return found
    return None


def proposal_for(case: Case) -> Proposal | None:
    """The proposal for ``case`` as it is now."""
    return proposal(case.kind, case.category, case.risk_level, case.region.path)
