"""The dispatch catalogue (派单目录): rules as data, and the history of every change."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import UnitKind
from tiaojie.core import cache
from tiaojie.core.enums import CaseKind, Category, RiskLevel, Tier
from tiaojie.core.models import TimeStampedModel
from tiaojie.regions.models import Region


class DispatchRule(TimeStampedModel):
    """(kind, category, risk, region scope) → tier, lead unit kind, assisting kinds, policy.

    An empty condition matches anything. Of the rules matching a case, the most specific wins
    (``routing.engine``); two equally specific matching rules are an error the catalogue
    screen shows, never a coin toss.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices, blank=True)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices, blank=True)
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only cases in this region and below; empty for everywhere."),
    )
    tier = models.CharField(_("handling tier"), max_length=20, choices=Tier.choices)
    lead_kind = models.CharField(_("lead unit kind"), max_length=30, choices=UnitKind.choices)
    assisting_kinds = models.JSONField(_("assisting unit kinds"), default=list, blank=True)
    policy_code = models.CharField(
        _("deadline policy"),
        max_length=40,
        blank=True,
        help_text=_("Empty: the legal default for the kind and category."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("dispatch rule")
        verbose_name_plural = _("dispatch rules")

    def __str__(self) -> str:
        conditions = [self.kind, self.category, self.risk_level]
        return " / ".join(c or "*" for c in conditions) + f" → {self.lead_kind}"


# The fields a revision's snapshot is compared on (model_to_dict keys; region is its id).
RULE_FIELDS = (
    "kind",
    "category",
    "risk_level",
    "region",
    "tier",
    "lead_kind",
    "assisting_kinds",
    "policy_code",
    "note",
    "is_active",
)


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that differ; every field, old None, for a new rule."""
    if before is None:
        return {f: [None, after.get(f)] for f in RULE_FIELDS}
    return {f: [before.get(f), after.get(f)] for f in RULE_FIELDS if before.get(f) != after.get(f)}


class DispatchRuleRevision(models.Model):
    """One saved change to the catalogue: who, when, why, and the rule as it became."""

    rule_id_ref = models.PositiveIntegerField(_("rule"))
    snapshot = models.JSONField(_("rule"))
    deleted = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("dispatch rule revision")
        verbose_name_plural = _("dispatch rule revisions")

    def __str__(self) -> str:
        return f"rule {self.rule_id_ref} @ {self.changed_at:%Y-%m-%d %H:%M}"


class CatalogueVersion(models.Model):
    """One row counting catalogue changes, so every process knows when to reload its rules."""

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.number)


# A change here must reach every process's cached copies at once (tiaojie.core.cache).
cache.watch("routing", DispatchRule)
