"""The rules of the 信访工作条例 (2022) that registration and the notices follow.

- Collective visits (art. 20): many people with one matter choose representatives, at most
  five; the representatives are the case's applicants, everyone else is the head count.
- 复查 / 复核 (arts. 35, 36): a petitioner who does not accept the decision may ask the level
  above to look again, within 30 days of receiving it; a 复查 decision may be taken to 复核
  the same way; the 复核 decision is final (art. 37: the same facts are not accepted again).
  A review request is its own petition case, linked to the case whose decision it contests.
- The written notice (art. 23): whether a petition is accepted is told to the petitioner in
  writing within 15 days of receipt (``notice_for``).

Pure checks and reads; the registration service calls them inside its transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tiaojie.core.enums import CaseKind, Channel
from tiaojie.core.errors import DomainError

from . import policies
from .models import Case, PartyRole, ReviewStage
from .workflow import CONCLUDED, Status

if TYPE_CHECKING:
    from .services import PartyInput

MAX_REPRESENTATIVES = 5
# From this many people a visit is collective (群体性, DESIGN §5).
COLLECTIVE_SIZE = 5
# Channels where people come in person and choose representatives.
IN_PERSON = frozenset({Channel.WINDOW, Channel.VISIT})
# A contested decision: the case ended in an outcome (resolved, unresolved, closed).
DECIDED = CONCLUDED
# A review that still counts: not declined, withdrawn or merged away.
_DEAD = frozenset({Status.DECLINED, Status.WITHDRAWN, Status.MERGED})


def is_collective(case: Case) -> bool:
    return case.kind == CaseKind.PETITION and case.people_count >= COLLECTIVE_SIZE


def check_people(
    *, kind: str, channel: str, parties: Sequence[PartyInput], people_count: int
) -> None:
    """A collective visit names at most five representatives; the rest is the head count."""
    applicants = sum(1 for p in parties if p.role == PartyRole.APPLICANT)
    if people_count < 1:
        raise DomainError(_("The number of people must be at least 1."), code="people_count")
    if kind != CaseKind.PETITION:
        return
    if channel in IN_PERSON and applicants > MAX_REPRESENTATIVES:
        raise DomainError(
            _(
                "A collective visit names at most %(max)s representatives as applicants; "
                "record everyone else in the number of people."
            )
            % {"max": MAX_REPRESENTATIVES},
            code="too_many_representatives",
        )
    if people_count < applicants:
        raise DomainError(
            _("The number of people cannot be smaller than the number of applicants."),
            code="people_count",
        )


def review_window_ends(decided_at: dt.datetime) -> dt.datetime:
    """The last moment a review of a decision made at ``decided_at`` may be asked for."""
    from .services import due_from

    return due_from(policies.policy("petition_review_request"), decided_at)


def review_stage_for(original: Case, *, kind: str, received: dt.datetime) -> ReviewStage:
    """The stage a review request of ``original`` is at, or a DomainError saying why not.

    A review follows the original's decision: it can only be asked for once the original is
    decided, within the time limit, one live review per decision, and never after 复核.
    """
    if kind != CaseKind.PETITION or original.kind != CaseKind.PETITION:
        raise DomainError(
            _("Only a petition's decision can be reviewed, by a petition."), code="review_kind"
        )
    if original.review_stage == ReviewStage.RE_REVIEW:
        raise DomainError(
            _("The re-review (复核) decision is final; the same matter is not accepted again."),
            code="review_final",
        )
    if original.status not in DECIDED or original.concluded_at is None:
        raise DomainError(
            _("Case %(code)s has no decision yet; a review can only follow its decision.")
            % {"code": original.code},
            code="review_undecided",
        )
    if received > review_window_ends(original.concluded_at):
        raise DomainError(
            _("The time to ask for a review of case %(code)s (30 days from its decision) is over.")
            % {"code": original.code},
            code="review_too_late",
        )
    if original.reviews.exclude(status__in=_DEAD).exists():
        raise DomainError(
            _("Case %(code)s already has a review request.") % {"code": original.code},
            code="review_exists",
        )
    return ReviewStage.RE_REVIEW if original.review_stage else ReviewStage.REVIEW


# --- the written notice (告知书) ----------------------------------------------------------------
@dataclass(frozen=True)
class Notice:
    """What the printable 受理告知书 / 不予受理告知书 says, or that there is nothing yet."""

    accepted: bool | None  # None: no decision yet
    decided_at: dt.datetime | None
    due_at: dt.datetime  # the notice is owed by then (art. 23)
    source: str
    handling_days: int

    @property
    def late(self) -> bool:
        return self.decided_at is not None and self.decided_at > self.due_at


def notice_for(case: Case) -> Notice:
    """The decision on acceptance and the time the written notice was owed by."""
    from .services import due_from
    from .workflow import Action

    policy = policies.policy("petition_notice")
    due = due_from(policy, case.received_at)
    decision = (
        case.events.filter(action__in=[Action.ACCEPT, Action.DECLINE]).order_by("seq").first()
    )
    if decision is not None:
        accepted: bool | None = decision.action == Action.ACCEPT
        decided_at: dt.datetime | None = decision.at
    elif case.status == Status.DECLINED:
        accepted, decided_at = False, case.closed_at
    elif case.accepted_at is not None or case.status not in (Status.REGISTERED, *_DEAD):
        accepted, decided_at = True, case.accepted_at
    else:
        accepted, decided_at = None, None
    handling = policies.policy(
        policies.handling_policy_code(case.kind, case.category, case.review_stage)
    )
    return Notice(accepted, decided_at, due, policy.source, handling.days)
