"""Every write of a whistle (吹哨报到): raise, check in, close, and the sweeper's absences.

Each service runs in one transaction: it locks the case row first (so whistles on one case,
and the case's own actions, follow one another), writes the whistle rows, appends a Notice
event to the case's hash-chained history and writes the inbox messages. Nothing is half done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiaojie.accounts.models import NotificationKind, Unit, UnitKind, User
from tiaojie.accounts.notify import Message, notify
from tiaojie.accounts.roles import CASEWORK_ROLES, SUPERVISOR_ROLES, TIER_MOVER_ROLES, Role
from tiaojie.cases import tiers
from tiaojie.cases.announce import staff_of
from tiaojie.cases.history import append_notice
from tiaojie.cases.models import Case
from tiaojie.cases.scoping import AREA_UNIT_KINDS, in_area, works_cases
from tiaojie.cases.workflow import OPEN, Notice, Status
from tiaojie.core import clock
from tiaojie.core.enums import RiskLevel
from tiaojie.core.errors import DomainError
from tiaojie.regions.models import PATH_SEPARATOR, Region

from .models import CHECKED_IN, CallStatus, Whistle, WhistleCall

# Who blows the whistle: the town center or the village committee (with its grid workers)
# responsible for the case (街乡吹哨、部门报到).
WHISTLE_ROLES = TIER_MOVER_ROLES | {Role.GRID_WORKER}
WHISTLER_UNIT_KINDS = frozenset({UnitKind.TOWN_CENTER, UnitKind.VILLAGE_COMMITTEE})
# Accepted and not yet resolved: a case someone is responsible for and still working.
WHISTLE_STATUSES = OPEN - {Status.REGISTERED, Status.RESOLVED}
# Whoever hears at the district center that a department stayed away.
_DISTRICT_ROLES = SUPERVISOR_ROLES - {Role.TOWN_STAFF}
URGENT_RISKS = frozenset({RiskLevel.RED, RiskLevel.ORANGE})


class WhistleNotAllowed(DomainError):
    code = "whistle_not_allowed"


# --- rules that pages also ask ------------------------------------------------------------
def max_hours() -> int:
    return int(settings.TIAOJIE_WHISTLE_MAX_HOURS)


def default_hours(case: Case) -> int:
    """2 hours for a red or orange case, 24 otherwise (both configurable)."""
    if case.risk_level in URGENT_RISKS:
        return int(settings.TIAOJIE_WHISTLE_URGENT_HOURS)
    return int(settings.TIAOJIE_WHISTLE_HOURS)


def may_whistle(user: User, case: Case) -> bool:
    """A town center's or village committee's staff, on an accepted open case their unit leads,
    or of their area while the town or village works it (one escalated to the district is
    worked by the district center; the town and village only read it)."""
    if not works_cases(user) or not user.role_codes & WHISTLE_ROLES:
        return False
    unit: Unit = user.unit  # type: ignore[assignment]
    if unit.kind not in WHISTLER_UNIT_KINDS or case.status not in WHISTLE_STATUSES:
        return False
    return case.lead_unit_id == unit.pk or (
        in_area(unit, case.region_id) and tiers.is_local(case.tier)
    )


def may_close(user: User, whistle: Whistle) -> bool:
    """The whistler's unit closes its whistle."""
    return bool(
        whistle.is_open
        and works_cases(user)
        and user.role_codes & WHISTLE_ROLES
        and user.unit_id == whistle.raised_by_unit_id
    )


def _paths_above(region: Region) -> list[str]:
    """The paths of ``region`` and of every region above it."""
    parts = region.path.rstrip(PATH_SEPARATOR).split(PATH_SEPARATOR)
    return [PATH_SEPARATOR.join(parts[: i + 1]) + PATH_SEPARATOR for i in range(len(parts))]


def departments_for(case: Case) -> QuerySet[Unit]:
    """The departments that serve the case's place: the district's bureaus and the stations
    of its town and village (not centers or committees: they blow whistles, they do not
    answer them)."""
    return (
        Unit.objects.filter(is_active=True, region__path__in=_paths_above(case.region))
        .exclude(kind__in=AREA_UNIT_KINDS)
        .select_related("region")
        .order_by("region__path", "kind", "name")
    )


def district_centers_over(case: Case) -> QuerySet[Unit]:
    return Unit.objects.filter(
        kind=UnitKind.DISTRICT_CENTER, is_active=True, region__path__in=_paths_above(case.region)
    )


# --- the writes -----------------------------------------------------------------------------
def _need(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message, code="missing_input")
    return text


