"""Reads of the dispatch catalogue for its screens: the rules, their ties and their history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tiaojie.accounts.models import UnitKind
from tiaojie.cases.models import DeadlinePolicy
from tiaojie.cases.policies import DEFAULTS as POLICY_DEFAULTS
from tiaojie.core.enums import CaseKind, Category, RiskLevel, Tier
from tiaojie.core.errors import NotFound
from tiaojie.regions.models import Region

from . import engine
from .models import RULE_FIELDS, DispatchRule, DispatchRuleRevision, changed_fields


@dataclass(frozen=True)
class RuleFilters:
    kind: str = ""
    category: str = ""
    risk_level: str = ""
    region: Region | None = None
    state: str = "active"  # "active", "inactive" or "" for both


def rules(filters: RuleFilters | None = None) -> QuerySet[DispatchRule]:
    """Rules in the order a reader looks for them: kind, category, risk, then place.

    A filter on a condition keeps the rules that name it and those that leave it open
    (they apply too); a region keeps the rules for it, above it and everywhere.
    """
    f = filters or RuleFilters()
    found = DispatchRule.objects.select_related("region")
    for field in ("kind", "category", "risk_level"):
        if value := getattr(f, field):
            found = found.filter(**{f"{field}__in": [value, ""]})
    if f.region is not None:
        above = f.region.path.rstrip("/").split("/")
        found = found.filter(Q(region=None) | Q(region__code__in=above))
    if f.state:
        found = found.filter(is_active=f.state == "active")
    return found.order_by("kind", "category", "risk_level", "region__path", "pk")


def rule(pk: int) -> DispatchRule:
    found = DispatchRule.objects.select_related("region").filter(pk=pk).first()
    if found is None:
        raise NotFound("dispatch rule not found")
    return found


def ties() -> list[list[DispatchRule]]:
    """Groups of active rules that tie (the screen shows them at the top, as errors)."""
    groups = engine.load()[1].ties()
    if not groups:
        return []
    by_pk = DispatchRule.objects.select_related("region").in_bulk([r.pk for g in groups for r in g])
    return [[by_pk[r.pk] for r in group] for group in groups]


# --- history ------------------------------------------------------------------------------
def field_label(field: str) -> str:
    return str(DispatchRule._meta.get_field(field).verbose_name)  # type: ignore[union-attr]


def policy_choices() -> list[tuple[str, str]]:
    names = {code: d.name for code, d in POLICY_DEFAULTS.items()}
    names.update(DeadlinePolicy.objects.values_list("code", "name"))
    return sorted(names.items())


def shown(field: str, value: Any, regions: dict[int, str] | None = None) -> str:
    """A snapshot value as a reader knows it: labels, names, 任意 for an open condition."""
    if value is None:
        return "—"
    labels: dict[str, Any] = {
        "kind": CaseKind,
        "category": Category,
        "risk_level": RiskLevel,
        "tier": Tier,
        "lead_kind": UnitKind,
    }
    if field in labels:
        return str(dict(labels[field].choices).get(value, value)) if value else _("any")
    if field == "region":
        return (regions or {}).get(value, str(value)) if value else _("everywhere")
    if field == "assisting_kinds":
        names = dict(UnitKind.choices)
        return "、".join(str(names.get(k, k)) for k in value) or "—"
    if field == "policy_code":
        return dict(policy_choices()).get(value, value) if value else _("legal default")
    if field == "is_active":
        return _("yes") if value else _("no")
    return str(value) or "—"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    revision: DispatchRuleRevision
    first: bool
    changes: list[Change]


def history(rule: DispatchRule) -> list[HistoryEntry]:
    """The rule's saved changes, newest first, each with what it changed from the one before."""
    revisions = list(
        DispatchRuleRevision.objects.filter(rule_id_ref=rule.pk)
        .select_related("changed_by", "changed_by__unit")
        .order_by("changed_at", "pk")
    )
    region_ids = {
        r.snapshot.get("region") for r in revisions if r.snapshot.get("region") is not None
    }
    regions = dict(Region.objects.filter(pk__in=region_ids).values_list("pk", "name"))
    entries = []
    before: dict[str, Any] | None = None
    for revision in revisions:
        diff = changed_fields(before, revision.snapshot)
        entries.append(
            HistoryEntry(
                revision=revision,
                first=before is None,
                changes=[
                    Change(
                        field_label(f),
                        shown(f, diff[f][0], regions),
                        shown(f, diff[f][1], regions),
                    )
                    for f in RULE_FIELDS
                    if f in diff
                ],
            )
        )
        before = revision.snapshot
    return entries[::-1]
