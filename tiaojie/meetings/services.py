"""Every write of reviews, meetings and tasks: one service each, all or nothing.

A review's decision is carried out by the case service for it (escalate, close, assign) in the
same transaction as the review row: if the workflow table refuses, nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.models import Unit, User
from tiaojie.audit.models import AuditKind
from tiaojie.audit.services import record
from tiaojie.cases import services as case_services
from tiaojie.cases.action_forms import assignable_units
from tiaojie.cases.models import Case
from tiaojie.cases.services import Actor
from tiaojie.core import clock
from tiaojie.core.errors import Conflict, DomainError

from . import access, agenda
from .models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    MeetingTask,
    Review,
    ReviewDecision,
    TaskStatus,
)


class NotPermitted(DomainError):
    code = "not_permitted"


def _need(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message, code="missing_input")
    return text


# --- reviews (研判) ---------------------------------------------------------------------------
def task_units(user: User) -> list[Unit]:
    """Units a center may give work to: as for assigning a case, and the center itself."""
    units = list(assignable_units(user))
    if user.unit is not None and user.unit not in units:
        units.insert(0, user.unit)
    return units


def review_case(
    case: Case,
    *,
    user: User,
    decision: str,
    conclusion: str,
    assign_to: Unit | None = None,
    expected_version: int | None = None,
) -> Review:
    """研判: the holding tier records its conclusion and decision, and the decision is done."""
    if decision not in ReviewDecision.values:
        raise DomainError(_("Choose a decision."), code="invalid_input")
    conclusion = _need(conclusion, _("Please write the review's conclusion."))
    if not access.may_review(user, case):
        raise NotPermitted(_("Only the tier that holds this case now may review it."))
    tier = access.holding_tier(case)
    unit = user.unit
    assert unit is not None  # may_review: staff of a center
    actor = Actor(user)
    with transaction.atomic():
        if decision == ReviewDecision.ESCALATE:
            case_services.escalate(
                case, actor=actor, reason=conclusion, expected_version=expected_version
            )
        elif decision == ReviewDecision.CLOSE:
            case_services.close(
                case, actor=actor, reason=conclusion, expected_version=expected_version
            )
        elif decision == ReviewDecision.ASSIGN:
            if assign_to is None:
                raise DomainError(_("Choose the unit the case is assigned to."), code="no_unit")
            if assign_to not in assignable_units(user):
                raise DomainError(
                    _("%(unit)s cannot be given this case.") % {"unit": assign_to.name},
                    code="invalid_unit",
                )
            case_services.assign(
                case,
                actor=actor,
                lead=assign_to,
                note=conclusion,
                expected_version=expected_version,
            )
        else:
            # Keep changes nothing on the case, but a stale page must not record a review of
            # a state that is gone.
            current = Case.objects.select_for_update().filter(pk=case.pk).values("version")
            if expected_version is not None and current[0]["version"] != expected_version:
                raise Conflict(
                    _("Someone else changed this case first. Here is its current state.")
                )
        changed = decision != ReviewDecision.KEEP
        return Review.objects.create(
            case=case,
            tier=tier,
            reviewer=user,
            reviewer_unit=unit,
            conclusion=conclusion,
            decision=decision,
            assigned_unit=assign_to if decision == ReviewDecision.ASSIGN else None,
            at=clock.now(),
            event_seq=case.event_count if changed else None,
        )


# --- meetings (月度会商研判) ---------------------------------------------------------------
def _store_agenda(meeting: Meeting, now: dt.datetime) -> None:
    drawn = agenda.build(meeting.region, meeting.month, now=now)
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            heading=item.heading,
            position=position,
            case_id=item.case_id,
            case_code=item.case_code,
            title=item.title[:200],
            detail=item.detail[:300],
            figures=item.figures,
        )
        for position, item in enumerate(drawn.items, start=1)
    )
    meeting.agenda_totals = drawn.totals
    meeting.agenda_at = now


def open_meeting(*, user: User, month: dt.date) -> Meeting:
    """Open the center's meeting of ``month``; its agenda is drawn up from the data now."""
    if not access.may_open_meetings(user):
        raise NotPermitted(_("Only the staff of a governance center hold review meetings."))
    assert user.unit is not None
    now = clock.now()
    month = month.replace(day=1)
    if month > timezone.localdate(now).replace(day=1):
        raise DomainError(_("A meeting reviews a month that has begun."), code="future_month")
    try:
        with transaction.atomic():
            meeting = Meeting(
                unit=user.unit,
                region=user.unit.region,
                month=month,
                opened_by=user,
                opened_at=now,
                agenda_at=now,
            )
            meeting.save()
            _store_agenda(meeting, now)
            meeting.save(update_fields=["agenda_totals", "agenda_at"])
    except IntegrityError:
        raise DomainError(
            _("The meeting of %(month)s has already been opened.") % {"month": f"{month:%Y-%m}"},
            code="meeting_exists",
        ) from None
    return meeting


