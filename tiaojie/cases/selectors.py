"""Reads of cases, always through the user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.cases.scoping import case_scope_q, region_ids_under, sees_whole_area
from tiaojie.core.errors import NotFound
from tiaojie.regions.models import Region, RegionLevel

from .models import Attachment, Case, CaseEvent
from .search import search_cases
from .sensitivity import restricted, searchable_for
from .workflow import OPEN, Status

# Open and on the clock: a suspended case's deadline is paused.
RUNNING = OPEN - {Status.SUSPENDED}


def cases_for_user(user: Any) -> QuerySet[Case]:
    q = case_scope_q(user)
    if q is None:
        return Case.objects.none()
    return Case.objects.filter(q)


def countable(qs: QuerySet[Case]) -> QuerySet[Case]:
    """``qs`` without the cases merged into another (合并): a duplicate counts once, as the
    case it was merged into. Lists, workbench counts and statistics count through this."""
    return qs.exclude(status=Status.MERGED)


def case_for_user(user: Any, code: str) -> Case:
    """One case by code, or NotFound when it does not exist or is out of scope (same answer)."""
    case = (
        cases_for_user(user)
        .select_related("region", "lead_unit", "first_unit", "handler", "registered_by")
        .filter(code=code)
        .first()
    )
    if case is None:
        raise NotFound("case not found")
    return case


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    kind: str = ""
    category: str = ""
    channel: str = ""
    risk_level: str = ""
    tier: str = ""
    unit: int | None = None
    town: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    overdue: bool = False
    q: str = ""


def filter_cases(qs: QuerySet[Case], f: CaseFilters, *, user: Any) -> QuerySet[Case]:
    """``qs`` narrowed by the list's filters; text search only where ``user`` may read."""
    if f.status == "open":
        qs = qs.filter(status__in=OPEN)
    elif f.status:
        qs = qs.filter(status=f.status)  # "merged" shows the merged-away cases on purpose
    else:
        qs = countable(qs)
    for field in ("kind", "category", "channel", "risk_level", "tier"):
        value = getattr(f, field)
        if value:
            qs = qs.filter(**{field: value})
    if f.unit:
        qs = qs.filter(
            Q(lead_unit_id=f.unit) | Q(assignments__unit_id=f.unit, assignments__ended_at=None)
        )
        qs = qs.distinct()
    if f.town:
        town = (
            Region.objects.filter(code=f.town, level=RegionLevel.TOWN)
            .values_list("pk", flat=True)
            .first()
        )
        qs = qs.filter(region_id__in=region_ids_under(town)) if town else qs.none()
    if f.received_from:
        qs = qs.filter(received_at__date__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_at__date__lte=f.received_to)
    if f.overdue:
        qs = qs.filter(status__in=RUNNING, due_at__lt=timezone.now())
    if f.q:
        q = f.q.strip()
        by_code = qs.filter(code=q)
        qs = by_code if by_code.exists() else search_cases(searchable_for(user, qs), q)
    return qs


@dataclass(frozen=True)
class WorkbenchCounts:
    open: int
    registered: int


def workbench_counts(user: Any, *, scoped: QuerySet[Case] | None = None) -> WorkbenchCounts:
    """Counts for the area (the shelves below count the user's own work).

    Each is its own query on the indexed status column: one aggregate with FILTER clauses
    would read every case in the area instead. ``scoped``: the user's cases, when the page
    has them already (working out the scope costs a query, see ``cases_for_user``).
    """
    scoped = countable(cases_for_user(user) if scoped is None else scoped)
    return WorkbenchCounts(
        open=scoped.filter(status__in=OPEN).count(),
        registered=scoped.filter(status=Status.REGISTERED).count(),
    )


