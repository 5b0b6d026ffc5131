"""Who may review a case, run a meeting, or report a task done. Predicates only, no writes.

A review belongs to the tier that holds the case now: the town center for town (and village)
cases, the district center for district cases, the district center's leaders for cases with
the leadership group. A meeting belongs to a center (district, or a town for its own town);
its staff run it, the centers above read it, departments see only the tasks they own.
"""

from __future__ import annotations

from typing import Any

from tiaojie.accounts.models import UnitKind
from tiaojie.accounts.roles import SUPERVISOR_ROLES, TIER_MOVER_ROLES, Role
from tiaojie.cases.models import Case
from tiaojie.cases.scoping import in_area, works_cases
from tiaojie.cases.tiers import holding_tier, owns_tier
from tiaojie.cases.workflow import OPEN
from tiaojie.core.enums import Tier

from .models import Meeting, MeetingTask

CENTER_KINDS = frozenset({UnitKind.DISTRICT_CENTER, UnitKind.TOWN_CENTER})
# The people who review cases and run meetings: the center's dispatchers, staff and leaders.
RUNS = TIER_MOVER_ROLES
# Who reads a meeting without running it.
READS = SUPERVISOR_ROLES


def at_center(user: Any) -> bool:
    return works_cases(user) and user.unit.kind in CENTER_KINDS


def may_review(user: Any, case: Case) -> bool:
    """Staff of the tier holding this open case, in whose area it lies."""
    if not at_center(user) or case.status not in OPEN:
        return False
    roles = user.role_codes
    tier = holding_tier(case)
    if tier == Tier.LEADERSHIP and Role.LEADER not in roles:
        return False
    return bool(roles & RUNS) and owns_tier(user.unit, tier) and in_area(user.unit, case.region_id)


def may_open_meetings(user: Any) -> bool:
    return at_center(user) and bool(user.role_codes & RUNS)


def may_read_meetings(user: Any) -> bool:
    return at_center(user) and bool(user.role_codes & READS)


def may_run(user: Any, meeting: Meeting) -> bool:
    """The meeting's own center runs it (minutes, decisions, closing)."""
    return may_open_meetings(user) and user.unit_id == meeting.unit_id


def may_complete(user: Any, task: MeetingTask) -> bool:
    """The owner unit reports a task done, or the center whose meeting decided it."""
    if not works_cases(user):
        return False
    return user.unit_id == task.owner_unit_id or may_run(user, task.meeting)
