"""Every write to a case goes through here: one service per action, one transaction each.

The package has one module per group of actions, all on the one transition path of
``engine`` (who acts, the check against the workflow table and the case's own state, the
compare-and-swap write, the conflict):

- ``registration``: 登记, case codes, persons;
- ``handling``: accept or decline, assign, check in, sessions, reports, resolve or fail,
  return, suspend and resume;
- ``escalation``: escalate, hand back, the risk level (red goes up);
- ``oversight``: supervise and extend;
- ``closing``: follow-up, close, reopen, merge, withdraw;
- ``labels``: the security label;
- ``guards``: what a case's own state rules out, shared with the case page.

Callers import the names from here (``cases.services.accept``); the tier rules live in
cases/tiers.py, and what the apps above add (a dispatch mode's deadline factor, the routing
proposal) in cases/hooks.py.
"""

from __future__ import annotations

from .closing import close, follow_up, merge, reopen, withdraw
from .engine import (
    SYSTEM,
    ActionNotAllowed,
    Actor,
    Change,
    actions_for,
    due_from,
    relations_of,
    transition,
)
from .escalation import deescalate, escalate, set_risk
from .handling import (
    accept,
    acceptance_payload,
    assign,
    check_in,
    decline,
    fail,
    handling_policy,
    record_session,
    report,
    resolve,
    resume,
    return_case,
    suspend,
)
from .labels import set_label
from .oversight import extend, supervise
from .registration import (
    NO_APPLICANT_CHANNELS,
    PartyInput,
    case_number_sql,
    check_parties,
    check_people,
    find_or_create_person,
    next_case_code,
    register_case,
    registration_payload,
    reserve_case_codes,
)

__all__ = [
    "NO_APPLICANT_CHANNELS",
    "SYSTEM",
    "ActionNotAllowed",
    "Actor",
    "Change",
    "PartyInput",
    "accept",
    "acceptance_payload",
    "actions_for",
    "assign",
    "case_number_sql",
    "check_in",
    "check_parties",
    "check_people",
    "close",
    "decline",
    "deescalate",
    "due_from",
    "escalate",
    "extend",
    "fail",
    "find_or_create_person",
    "follow_up",
    "handling_policy",
    "merge",
    "next_case_code",
    "record_session",
    "register_case",
    "registration_payload",
    "relations_of",
    "reopen",
    "report",
    "reserve_case_codes",
    "resolve",
    "resume",
    "return_case",
    "set_label",
    "set_risk",
    "supervise",
    "suspend",
    "transition",
    "withdraw",
]
