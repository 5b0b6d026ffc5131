"""Changes to the dispatch catalogue: checked, recorded with who and why, one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from tiaojie.core import clock
from tiaojie.core.errors import DomainError

from . import engine
from .models import CatalogueVersion, DispatchRule, DispatchRuleRevision


def _bump() -> None:
    CatalogueVersion.objects.get_or_create(pk=1)
    CatalogueVersion.objects.filter(pk=1).update(number=F("number") + 1)


def save_rule(rule: DispatchRule, *, actor: Any, reason: str) -> DispatchRule:
    """Add or change a rule; refused if another active rule has the same conditions."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Please give the reason for the change."), code="missing_input")
    with transaction.atomic():
        others = DispatchRule.objects.filter(is_active=True).exclude(pk=rule.pk)
        compiled = engine.compile_rules(others.select_related("region"))
        candidate = next(iter(engine.compile_rules([rule]).rules))
        if rule.is_active and compiled.duplicates_of(candidate):
            raise DomainError(
                _("Another rule already has these conditions in this region."),
                code="dispatch_rules_tie",
            )
        rule.save()
        DispatchRuleRevision.objects.create(
            rule_id_ref=rule.pk,
            snapshot=model_to_dict(rule),
            changed_by=actor if getattr(actor, "pk", None) else None,
            changed_at=clock.now(),
            reason=reason,
        )
        _bump()
        # This process sees its own change at once; the others within a second.
        transaction.on_commit(engine.clear_cache)
    return rule


@dataclass(frozen=True)
class Difference:
    case_code: str
    before: tuple[str, str]  # (tier, lead unit kind) under the current rules
    after: tuple[str, str]  # under the candidate rules


def replay(candidate: list[DispatchRule], cases: Any) -> list[Difference]:
    """How ``cases`` would be routed under ``candidate`` rules versus the active catalogue.

    ``candidate`` is the whole catalogue as it would be after the change (unsaved rules are
    fine). Only cases whose tier or lead unit kind changes are listed.
    """
    now = engine.catalogue()
    new = engine.compile_rules(candidate)
    out = []
    for code, *matter in cases.values_list(
        "code", "kind", "category", "risk_level", "region__path"
    ):
        before, after = _answer(now, matter), _answer(new, matter)
        if before != after:
            out.append(Difference(code, before, after))
    return out


def _answer(catalogue: engine.Catalogue, matter: list[str]) -> tuple[str, str]:
    """(tier, lead unit kind) for (kind, category, risk, region path); ("", error) if none."""
    try:
        rule = catalogue.match(*matter)
    except DomainError as exc:
        return ("", exc.code)
    return (rule.tier, rule.lead_kind)
