"""安全标记: the security label of a case and the notes it protects."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from tiaojie.core.errors import DomainError

from ..models import Case, Sensitivity
from ..workflow import Action
from .engine import Actor, Change, need, transition


def set_label(
    case: Case,
    *,
    actor: Actor,
    sensitivity: str,
    reason: str,
    notes: str | None = None,
    expected_version: int | None = None,
) -> Case:
    """安全标记: label the case ordinary or sensitive, and keep its health or psychological notes.

    ``notes`` None leaves the notes as they are. The event records the label and the reason,
    never the notes themselves (the history is not encrypted); the notes live encrypted on
    the case. Notes on an ordinary case would be readable by everyone in scope, so they
    need the sensitive label.
    """
    if sensitivity not in Sensitivity.values:
        raise DomainError(_("Choose a security label."), code="invalid_input")
    reason = need(reason, _("the reason"))
    kept = case.sensitive_notes if notes is None else notes.strip()
    if kept and sensitivity != Sensitivity.SENSITIVE:
        raise DomainError(
            _("Health or psychological notes need the sensitive label."), code="notes_need_label"
        )

    before = case.sensitivity

    def mutate(c: Case, now: dt.datetime) -> None:
        c.sensitivity = sensitivity
        c.sensitive_notes = kept
        # Also in the security audit log (AC-6: every label change is audited), in the
        # same transaction as the change.
        from tiaojie.audit.models import AuditKind
        from tiaojie.audit.services import Target, record

        record(
            AuditKind.SECURITY_LABEL,
            actor=actor.user,
            target=Target("case", c.code),
            detail={"from": before, "to": sensitivity, "reason": reason},
        )

    return transition(
        case,
        actor,
        Action.LABEL,
        expected_version=expected_version,
        change=Change(
            reason=reason,
            payload={"sensitivity": sensitivity, "notes_changed": kept != case.sensitive_notes},
        ),
        mutate=mutate,
    )
