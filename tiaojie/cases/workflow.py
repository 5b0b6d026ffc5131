"""The case lifecycle as one pure table: statuses, actions, who may take them and from where.

Nothing here touches the database. Services (cases/services/) look up a rule before every
change, and pages show the actions `allowed_actions` returns for the user, less what the
case's own state rules out (the guards of cases/services/guards.py, which the services
apply too).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.roles import (
    DESK_ROLES,
    DISPATCH_ROLES,
    SUPERVISOR_ROLES,
    TIER_MOVER_ROLES,
    WORKER_ROLES,
    Role,
)


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ACCEPTED = "accepted", _("Accepted")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    SUSPENDED = "suspended", _("Suspended")
    RESOLVED = "resolved", _("Resolved")
    UNRESOLVED = "unresolved", _("Unresolved")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
    MERGED = "merged", _("Merged")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Terminal cases never move again. A closed case is concluded but a leader may reopen it
# (重办), so it is neither open nor terminal.
TERMINAL = frozenset({Status.DECLINED, Status.MERGED, Status.WITHDRAWN})
OPEN = frozenset(
    {
        Status.REGISTERED,
        Status.ACCEPTED,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.SUSPENDED,
        Status.RESOLVED,
        Status.UNRESOLVED,
    }
)
# Concluded = the handling ended in an outcome that counts for 化解率 (DESIGN §6).
CONCLUDED = frozenset({Status.RESOLVED, Status.UNRESOLVED, Status.CLOSED})
# Statuses in which a unit is working the case against a deadline.
WORKING = frozenset({Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.UNRESOLVED})


class Action(models.TextChoices):
    REGISTER = "register", _("Register")
    ACCEPT = "accept", _("Accept")
    DECLINE = "decline", _("Decline")
    ASSIGN = "assign", _("Assign")
    CHECK_IN = "check_in", _("Check in")
    RECORD_SESSION = "record_session", _("Record mediation session")
    REPORT = "report", _("Report back")
    RESOLVE = "resolve", _("Resolve")
    FAIL = "fail", _("Record as unresolved")
    ESCALATE = "escalate", _("Escalate")
    DEESCALATE = "deescalate", _("Hand back to the tier below")
    RETURN = "return", _("Return")
    SUPERVISE = "supervise", _("Supervise")
    EXTEND = "extend", _("Extend deadline")
    SUSPEND = "suspend", _("Suspend")
    RESUME = "resume", _("Resume")
    FOLLOW_UP = "follow_up", _("Follow up")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")
    MERGE = "merge", _("Merge")
    WITHDRAW = "withdraw", _("Withdraw")
    ATTACH = "attach", _("Attach a file")
    LABEL = "label", _("Set the security label")
    SET_RISK = "set_risk", _("Change the risk level")


class EscalationTrigger(models.TextChoices):
    """Why a case went up a tier; kept in the escalation event's details (``trigger``)."""

    HAND = "hand", _("Escalated by hand")
    DEADLINE = "deadline", _("Escalated because the deadline passed")
    FAILURE = "failure", _("Escalated because it was not resolved")
    RED_RISK = "red_risk", _("Red risk: escalated at once")
    MODE = "mode", _("Escalated by the dispatch mode")


class Notice(models.TextChoices):
    """Events of a case's history that are not actions of the table: they record what someone
    outside the staff said and change nothing else (the table, and every page, ignore them)."""

    PUBLIC_RATING = "public_rating", _("Rated online by the applicant")
    # 吹哨报到 (tiaojie/whistles): departments summoned to the case, and their answers.
    WHISTLE_RAISED = "whistle_raised", _("Whistle blown")
    WHISTLE_CHECKED_IN = "whistle_checked_in", _("Checked in to a whistle")
    WHISTLE_CLOSED = "whistle_closed", _("Whistle closed")


class Relation(Enum):
    """How the acting user stands to the case (worked out by the service, not the table)."""

    # The case lies in the area of the user's center (village, town or district) and at a
    # tier that center owns or one below it: a town center does not act on what it escalated.
    AREA = "area"
    # The user's center owns the tier the case is at now (its town's center for a town-tier
    # case, the district center for district and leadership): it may hand the case back.
    TIER = "tier"
    LEAD = "lead"  # the user's unit leads the case
    ASSISTING = "assisting"  # the user's unit assists on the case
    FIRST = "first"  # the user's unit received the case first (首接负责)
    SYSTEM = "system"  # the sweeper, acting on deadlines