def _running(meeting: Meeting, user: User) -> Meeting:
    """The meeting locked for a change, if the user runs it and it is still open."""
    if not access.may_run(user, meeting):
        raise NotPermitted(_("Only the center that holds this meeting may change it."))
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status != MeetingStatus.OPEN:
        raise DomainError(
            _("The meeting is closed; its minutes can no longer change."), code="meeting_closed"
        )
    return locked


def refresh_agenda(meeting: Meeting, *, user: User) -> Meeting:
    """Draw the agenda up again from today's data (only while the meeting is open)."""
    with transaction.atomic():
        locked = _running(meeting, user)
        locked.agenda.all().delete()
        _store_agenda(locked, clock.now())
        locked.save(update_fields=["agenda_totals", "agenda_at"])
    return locked


def save_minutes(meeting: Meeting, *, user: User, minutes: str, attendees: str) -> Meeting:
    with transaction.atomic():
        locked = _running(meeting, user)
        locked.minutes = minutes.strip()
        locked.attendees = attendees.strip()
        locked.save(update_fields=["minutes", "attendees"])
    return locked


def add_decision(
    meeting: Meeting,
    *,
    user: User,
    text: str,
    owner_unit: Unit,
    due_on: dt.date,
    owner_user: User | None = None,
    case: Case | None = None,
) -> MeetingTask:
    """A decision of the meeting, tracked as a task of its owner unit until reported done."""
    text = _need(text, _("Please write the decision."))
    if owner_unit not in task_units(user):
        raise DomainError(
            _("%(unit)s cannot be given this task.") % {"unit": owner_unit.name},
            code="invalid_unit",
        )
    if owner_user is not None and owner_user.unit_id != owner_unit.pk:
        raise DomainError(_("The person responsible must work in the owner unit."), code="owner")
    now = clock.now()
    if due_on < timezone.localdate(now):
        raise DomainError(_("The deadline cannot be in the past."), code="past_deadline")
    with transaction.atomic():
        locked = _running(meeting, user)
        return MeetingTask.objects.create(
            meeting=locked,
            text=text,
            case=case,
            owner_unit=owner_unit,
            owner_user=owner_user,
            due_on=due_on,
            created_by=user,
            created_at=now,
        )


def close_meeting(meeting: Meeting, *, user: User, request: Any = None) -> Meeting:
    """Close the meeting: the minutes, attendees and decisions are frozen from now on."""
    with transaction.atomic():
        locked = _running(meeting, user)
        _need(locked.minutes, _("Write the minutes before closing the meeting."))
        locked.status = MeetingStatus.CLOSED
        locked.closed_by = user
        locked.closed_at = clock.now()
        locked.save(update_fields=["status", "closed_by", "closed_at"])
        record(
            AuditKind.MEETING_CLOSED,
            request=request,
            actor=user,
            target=locked,
            detail={
                "unit": locked.unit_id,
                "month": f"{locked.month:%Y-%m}",
                "tasks": locked.tasks.count(),
                "agenda_items": locked.agenda.count(),
            },
        )
    return locked


def complete_task(task: MeetingTask, *, user: User, note: str) -> MeetingTask:
    """The owner unit reports what it did; the task is done."""
    note = _need(note, _("Please say what was done."))
    if not access.may_complete(user, task):
        raise NotPermitted(_("Only the owner unit or the meeting's center may report this task."))
    with transaction.atomic():
        locked = MeetingTask.objects.select_for_update().get(pk=task.pk)
        if locked.status == TaskStatus.DONE:
            raise Conflict(_("This task has already been reported done."))
        locked.status = TaskStatus.DONE
        locked.done_note = note
        locked.done_by = user
        locked.done_at = clock.now()
        locked.save(update_fields=["status", "done_note", "done_by", "done_at"])
    return locked
