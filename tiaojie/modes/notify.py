"""Who else hears of a case while a dispatch mode is active (called inside the case's transaction).

The mode's setting names roles (leader, dispatcher …) and departments: holders of those roles
in the governance centers over the case's place, and in the named departments, get an inbox
message and a text message for every case registered or escalated in the mode's scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from tiaojie.accounts.models import NotificationKind, UnitKind, User
from tiaojie.accounts.notify import Message, notify
from tiaojie.cases.workflow import Action
from tiaojie.core import clock

from . import selectors

if TYPE_CHECKING:
    from tiaojie.cases.models import Case

MODE_ANNOUNCED = frozenset({Action.REGISTER, Action.ESCALATE})


def recipients(case: Case, effect: selectors.Effect) -> list[User]:
    if not effect.notify_roles:
        return []
    codes = case.region.path.rstrip("/").split("/")
    centers = Q(
        unit__kind__in=[UnitKind.TOWN_CENTER, UnitKind.DISTRICT_CENTER],
        unit__region__code__in=codes,
    )
    units = Q(unit_id__in=effect.notify_unit_ids)
    return list(
        User.objects.filter(centers | units, is_active=True, groups__name__in=effect.notify_roles)
        .distinct()
        .order_by("pk")
    )


def announce(case: Case, action: str, *, seq: int) -> int:
    """Tell the active mode's extra recipients; returns how many were told."""
    period = selectors.active_for(case.region_id, clock.now())
    if period is None:
        return 0
    values = {"mode": period.label(), "code": case.code, "title": case.title}
    if action == Action.ESCALATE:
        title = _("[%(mode)s] Case escalated: %(code)s %(title)s") % values
        sms = _("[Governance center, %(mode)s] Case %(code)s was escalated.") % values
    else:
        title = _("[%(mode)s] New case: %(code)s %(title)s") % values
        sms = _("[Governance center, %(mode)s] New case %(code)s was registered.") % values
    return notify(
        recipients(case, selectors.effect_of(period.mode)),
        Message(
            NotificationKind.MODE,
            title,
            f"mode:{action}:{case.pk}:{seq}",
            body=_("Dispatch mode in force for %(scope)s: %(reason)s")
            % {"scope": period.scope_name, "reason": period.reason},
            case=case,
            sms=sms,
        ),
    )
