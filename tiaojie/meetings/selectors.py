"""Reads of reviews, meetings and tasks, always through the user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from tiaojie.cases.models import Case
from tiaojie.core.errors import NotFound

from .access import may_read_meetings
from .models import AgendaHeading, AgendaItem, Meeting, MeetingTask, Review, TaskStatus


def reviews_of(case: Case) -> QuerySet[Review]:
    """The case's reviews, oldest first (the case is already scoped)."""
    return case.tier_reviews.select_related("reviewer", "reviewer_unit", "assigned_unit").order_by(
        "at", "id"
    )


def meetings_for_user(user: Any) -> QuerySet[Meeting]:
    """Meetings of the centers in the user's area: a town its own, the district all."""
    if not may_read_meetings(user):
        return Meeting.objects.none()
    return Meeting.objects.select_related("unit", "region", "opened_by").filter(
        region__path__startswith=user.unit.region.path
    )


def meeting_for_user(user: Any, pk: int) -> Meeting:
    meeting = meetings_for_user(user).filter(pk=pk).first()
    if meeting is None:
        raise NotFound("meeting not found")
    return meeting


def tasks_for_user(user: Any) -> QuerySet[MeetingTask]:
    """Tasks the user's unit owns, and those decided by meetings the user may read."""
    if not getattr(user, "unit_id", None) or not user.is_active:
        return MeetingTask.objects.none()
    q = Q(owner_unit_id=user.unit_id)
    if may_read_meetings(user):
        q |= Q(meeting__in=meetings_for_user(user))
    return MeetingTask.objects.filter(q).select_related(
        "meeting", "meeting__unit", "owner_unit", "owner_user", "case"
    )


def owned_tasks(user: Any) -> QuerySet[MeetingTask]:
    """The tasks list of the owner unit: open ones by deadline, then the done ones."""
    if not getattr(user, "unit_id", None):
        return MeetingTask.objects.none()
    return (
        MeetingTask.objects.filter(owner_unit_id=user.unit_id)
        .select_related("meeting", "meeting__unit", "owner_unit", "owner_user", "case")
        .order_by("-status", "due_on", "id")  # "open" sorts after "done": reversed
    )


def task_for_user(user: Any, pk: int) -> MeetingTask:
    task = tasks_for_user(user).filter(pk=pk).first()
    if task is None:
        raise NotFound("task not found")
    return task


def today() -> dt.date:
    return timezone.localdate()


def overdue(tasks: QuerySet[MeetingTask], on: dt.date | None = None) -> QuerySet[MeetingTask]:
    """Open tasks whose deadline has passed."""
    return tasks.filter(status=TaskStatus.OPEN, due_on__lt=on or today())


@dataclass(frozen=True)
class Section:
    heading: AgendaHeading
    items: list[AgendaItem]
    total: int


def agenda_of(meeting: Meeting) -> list[Section]:
    """The stored agenda under its headings, every heading present (an empty one says so)."""
    items = list(meeting.agenda.select_related("case").order_by("position"))
    return [
        Section(
            heading,
            [i for i in items if i.heading == heading],
            int(meeting.agenda_totals.get(heading.value, 0)),
        )
        for heading in AgendaHeading
    ]
