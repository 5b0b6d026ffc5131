"""Changes to the dispatch catalogue: checked, recorded with who and why, one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from tiaojie.audit.models import AuditKind
from tiaojie.audit.services import record
from tiaojie.core import clock
from tiaojie.core.errors import Conflict, DomainError

from . import access, engine
from .models import CatalogueVersion, DispatchRule, DispatchRuleRevision, changed_fields


def check_rule(rule: DispatchRule, catalogue: engine.Catalogue) -> None:
    """The checks a rule must pass against the active ``catalogue`` before it is saved."""
    if rule.lead_kind in rule.assisting_kinds:
        raise DomainError(
            _("The lead unit kind cannot also be an assisting unit kind."), code="lead_assists"
        )
    if rule.is_active and catalogue.duplicates_of(engine.compile_rule(rule)):
        raise DomainError(
            _("Another rule already has these conditions in this region."),
            code="dispatch_rules_tie",
        )


def _claim_version(expected: int | None) -> None:
    """Move the catalogue's version on; refused if it is no longer ``expected``.

    The compare-and-swap is the transaction's first write, so two saves of previews made
    on the same version cannot both pass.
    """
    CatalogueVersion.objects.get_or_create(pk=1)
    row = CatalogueVersion.objects.filter(pk=1)
    if expected is not None:
        row = row.filter(number=expected)
    if not row.update(number=F("number") + 1):
        raise Conflict(
            _(
                "The dispatch catalogue has changed since your preview. "
                "Nothing was saved; please preview the change again."
            )
        )


def save_rule(
    rule: DispatchRule, *, actor: Any, reason: str, expected_version: int | None = None
) -> DispatchRule:
    """Add, change or deactivate a rule; refused if another active rule has the same conditions.

    ``expected_version``: the catalogue version the change was previewed against; if the
    catalogue moved since, nothing is saved (``Conflict``). ``actor`` None is the server
    itself (a command or a migration); a person must be allowed to edit (``access``).
    """
    if actor is not None and not access.may_edit(actor):
        raise DomainError(
            _("The dispatch catalogue is changed by the district center only."),
            code="not_allowed",
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Please give the reason for the change."), code="missing_input")
    with transaction.atomic():
        _claim_version(expected_version)
        others = DispatchRule.objects.filter(is_active=True).exclude(pk=rule.pk)
        check_rule(rule, engine.compile_rules(others.select_related("region")))
        stored = DispatchRule.objects.filter(pk=rule.pk).first() if rule.pk else None
        before = model_to_dict(stored) if stored is not None else None
        changes = changed_fields(before, model_to_dict(rule))
        if not changes:
            raise DomainError(_("Nothing was changed."), code="no_change")
        rule.save()
        DispatchRuleRevision.objects.create(
            rule_id_ref=rule.pk,
            snapshot=model_to_dict(rule),
            changed_by=actor if getattr(actor, "pk", None) else None,
            changed_at=clock.now(),
            reason=reason,
        )
        if before is None:
            action = "added"
        elif "is_active" in changes:
            action = "activated" if rule.is_active else "deactivated"
        else:
            action = "changed"
        record(
            AuditKind.CONFIG_CHANGED,
            actor=actor if getattr(actor, "pk", None) else None,
            target=rule,
            detail={"action": action, "reason": reason, "changes": changes},
        )
        # rule.save() moved the catalogue's cache version in this transaction, so every
        # process compiles the new catalogue at its next request (tiaojie.core.cache).
    return rule