def _lock(case_pk: int) -> Case:
    return Case.objects.select_for_update().select_related("region").get(pk=case_pk)


def _follow(case: Case, locked: Case) -> None:
    """The caller's object keeps up with the row (its version and chain head moved on)."""
    case.version = locked.version
    case.event_count = locked.event_count
    case.last_event_hash = locked.last_event_hash


def _record(
    case: Case,
    notice: Notice,
    actor: User,
    at: dt.datetime,
    *,
    reason: str,
    payload: dict[str, Any],
) -> None:
    """The whistle's step in the case's hash-chained history (the case row is locked)."""
    append_notice(
        case,
        action=notice,
        actor_id=actor.pk,
        actor_unit_id=actor.unit_id,
        at=at,
        reason=reason,
        payload=payload,
    )


def _unit_name(unit: Unit) -> str:
    return unit.short_name or unit.name


def raise_whistle(
    case: Case,
    *,
    actor: User,
    units: Sequence[Unit],
    reason: str,
    deadline_hours: int | None = None,
) -> Whistle:
    """吹哨: summon ``units`` to ``case``; each must check in within ``deadline_hours``."""
    reason = _need(reason, _("Please say what the departments are asked to do."))
    named = list({u.pk: u for u in units}.values())
    if not named:
        raise DomainError(_("Name at least one department to summon."), code="no_departments")
    hours = default_hours(case) if deadline_hours is None else deadline_hours
    if not 1 <= hours <= max_hours():
        raise DomainError(
            _("The check-in deadline must be between 1 and %(max)s hours.") % {"max": max_hours()},
            code="invalid_deadline",
        )
    if not may_whistle(actor, case):
        raise WhistleNotAllowed(
            _(
                "Only the town center or village committee responsible for this case may blow "
                "the whistle on it, once it is accepted and until it is resolved."
            )
        )
    allowed = set(departments_for(case).values_list("pk", flat=True))
    if outside := [u for u in named if u.pk not in allowed]:
        raise DomainError(
            _("%(unit)s cannot be summoned to this case.") % {"unit": outside[0].name},
            code="invalid_department",
        )
    unit = actor.unit
    assert unit is not None  # may_whistle checked it
    with transaction.atomic():
        locked = _lock(case.pk)
        if locked.status not in WHISTLE_STATUSES:
            raise WhistleNotAllowed(_("The case has moved on: the whistle was not blown."))
        now = clock.now()
        whistle = Whistle.objects.create(
            case=locked,
            raised_by=actor,
            raised_by_unit=unit,
            reason=reason,
            deadline_hours=hours,
            raised_at=now,
            due_at=now + dt.timedelta(hours=hours),
        )
        WhistleCall.objects.bulk_create(
            [WhistleCall(whistle=whistle, unit=u, due_at=whistle.due_at) for u in named]
        )
        _record(
            locked,
            Notice.WHISTLE_RAISED,
            actor,
            now,
            reason=reason,
            payload={
                "whistle": whistle.pk,
                "units": [_unit_name(u) for u in named],
                "unit_ids": [u.pk for u in named],
                "deadline_hours": hours,
                "due_at": whistle.due_at,
            },
        )
        _tell_departments(locked, whistle, named)
    _follow(case, locked)
    return whistle


def check_in(whistle: Whistle, *, actor: User, what_done: str) -> WhistleCall:
    """报到: the actor's department answers the whistle and says what it did; after the
    deadline the check-in counts as late."""
    what_done = _need(what_done, _("Please write what your department did."))
    with transaction.atomic():
        locked = _lock(whistle.case_id)
        current = Whistle.objects.get(pk=whistle.pk)
        call = (
            WhistleCall.objects.select_related("unit")
            .filter(whistle=current, unit_id=actor.unit_id or 0)
            .first()
            if works_cases(actor)
            else None
        )
        if call is None:
            raise WhistleNotAllowed(_("Your unit was not summoned by this whistle."))
        if call.status in CHECKED_IN:
            raise DomainError(_("Your unit has checked in already."), code="checked_in")
        if not current.is_open:
            raise DomainError(_("This whistle has been closed."), code="whistle_closed")
        now = clock.now()
        status = CallStatus.ON_TIME if now <= call.due_at else CallStatus.LATE
        claimed = WhistleCall.objects.filter(
            pk=call.pk, status__in=[CallStatus.PENDING, CallStatus.ABSENT]
        ).update(status=status, checked_in_at=now, checked_in_by=actor, what_done=what_done)
        if not claimed:
            raise DomainError(_("Your unit has checked in already."), code="checked_in")
        call.refresh_from_db()
        _record(
            locked,
            Notice.WHISTLE_CHECKED_IN,
            actor,
            now,
            reason=what_done,
            payload={
                "whistle": current.pk,
                "units": [_unit_name(call.unit)],
                "late": status == CallStatus.LATE,
            },
        )
        _tell_whistler(locked, current, call)
    return call


