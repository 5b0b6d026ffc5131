from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from tiaojie.accounts.models import UnitKind
from tiaojie.core.enums import Tier

register = template.Library()


@register.filter
def route(value: tuple[str, str]) -> str:
    """A replay answer (tier, lead unit kind) in words, or why there is none."""
    tier, lead = value
    if not tier:
        return {
            "": _("not assigned"),
            "no_dispatch_rule": _("no rule applies"),
            "dispatch_rules_tie": _("rules tie"),
        }.get(lead, lead)
    tiers, kinds = dict(Tier.choices), dict(UnitKind.choices)
    return f"{tiers.get(tier, tier)} · {kinds.get(lead, lead) or '—'}"


@register.filter
def unit_kinds(values: list[str]) -> str:
    kinds = dict(UnitKind.choices)
    return "、".join(str(kinds.get(v, v)) for v in values) or "—"


@register.filter
def pick(mapping: dict[str, str], key: str) -> str:
    return mapping.get(key, key)
