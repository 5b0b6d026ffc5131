"""Reads of the public portal: the places to choose from and a case's progress, for its applicant.

Nothing here depends on a signed-in user: a case is read only after its query code matched
(``ticket_for_codes``), and what is read out is what the applicant may know: the steps in
plain words, dates and the units handling it — no staff names, no notes, no other party.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from tiaojie.accounts.models import Unit
from tiaojie.cases.models import Case, LegalRoute, PartyRole, Satisfaction
from tiaojie.cases.workflow import Action, Notice, Status
from tiaojie.core.idnumber import mask_name
from tiaojie.regions.models import Region, RegionLevel

from .models import PortalTicket
from .services import RATEABLE, codes_match
from .topics import label_for


def portal_area() -> Region | None:
    """The region whose towns and villages the portal offers (settings or the tree's root)."""
    regions = Region.objects.all()
    if settings.TIAOJIE_PORTAL_REGION:
        return regions.filter(code=settings.TIAOJIE_PORTAL_REGION).first()
    return regions.filter(parent__isnull=True).order_by("code").first()


@dataclass(frozen=True)
class Town:
    code: str
    name: str
    villages: list[tuple[str, str]] = field(default_factory=list)


def towns_and_villages(area: Region | None) -> list[Town]:
    """Every town of the area with its villages and communities, in the tree's order."""
    if area is None:
        return []
    rows = (
        Region.objects.subtree(area)
        .filter(level__in=(RegionLevel.TOWN, RegionLevel.VILLAGE))
        .order_by("path")
        .values_list("code", "name", "level", "parent__code")
    )
    towns: dict[str, Town] = {}
    for code, name, level, parent in rows:
        if level == RegionLevel.TOWN:
            towns[code] = Town(code, name)
        elif parent in towns:
            towns[parent].villages.append((code, name))
    return list(towns.values())


def ticket_for_codes(case_code: str, query_code: str) -> PortalTicket | None:
    """The online case these two codes open, or None: an unknown case and a wrong code alike."""
    ticket = (
        PortalTicket.objects.select_related("case", "case__lead_unit", "case__first_unit")
        .filter(case__code=case_code.strip())
        .first()
    )
    return ticket if codes_match(ticket, case_code, query_code) else None


# What each status means to the applicant.
STATUS_WORDS = {
    Status.REGISTERED: gettext_lazy("Received, waiting to be accepted"),
    Status.ACCEPTED: gettext_lazy("Accepted; a unit is being chosen to handle it"),
    Status.ASSIGNED: gettext_lazy("Handed to the handling unit"),
    Status.IN_PROGRESS: gettext_lazy("Being handled"),
    Status.SUSPENDED: gettext_lazy("Paused (for an appraisal or a hearing, say)"),
    Status.RESOLVED: gettext_lazy("Resolved; we will call you to ask how it went"),
    Status.UNRESOLVED: gettext_lazy("Not resolved yet; the next step is being decided"),
    Status.CLOSED: gettext_lazy("Concluded"),
    Status.DECLINED: gettext_lazy("Not accepted"),
    Status.MERGED: gettext_lazy("Handled together with the same matter"),
    Status.WITHDRAWN: gettext_lazy("Withdrawn"),
}

# The steps shown, oldest first: received → accepted → handled → resolved → concluded.
STAGES = (
    (pgettext_lazy("portal stage", "Received"), {Status.REGISTERED}),
    (pgettext_lazy("portal stage", "Accepted"), {Status.ACCEPTED}),
    (
        pgettext_lazy("portal stage", "Handling"),
        {Status.ASSIGNED, Status.IN_PROGRESS, Status.SUSPENDED},
    ),
    (pgettext_lazy("portal stage", "Resolved"), {Status.RESOLVED, Status.UNRESOLVED}),
    (
        pgettext_lazy("portal stage", "Concluded"),
        {Status.CLOSED, Status.DECLINED, Status.MERGED, Status.WITHDRAWN},
    ),
)

# What the history says to the applicant; actions not listed (supervision, internal returns,
# files, assisting units' reports) are the staff's business.
STEP_WORDS: dict[str, Promise] = {
    Action.REGISTER: gettext_lazy("Your matter was received"),
    Action.ACCEPT: gettext_lazy("Accepted"),
    Action.DECLINE: gettext_lazy("Not accepted"),
    Action.ASSIGN: gettext_lazy("Handed to %(unit)s"),
    Action.CHECK_IN: gettext_lazy("The handling unit has taken it up"),
    Action.RECORD_SESSION: gettext_lazy("A mediation meeting was held"),
    Action.RESOLVE: gettext_lazy("Resolved"),
    Action.FAIL: gettext_lazy("Could not be resolved at this level"),
    Action.ESCALATE: gettext_lazy("Passed up to %(unit)s"),
    Action.DEESCALATE: gettext_lazy("Handed back to %(unit)s"),
    Action.EXTEND: gettext_lazy("The time to handle it was extended"),
    Action.SUSPEND: gettext_lazy("Paused"),
    Action.RESUME: gettext_lazy("Handling resumed"),
    Action.FOLLOW_UP: gettext_lazy("We asked you how it went"),
    Action.CLOSE: gettext_lazy("Concluded"),
    Action.REOPEN: gettext_lazy("Handled again"),
    Action.MERGE: gettext_lazy("Joined with the same matter, handled together"),
    Action.WITHDRAW: gettext_lazy("Withdrawn"),
    Notice.PUBLIC_RATING: gettext_lazy("You rated the handling"),
}
_UNIT_IN_PAYLOAD: dict[str, str] = {
    Action.ASSIGN: "lead",
    Action.ESCALATE: "to_unit",
    Action.DEESCALATE: "to_unit",
}


@dataclass(frozen=True)
class Step:
    at: dt.datetime
    text: str


@dataclass(frozen=True)
class Stage:
    label: str
    state: str  # "done", "current" or "todo"


@dataclass(frozen=True)
class Progress:
    """A case as its applicant sees it."""

    code: str
    topic: str
    applicant: str
    received_at: dt.datetime
    status: str
    status_words: str
    unit: str
    due_at: dt.datetime | None
    stages: list[Stage]
    steps: list[Step]
    legal_route: str
    may_rate: bool
    rating: str
    rated_at: dt.datetime | None


def _unit_name(unit: Unit | None) -> str:
    return (unit.short_name or unit.name) if unit else ""


def _stages(status: str) -> list[Stage]:
    current = next(i for i, (_label, statuses) in enumerate(STAGES) if status in statuses)
    return [
        Stage(str(label), "done" if i < current else "current" if i == current else "todo")
        for i, (label, _statuses) in enumerate(STAGES)
    ]


def _steps(case: Case) -> list[Step]:
    events = list(case.events.order_by("seq").values_list("action", "at", "payload"))
    unit_ids = {
        payload.get(_UNIT_IN_PAYLOAD[action])
        for action, _at, payload in events
        if action in _UNIT_IN_PAYLOAD
    }
    units = {u.pk: _unit_name(u) for u in Unit.objects.filter(pk__in=unit_ids - {None})}
    steps = []
    for action, at, payload in events:
        words = STEP_WORDS.get(action)
        if words is None:
            continue
        unit = units.get(payload.get(_UNIT_IN_PAYLOAD.get(action, ""))) or _("the handling unit")
        steps.append(
            Step(at, str(words) % {"unit": unit} if "%(unit)s" in str(words) else str(words))
        )
    return steps


def progress_of(ticket: PortalTicket) -> Progress:
    case = ticket.case
    applicant = (
        case.parties.filter(role=PartyRole.APPLICANT)
        .order_by("id")
        .values_list("person__name", flat=True)
        .first()
    )
    running = case.status not in (Status.SUSPENDED, Status.CLOSED, Status.RESOLVED)
    return Progress(
        code=case.code,
        topic=label_for(case.kind, case.category),
        applicant=mask_name(applicant or ""),
        received_at=case.received_at,
        status=case.status,
        status_words=str(STATUS_WORDS[Status(case.status)]),
        unit=_unit_name(case.lead_unit or case.first_unit),
        due_at=case.due_at if running else None,
        stages=_stages(case.status),
        steps=_steps(case),
        legal_route=str(LegalRoute(case.decline_route).label) if case.decline_route else "",
        may_rate=case.status in RATEABLE and ticket.rated_at is None,
        rating=str(Satisfaction(ticket.satisfaction).label) if ticket.satisfaction else "",
        rated_at=ticket.rated_at,
    )