def close(whistle: Whistle, *, actor: User, note: str = "") -> Whistle:
    """The whistler closes the whistle when the matter is handled. Departments whose
    deadline has passed without a check-in stay absent; the others are no longer needed."""
    note = (note or "").strip()
    with transaction.atomic():
        locked = _lock(whistle.case_id)
        current = Whistle.objects.get(pk=whistle.pk)
        if not current.is_open:
            raise DomainError(_("This whistle has been closed."), code="whistle_closed")
        if not may_close(actor, current):
            raise WhistleNotAllowed(_("Only the unit that blew the whistle may close it."))
        now = clock.now()
        Whistle.objects.filter(pk=current.pk, closed_at=None).update(
            closed_at=now, closed_by=actor, closing_note=note
        )
        pending = WhistleCall.objects.filter(whistle=current, status=CallStatus.PENDING)
        pending.filter(due_at__gt=now).update(status=CallStatus.RELEASED)
        for pk in list(pending.values_list("pk", flat=True)):
            _mark_absent(pk, now)
        _record(
            locked,
            Notice.WHISTLE_CLOSED,
            actor,
            now,
            reason=note,
            payload={"whistle": current.pk},
        )
    current.refresh_from_db()
    _follow(whistle.case, locked)
    return current


@dataclass
class SweepReport:
    absent: int = 0

    def __str__(self) -> str:
        return f"whistle check-ins missed {self.absent}"


def sweep(*, now: dt.datetime | None = None, batch: int = 500) -> SweepReport:
    """Mark every call whose deadline passed without a check-in absent, once, and tell the
    district center. Safe to run from several workers at once (compare-and-swap on status)."""
    now = now or timezone.now()
    report = SweepReport()
    due = (
        WhistleCall.objects.filter(status=CallStatus.PENDING, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:batch]
    )
    for pk in list(due):
        with transaction.atomic():
            report.absent += _mark_absent(pk, now)
    return report


def _mark_absent(pk: int, now: dt.datetime) -> int:
    if not WhistleCall.objects.filter(pk=pk, status=CallStatus.PENDING).update(
        status=CallStatus.ABSENT, absent_since=now
    ):
        return 0  # checked in, released or taken by another sweeper meanwhile
    call = WhistleCall.objects.select_related(
        "unit", "whistle__raised_by", "whistle__case__region"
    ).get(pk=pk)
    _tell_district(call)
    return 1


# --- who hears about it ----------------------------------------------------------------------
def _tell_departments(case: Case, whistle: Whistle, units: list[Unit]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        due = timezone.localtime(whistle.due_at).strftime("%m-%d %H:%M")
        notify(
            staff_of(units, CASEWORK_ROLES),
            Message(
                NotificationKind.WHISTLE,
                _("Whistle: check in to case %(code)s by %(due)s")
                % {"code": case.code, "due": due},
                f"whistle:{whistle.pk}:raised",
                body=whistle.reason,
                case=case,
                sms=_(
                    "[Governance center] %(unit)s blew the whistle on case %(code)s: "
                    "please check in by %(due)s."
                )
                % {"unit": _unit_name(whistle.raised_by_unit), "code": case.code, "due": due},
            ),
        )


def _tell_whistler(case: Case, whistle: Whistle, call: WhistleCall) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        title = (
            _("%(unit)s checked in late to your whistle on case %(code)s")
            if call.status == CallStatus.LATE
            else _("%(unit)s checked in to your whistle on case %(code)s")
        ) % {"unit": _unit_name(call.unit), "code": case.code}
        notify(
            [whistle.raised_by],
            Message(
                NotificationKind.WHISTLE,
                title,
                f"whistle:{whistle.pk}:in:{call.unit_id}",
                body=call.what_done,
                case=case,
            ),
        )


def _tell_district(call: WhistleCall) -> None:
    whistle = call.whistle
    case = whistle.case
    recipients = list(staff_of(district_centers_over(case), _DISTRICT_ROLES))
    recipients.append(whistle.raised_by)
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            recipients,
            Message(
                NotificationKind.WHISTLE,
                _("%(unit)s did not check in to the whistle on case %(code)s")
                % {"unit": _unit_name(call.unit), "code": case.code},
                f"whistle:{whistle.pk}:absent:{call.unit_id}",
                body=whistle.reason,
                case=case,
            ),
        )
