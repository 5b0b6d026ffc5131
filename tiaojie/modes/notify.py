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
    """Tell the active mode's extra recipients; returns how many were told.

    Those whose scope holds the case read its title and open it from the message; a
    department named in the mode's setting that does not see the case (another town's
    center, a bureau not on it) hears the code and the place only, like a pager.
    """
    period = selectors.active_for(case.region_id, clock.now())
    if period is None:
        return 0
    people = recipients(case, selectors.effect_of(period.mode))
    if not people:
        return 0
    values = {
        "mode": period.label(),
        "code": case.code,
        "title": case.title,
        "place": case.region.name,
    }
    if action == Action.ESCALATE:
        title = _("[%(mode)s] Case escalated: %(code)s %(title)s") % values
        short = _("[%(mode)s] Case escalated: %(code)s in %(place)s") % values
        sms = _("[Governance center, %(mode)s] Case %(code)s was escalated.") % values
    else:
        title = _("[%(mode)s] New case: %(code)s %(title)s") % values
        short = _("[%(mode)s] New case: %(code)s in %(place)s") % values
        sms = _("[Governance center, %(mode)s] New case %(code)s was registered.") % values
    body = _("Dispatch mode in force for %(scope)s: %(reason)s") % {
        "scope": period.scope_name,
        "reason": period.reason,
    }
    key = f"mode:{action}:{case.pk}:{seq}"
    inside = [u for u in people if _sees(u, case)]
    outside = [u for u in people if u not in inside]
    told = notify(inside, Message(NotificationKind.MODE, title, key, body=body, case=case, sms=sms))
    return told + notify(outside, Message(NotificationKind.MODE, short, key, body=body, sms=sms))


def _sees(user: User, case: Case) -> bool:
    from tiaojie.cases.selectors import cases_for_user

    return cases_for_user(user).filter(pk=case.pk).exists()
