"""Who hears about what happened to a case (called by services inside the transaction)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from tiaojie.accounts.models import NotificationKind, Unit, User
from tiaojie.accounts.notify import Message, notify
from tiaojie.accounts.roles import DESK_ROLES, DISPATCH_ROLES, TIER_MOVER_ROLES, WORKER_ROLES

from . import hooks
from .models import Case, SupervisionLevel
from .workflow import Action


def staff_of(units: Iterable[Unit | None], roles: Iterable[str]) -> QuerySet[User]:
    ids = [u.pk for u in units if u is not None]
    return User.objects.filter(
        unit_id__in=ids, is_active=True, groups__name__in=list(roles)
    ).distinct()


def _workers(case: Case) -> list[User]:
    if case.handler_id and case.handler and case.handler.is_active:
        return [case.handler]
    return list(staff_of([case.lead_unit], WORKER_ROLES))


_ANNOUNCED = frozenset(
    {
        Action.ASSIGN,
        Action.ESCALATE,
        Action.DEESCALATE,
        Action.SUPERVISE,
        Action.RETURN,
        Action.RESOLVE,
    }
)
_quiet: ContextVar[bool] = ContextVar("tiaojie_quiet", default=False)


@contextmanager
def quiet() -> Iterator[None]:
    """Replaying past events (the demo's history) tells nobody: those messages are long stale."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def announce(case: Case, action: str, *, seq: int, level: int = 0) -> None:
    """Write the inbox messages (and SMS) an event calls for, in the site's language."""
    if _quiet.get():
        return
    # What the apps above add (cases/hooks.py): while a dispatch mode is active, its extra
    # recipients hear too (三调度).
    extra = [a for a in hooks.announcers() if action in a.actions]
    if action not in _ANNOUNCED and not extra:
        return
    with translation.override(settings.LANGUAGE_CODE):
        if action in _ANNOUNCED:
            _announce(case, action, seq=seq, level=level)
        for announcer in extra:
            announcer.tell(case, action, seq=seq)


def _announce(case: Case, action: str, *, seq: int, level: int) -> None:
    key = f"{action}:{case.pk}:{seq}"
    if action == Action.ASSIGN:
        units = [a.unit for a in case.assignments.filter(ended_at=None).select_related("unit")]
        recipients = list(staff_of(units, WORKER_ROLES))
        if case.handler:
            recipients.append(case.handler)
        notify(
            recipients,
            Message(
                NotificationKind.ASSIGNED,
                _("New case assigned: %(code)s %(title)s")
                % {"code": case.code, "title": case.title},
                key,
                case=case,
                sms=_(
                    "[Governance center] Case %(code)s was assigned to your unit; please check in."
                )
                % {"code": case.code},
            ),
        )
    elif action in (Action.ESCALATE, Action.DEESCALATE):
        # The center now leading the case: the one above (提级) or below (交回).
        up = action == Action.ESCALATE
        words = {"code": case.code, "title": case.title}
        title = (
            _("Case escalated to your tier: %(code)s %(title)s")
            if up
            else _("Case handed back to your tier: %(code)s %(title)s")
        ) % words
        sms = (
            _("[Governance center] Case %(code)s has been escalated to your center.") % words
            if up
            else ""
        )
        notify(
            staff_of([case.lead_unit], TIER_MOVER_ROLES),
            Message(NotificationKind.ESCALATED, title, key, case=case, sms=sms),
        )
    elif action == Action.SUPERVISE:
        kind = (
            NotificationKind.REMINDER
            if level <= SupervisionLevel.REMINDER
            else NotificationKind.SUPERVISED
        )
        title = (
            _("Deadline approaching: %(code)s %(title)s")
            if kind == NotificationKind.REMINDER
            else _("Case under supervision: %(code)s %(title)s")
        ) % {"code": case.code, "title": case.title}
        sms = ""
        if level >= SupervisionLevel.SUPERVISED:
            sms = _("[Governance center] Case %(code)s is under supervision; please act now.") % {
                "code": case.code
            }
        recipients = _workers(case) or list(staff_of([case.first_unit], DESK_ROLES))
        notify(recipients, Message(kind, title, key, case=case, sms=sms))
    elif action == Action.RETURN:
        # The center it went back to assigns it again; the first receiving unit, which
        # tracks the case to the end (首接负责), hears of it too.
        title = _("Case returned, please reassign: %(code)s %(title)s") % {
            "code": case.code,
            "title": case.title,
        }
        notify(
            staff_of([case.lead_unit], DISPATCH_ROLES),
            Message(NotificationKind.RETURNED, title, key, case=case),
        )
        notify(
            staff_of([case.first_unit], DESK_ROLES),
            Message(
                NotificationKind.RETURNED,
                _("Case you received was returned by its unit: %(code)s %(title)s")
                % {"code": case.code, "title": case.title},
                key,
                case=case,
            ),
        )
    elif action == Action.RESOLVE:
        # The first receiving unit follows up (首接负责), never the handler.
        recipients = [u for u in staff_of([case.first_unit], DESK_ROLES) if u.pk != case.handler_id]
        notify(
            recipients,
            Message(
                NotificationKind.FOLLOW_UP,
                _("Please follow up: %(code)s %(title)s")
                % {"code": case.code, "title": case.title},
                key,
                case=case,
            ),
        )