@dataclass(frozen=True)
class Rule:
    """One action: the statuses it starts from, where it leads, who may take it."""

    action: Action
    sources: frozenset[Status]
    # One target, or several chosen by the action's outcome (follow-up: satisfied or not).
    target: Status | None = None
    targets: Mapping[str, Status] = field(default_factory=dict)
    roles: frozenset[str] = frozenset()
    relations: frozenset[Relation] = frozenset()
    # Actions that must not be taken by the case's own handler (回访 is done by someone else).
    not_by_handler: bool = False

    def target_for(self, status: Status, variant: str = "") -> Status:
        if self.targets:
            return self.targets[variant]
        return self.target or status


_AREA = frozenset({Relation.AREA})
_LEAD = frozenset({Relation.LEAD})
_AREA_OR_FIRST = frozenset({Relation.AREA, Relation.FIRST})
_OPEN_NOT_REGISTERED = OPEN - {Status.REGISTERED}
# Where a case can move between tiers: it is being worked (not before acceptance, not while
# awaiting its follow-up).
_BETWEEN_TIERS = _OPEN_NOT_REGISTERED - {Status.RESOLVED}

TABLE: tuple[Rule, ...] = (
    Rule(
        Action.ACCEPT,
        frozenset({Status.REGISTERED}),
        Status.ACCEPTED,
        roles=DESK_ROLES,
        relations=_AREA_OR_FIRST,
    ),
    Rule(
        Action.DECLINE,
        frozenset({Status.REGISTERED}),
        Status.DECLINED,
        roles=DESK_ROLES,
        relations=_AREA_OR_FIRST,
    ),
    Rule(
        Action.ASSIGN,
        frozenset({Status.ACCEPTED}),
        Status.ASSIGNED,
        roles=DISPATCH_ROLES,
        relations=_AREA,
    ),
    Rule(
        Action.CHECK_IN,
        frozenset({Status.ASSIGNED}),
        Status.IN_PROGRESS,
        roles=WORKER_ROLES,
        relations=_LEAD,
    ),
    Rule(
        Action.RETURN,
        frozenset({Status.ASSIGNED, Status.IN_PROGRESS}),
        Status.ACCEPTED,
        roles=WORKER_ROLES,
        relations=_LEAD,
    ),
    Rule(
        Action.RECORD_SESSION, frozenset({Status.IN_PROGRESS}), roles=WORKER_ROLES, relations=_LEAD
    ),
    Rule(
        Action.REPORT,
        frozenset({Status.ASSIGNED, Status.IN_PROGRESS, Status.SUSPENDED}),
        roles=WORKER_ROLES,
        relations=frozenset({Relation.ASSISTING}),
    ),
    Rule(
        Action.RESOLVE,
        frozenset({Status.IN_PROGRESS}),
        Status.RESOLVED,
        roles=WORKER_ROLES,
        relations=_LEAD,
    ),
    Rule(
        Action.FAIL,
        frozenset({Status.IN_PROGRESS}),
        Status.UNRESOLVED,
        roles=WORKER_ROLES,
        relations=_LEAD,
    ),
    Rule(
        Action.ESCALATE,
        _BETWEEN_TIERS,
        Status.ACCEPTED,
        roles=TIER_MOVER_ROLES,
        relations=frozenset({Relation.AREA, Relation.SYSTEM}),
    ),
    # 交回: the center owning the case's tier hands it back to the tier below (the guard in
    # services/guards.py checks that the case started lower and is not red).
    Rule(
        Action.DEESCALATE,
        _BETWEEN_TIERS,
        Status.ACCEPTED,
        roles=TIER_MOVER_ROLES,
        relations=frozenset({Relation.TIER}),
    ),
    Rule(
        Action.SUPERVISE,
        # Overdue acceptance and overdue follow-up are supervised too, not only handling.
        OPEN,
        roles=SUPERVISOR_ROLES,
        relations=frozenset({Relation.AREA, Relation.SYSTEM}),
    ),
    Rule(
        Action.EXTEND,
        frozenset({Status.ASSIGNED, Status.IN_PROGRESS}),
        roles=frozenset({Role.LEADER}),
        relations=_AREA,
    ),
    Rule(
        Action.SUSPEND,
        frozenset({Status.IN_PROGRESS}),
        Status.SUSPENDED,
        roles=WORKER_ROLES,
        relations=_LEAD,
    ),
    Rule(
        Action.RESUME,
        frozenset({Status.SUSPENDED}),
        Status.IN_PROGRESS,
        roles=WORKER_ROLES,
        relations=_LEAD,
    ),
    Rule(
        Action.FOLLOW_UP,
        frozenset({Status.RESOLVED}),
        targets={
            "satisfied": Status.CLOSED,
            "basically_satisfied": Status.CLOSED,
            "dissatisfied": Status.IN_PROGRESS,
        },
        roles=DESK_ROLES | {Role.INSPECTOR},
        relations=_AREA_OR_FIRST,
        not_by_handler=True,
    ),
    Rule(
        Action.CLOSE,
        frozenset({Status.RESOLVED, Status.UNRESOLVED}),
        Status.CLOSED,
        roles=TIER_MOVER_ROLES,
        relations=_AREA,
    ),
    Rule(
        Action.REOPEN,
        frozenset({Status.CLOSED}),
        Status.IN_PROGRESS,
        roles=frozenset({Role.LEADER}),
        relations=_AREA,
    ),
    Rule(Action.MERGE, OPEN, Status.MERGED, roles=DISPATCH_ROLES, relations=_AREA),
    Rule(Action.WITHDRAW, OPEN, Status.WITHDRAWN, roles=DESK_ROLES, relations=_AREA_OR_FIRST),
    # Materials come in while the case is worked: at the window, from the lead unit, from an
    # assisting unit's report. A closed case's file is complete; a late paper reopens it.
    # Leaders and inspectors read attachments but do not add them; grid workers bring photos
    # from the street to the cases of their village (the photo of a grid report, say).
    Rule(
        Action.ATTACH,
        OPEN,
        roles=DESK_ROLES | WORKER_ROLES | {Role.GRID_WORKER},
        relations=frozenset({Relation.AREA, Relation.FIRST, Relation.LEAD, Relation.ASSISTING}),
    ),
    # The security label, and the health or psychological notes it protects, are set by the
    # center that runs the case or by its leader, while the case is open.
    Rule(
        Action.LABEL,
        OPEN,
        roles=TIER_MOVER_ROLES,
        relations=frozenset({Relation.AREA, Relation.FIRST, Relation.LEAD}),
    ),
    # The risk level, raised (red sends the case to the district center at once) or lowered,
    # with a reason, by the center of the area or a leader.
    Rule(Action.SET_RISK, OPEN, roles=TIER_MOVER_ROLES, relations=_AREA),
)