def my_cases(user: Any, *, scoped: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases a person works: their area's for center staff, their own unit's otherwise."""
    if scoped is None:
        scoped = cases_for_user(user)
    if not user.unit_id or sees_whole_area(user.unit):
        return scoped
    return scoped.filter(Q(lead_unit=user.unit) | Q(handler=user))


def due_today(user: Any, scoped: QuerySet[Case]) -> QuerySet[Case]:
    """The workbench's "due today" shelf: the user's running cases whose deadline is today."""
    now = timezone.localtime()
    end_of_day = now.replace(hour=23, minute=59, second=59, microsecond=999999)
    return (
        my_cases(user, scoped=scoped)
        .select_related("region", "lead_unit")
        .filter(status__in=RUNNING, due_at__gte=now, due_at__lte=end_of_day)
        .order_by("due_at")
    )


def overdue(user: Any, scoped: QuerySet[Case]) -> QuerySet[Case]:
    """The workbench's "overdue" shelf: the user's running cases past their deadline."""
    return (
        my_cases(user, scoped=scoped)
        .select_related("region", "lead_unit")
        .filter(status__in=RUNNING, due_at__lt=timezone.localtime())
        .order_by("due_at")
    )


def awaiting_check_in(user: Any, scoped: QuerySet[Case]) -> QuerySet[Case]:
    """Cases assigned to the user's unit that it has not checked in to yet (签收)."""
    return (
        scoped.filter(
            status=Status.ASSIGNED,
            assignments__unit_id=user.unit_id,
            assignments__ended_at=None,
            assignments__checked_in_at=None,
        )
        .select_related("region", "lead_unit")
        .order_by("due_at")
        .distinct()
    )


def awaiting_follow_up(user: Any, scoped: QuerySet[Case]) -> QuerySet[Case]:
    """Resolved cases that someone other than their handler is to follow up (回访)."""
    return (
        my_cases(user, scoped=scoped)
        .select_related("region", "lead_unit")
        .filter(status=Status.RESOLVED)
        .exclude(handler=user)
        .order_by("due_at")
    )


@dataclass(frozen=True)
class TimelineEntry:
    event: CaseEvent
    action: str
    from_status: str
    to_status: str
    actor: str
    detail: str = ""


def case_timeline(case: Case) -> list[TimelineEntry]:
    """The case's events, oldest first, in words: what, who (the system when nobody), from → to."""
    from .models import Satisfaction
    from .workflow import Action, Notice, Status

    def label(enum: type[TextChoices], value: str) -> str:
        return str(enum(value).label) if value in enum.values else value

    entries = []
    for event in case.events.select_related("actor", "actor_unit").order_by("seq"):
        detail = ""
        if event.actor is not None:
            unit = event.actor_unit.short_name or event.actor_unit.name if event.actor_unit else ""
            who = f"{event.actor.real_name}（{unit}）" if unit else event.actor.real_name
        elif event.action == Notice.PUBLIC_RATING:
            who = str(_("Applicant, on the online portal"))
            detail = label(Satisfaction, event.payload.get("satisfaction", ""))
        else:
            who = str(_("System"))
        if event.action in Notice.values and event.payload.get("units"):
            detail = "、".join(event.payload["units"])  # the departments a whistle named
        detail = detail or _tier_detail(event)
        entries.append(
            TimelineEntry(
                event=event,
                action=label(Notice if event.action in Notice.values else Action, event.action),
                from_status=label(Status, event.from_status) if event.from_status else "",
                to_status=label(Status, event.to_status) if event.to_status else "",
                actor=who,
                detail=detail,
            )
        )
    return entries


def _tier_detail(event: CaseEvent) -> str:
    """Why and where a case moved between tiers, or how its risk changed, in words."""
    from tiaojie.core.enums import RiskLevel, Tier

    from .workflow import Action, EscalationTrigger

    payload = event.payload or {}

    def label(enum: type[TextChoices], value: Any) -> str:
        return str(enum(value).label) if value in enum.values else str(value or "")

    if event.action in (Action.ESCALATE, Action.DEESCALATE) and payload.get("to_tier"):
        moved = f"{label(Tier, payload.get('from_tier'))} → {label(Tier, payload['to_tier'])}"
        trigger = payload.get("trigger")
        if not trigger:
            return moved
        return _("%(why)s: %(moved)s") % {"why": label(EscalationTrigger, trigger), "moved": moved}
    if event.action == Action.SET_RISK:
        return f"{label(RiskLevel, payload.get('from'))} → {label(RiskLevel, payload.get('to'))}"
    return ""


def agreement_of(case: Case) -> str:
    """The latest mediation agreement written at a resolve step, if any."""
    event = case.events.filter(action="resolve").order_by("-seq").first()
    return str(event.payload.get("agreement", "")) if event else ""


def attachments_of(case: Case) -> QuerySet[Attachment]:
    """The case's files, oldest first, with who uploaded them (the case is already scoped)."""
    return case.attachments.select_related("uploaded_by", "uploaded_by_unit").order_by(
        "uploaded_at", "id"
    )


def readable_case_for_user(user: Any, code: str) -> Case:
    """A case whose contents the user may read: in scope and, if labelled, cleared for it.

    Pages that are nothing but contents (a file, the agreement, the full view) use this:
    to someone who sees only the shell they do not exist (NotFound).
    """
    case = case_for_user(user, code)
    if restricted(user, case):
        raise NotFound("case not found")
    return case


def attachment_for_user(user: Any, code: str, pk: int) -> Attachment:
    """One file of a case the user may read, or NotFound (unknown and out of scope alike)."""
    case = readable_case_for_user(user, code)
    attachment = case.attachments.filter(pk=pk).first()
    if attachment is None:
        raise NotFound("attachment not found")
    return attachment


def related_cases(user: Any, case: Case) -> dict[str, Any]:
    """What the case page shows beside the case: the petition it reviews and its reviews,
    the cases merged into it, suggested duplicates; only cases the user may see."""
    from tiaojie.core.enums import CaseKind

    from . import duplicates, petitions

    scoped = cases_for_user(user)
    return {
        "review_of": scoped.filter(pk=case.review_of_id).first() if case.review_of_id else None,
        "reviews": list(scoped.filter(review_of=case).order_by("received_at", "id")),
        "merged_cases": list(scoped.filter(merged_into=case).order_by("received_at", "id")),
        "duplicates": duplicates.duplicates_of(user, case),
        "collective": petitions.is_collective(case),
        "has_notice": case.kind == CaseKind.PETITION and case.status != Status.REGISTERED,
    }
