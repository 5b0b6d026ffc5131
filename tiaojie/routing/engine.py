"""Which tier and which units a case goes to (分层分流), from the dispatch catalogue.

A rule's conditions are kind, category, risk level and a region scope; empty means any. Of
the rules matching a case the most specific wins, judged in this order: a rule naming the
risk level beats one that does not (red goes up at once, whatever the matter), then one
naming the category, then one naming the kind, then the one whose region is deepest (a
town's own rule beats the county's). Two matching rules can then only tie if they name the
same things in the same region — a duplicate, which saving refuses.

The catalogue is compiled once per process into a dict keyed by (kind, category, risk) with
"" for any, so routing looks at eight small lists whatever the catalogue's size; it is
rebuilt when a rule is saved anywhere (tiaojie.core.cache). The units serving each place are
kept per process too, so routing a case asks the database nothing most of the time.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

from tiaojie.accounts.models import Unit
from tiaojie.core import cache
from tiaojie.core.errors import DomainError
from tiaojie.regions.models import PATH_SEPARATOR

from .models import CatalogueVersion, DispatchRule


class NoRule(DomainError):
    code = "no_dispatch_rule"


class Ambiguous(DomainError):
    code = "dispatch_rules_tie"


@dataclass(frozen=True)
class Rule:
    pk: int
    kind: str
    category: str
    risk_level: str
    region_path: str  # "" for everywhere
    tier: str
    lead_kind: str
    assisting_kinds: tuple[str, ...]
    policy_code: str

    @property
    def specificity(self) -> tuple[bool, bool, bool, int]:
        depth = self.region_path.count(PATH_SEPARATOR)
        return (bool(self.risk_level), bool(self.category), bool(self.kind), depth)

    def matches(self, kind: str, category: str, risk_level: str, region_path: str) -> bool:
        return (
            self.kind in ("", kind)
            and self.category in ("", category)
            and self.risk_level in ("", risk_level)
            and region_path.startswith(self.region_path)
        )


class Catalogue:
    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = list(rules)
        self._index: dict[tuple[str, str, str], list[Rule]] = {}
        for rule in self.rules:
            self._index.setdefault((rule.kind, rule.category, rule.risk_level), []).append(rule)

    def match(self, kind: str, category: str, risk_level: str, region_path: str) -> Rule:
        found = [
            rule
            for key in itertools.product((kind, ""), (category, ""), (risk_level, ""))
            for rule in self._index.get(key, ())
            if region_path.startswith(rule.region_path)
        ]
        if not found:
            raise NoRule(_("No dispatch rule covers this case."))
        best = max(rule.specificity for rule in found)
        winners = [rule for rule in found if rule.specificity == best]
        if len(winners) > 1:
            raise Ambiguous(
                _("Dispatch rules %(ids)s tie for this case.")
                % {"ids": ", ".join(str(r.pk) for r in winners)}
            )
        return winners[0]

    def duplicates_of(self, rule: Rule) -> list[Rule]:
        """Other rules with the same conditions in the same region (they would tie)."""
        same = self._index.get((rule.kind, rule.category, rule.risk_level), [])
        return [r for r in same if r.region_path == rule.region_path and r.pk != rule.pk]

    def ties(self) -> list[list[Rule]]:
        """Groups of rules that tie for every case they match (same conditions, same region).

        Saving refuses them; they can still come in by other ways (a bulk load, a restore),
        so the catalogue screen shows them as errors.
        """
        groups: dict[tuple[str, str, str, str], list[Rule]] = {}
        for rule in self.rules:
            key = (rule.kind, rule.category, rule.risk_level, rule.region_path)
            groups.setdefault(key, []).append(rule)
        return [sorted(g, key=lambda r: r.pk) for g in groups.values() if len(g) > 1]

    def changed(self, rule: Rule | None, *, without: int | None = None) -> Catalogue:
        """This catalogue with rule ``without`` taken out and ``rule`` (if any) put in."""
        kept = [r for r in self.rules if r.pk != without]
        return Catalogue([*kept, rule] if rule is not None else kept)


def compile_rule(r: DispatchRule) -> Rule:
    """One rule as the engine sees it (an unsaved rule gets the id 0)."""
    return Rule(
        pk=r.pk or 0,
        kind=r.kind,
        category=r.category,
        risk_level=r.risk_level,
        region_path=r.region.path if r.region_id and r.region else "",
        tier=r.tier,
        lead_kind=r.lead_kind,
        assisting_kinds=tuple(r.assisting_kinds),
        policy_code=r.policy_code,
    )


def compile_rules(rules: Iterable[DispatchRule]) -> Catalogue:
    return Catalogue(compile_rule(r) for r in rules)


def load() -> tuple[int, Catalogue]:
    """The catalogue's version and its active rules, read now (not the per-process copy).

    The version is read first: a change saved in between moves it past what the caller
    holds, so a save checked against this version is refused rather than wrongly allowed.
    """
    number = CatalogueVersion.objects.filter(pk=1).values_list("number", flat=True).first()
    rules = DispatchRule.objects.filter(is_active=True).select_related("region")
    return number or 0, compile_rules(rules)


def _read_catalogue(_key: None) -> Catalogue:
    return compile_rules(DispatchRule.objects.filter(is_active=True).select_related("region"))


def _read_units(_key: None) -> list[Unit]:
    return list(Unit.objects.filter(is_active=True).select_related("region"))


# Compiled once per process, and again when a rule is saved or the tree changes anywhere (the
# "routing" and "regions" versions move in the saving transaction).
_catalogue = cache.register(
    "routing.catalogue", _read_catalogue, depends_on=("routing", "regions"), maxsize=1
)
# The units serving each place, again when a unit changes.
_units = cache.register(
    "routing.active_units", _read_units, depends_on=("units", "regions"), maxsize=1
)


def catalogue() -> Catalogue:
    """The active rules, compiled once per process and version."""
    return _catalogue.get(None)


def _active_units() -> list[Unit]:
    return _units.get(None)


# --- from rule to units ---------------------------------------------------------------------
@dataclass(frozen=True)
class Proposal:
    """What the dispatcher is offered: the rule's answer, with the units that fit the place.

    The units are found when first asked for: accepting a case needs only the rule's policy
    (and every transition counts, bench/lifecycle.py), the assignment form needs the units.
    """

    rule_id: int
    tier: str
    lead_kind: str
    assisting_kinds: tuple[str, ...]
    policy_code: str
    region_path: str

    @cached_property
    def lead_unit(self) -> Unit | None:
        return serving_unit(self.lead_kind, self.region_path, _active_units())

    @cached_property
    def assisting_units(self) -> tuple[Unit, ...]:
        units = _active_units()
        return tuple(
            u
            for u in (serving_unit(k, self.region_path, units) for k in self.assisting_kinds)
            if u is not None and u != self.lead_unit
        )


def serving_unit(kind: str, region_path: str, units: Iterable[Unit]) -> Unit | None:
    """The unit of ``kind`` nearest above the place: the town's own before the county's."""
    fitting = [
        u for u in units if u.kind == kind and u.is_active and region_path.startswith(u.region.path)
    ]
    return max(fitting, key=lambda u: (len(u.region.path), -u.pk), default=None)


def propose(kind: str, category: str, risk_level: str, region_path: str) -> Proposal:
    rule = catalogue().match(kind, category, risk_level, region_path)
    return Proposal(
        rule_id=rule.pk,
        tier=rule.tier,
        lead_kind=rule.lead_kind,
        assisting_kinds=rule.assisting_kinds,
        policy_code=rule.policy_code,
        region_path=region_path,
    )