RULES: Mapping[Action, Rule] = {rule.action: rule for rule in TABLE}


def rule_for(action: Action | str) -> Rule:
    return RULES[Action(action)]


def can_take(
    action: Action | str,
    status: Status | str,
    *,
    roles: Iterable[str],
    relations: Iterable[Relation],
    is_handler: bool = False,
) -> bool:
    """Whether a user with these roles and relations may take ``action`` on a case in ``status``."""
    rule = RULES.get(Action(action))
    if rule is None or Status(status) not in rule.sources:
        return False
    relations, roles = set(relations), set(roles)
    if not roles:
        # Only the system acts without roles, and only where the table lets it.
        return Relation.SYSTEM in relations and Relation.SYSTEM in rule.relations
    relations.discard(Relation.SYSTEM)
    if rule.not_by_handler and is_handler:
        return False
    return bool(roles & rule.roles) and bool(relations & rule.relations)


def allowed_actions(
    status: Status | str,
    *,
    roles: Iterable[str],
    relations: Iterable[Relation],
    is_handler: bool = False,
) -> list[Action]:
    """Every action this user may take now, in table order (the case page shows these)."""
    roles, relations = set(roles), set(relations)
    return [
        rule.action
        for rule in TABLE
        if can_take(rule.action, status, roles=roles, relations=relations, is_handler=is_handler)
    ]
