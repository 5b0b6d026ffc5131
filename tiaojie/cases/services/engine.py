"""The one transition path every case action takes: who acts, the check, the write, the conflict.

A service asks the guards of services/guards.py (what the case's own state rules out), then
``transition`` checks the action against the workflow table for this actor, changes a copy of
the case, appends its event (hash-chained) and raises the version, all in one transaction.
The UPDATE succeeds only if the row still has the version the caller saw (compare-and-swap);
otherwise the caller gets a Conflict. Views and API handlers pass the version they showed, so
a stale page can never overwrite newer data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models.base import ModelState
from django.utils import translation
from django.utils.translation import gettext as _

from tiaojie.accounts.models import Unit, User
from tiaojie.cases.scoping import in_area, sees_whole_area, works_cases
from tiaojie.core import clock, workdays
from tiaojie.core.chain import insert_row
from tiaojie.core.errors import Conflict, DomainError

from .. import hooks, search, tiers
from ..announce import announce
from ..history import next_event
from ..models import AssignmentRole, Case, DeadlinePolicy
from ..workflow import Action, Relation, Status, allowed_actions, can_take, rule_for
from .guards import refusal


class ActionNotAllowed(DomainError):
    code = "action_not_allowed"


# --- deadlines ----------------------------------------------------------------------------
def due_from(policy: DeadlinePolicy, start: dt.datetime) -> dt.datetime:
    """When ``policy`` makes a stage that starts at ``start`` due.

    Inside a transition (or a registration) a registered deadline factor (a dispatch mode
    active for the case's place) shortens it (cases/hooks.py).
    """
    if policy.working_days:
        due = workdays.add_working_days(start, policy.days)
    else:
        due = workdays.add_calendar_days(start, policy.days)
    return hooks.shorten(start, due)


def extended_due(policy: DeadlinePolicy, due: dt.datetime) -> dt.datetime:
    """``due`` moved later by the policy's one extension (延期)."""
    if policy.working_days:
        return workdays.add_working_days(due, policy.extension_days)
    return workdays.add_calendar_days(due, policy.extension_days, roll_over_holidays=True)


# --- who is acting ------------------------------------------------------------------------
@dataclass(frozen=True)
class Actor:
    """A staff member, or the system (the deadline sweeper) when ``user`` is None."""

    user: User | None

    @property
    def is_system(self) -> bool:
        return self.user is None

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user else None

    @property
    def unit_id(self) -> int | None:
        return self.user.unit_id if self.user else None


SYSTEM = Actor(None)


def relations_of(user: User, case: Case, *, assisting: bool = True) -> set[Relation]:
    """How this user stands to this case (lead, assisting, first receiver, area).

    ``assisting=False`` skips the one relation that needs a query, for actions that do not
    depend on it.
    """
    if not works_cases(user):
        return set()
    unit: Unit = user.unit  # type: ignore[assignment]
    relations = set()
    if case.lead_unit_id == unit.pk:
        relations.add(Relation.LEAD)
    if case.first_unit_id == unit.pk:
        relations.add(Relation.FIRST)
    if (
        sees_whole_area(unit)
        and tiers.reaches_tier(unit, case.tier)
        and in_area(unit, case.region_id)
    ):
        # A center acts on the cases of its area at its own tier and below; what it escalated
        # it still sees (cases/scoping.py) but no longer works.
        relations.add(Relation.AREA)
        if tiers.owns_tier(unit, case.tier):
            relations.add(Relation.TIER)
    if (
        assisting
        and case.assignments.filter(
            unit=unit, role=AssignmentRole.ASSISTING, ended_at=None
        ).exists()
    ):
        relations.add(Relation.ASSISTING)
    return relations


def actions_for(user: User, case: Case) -> list[Action]:
    """What the case page offers this user: what the table allows, less what the case's own
    state rules out (the guards the transition applies too)."""
    actions = allowed_actions(
        case.status,
        roles=user.role_codes,
        relations=relations_of(user, case),
        is_handler=case.handler_id == user.pk,
    )
    return [a for a in actions if not refusal(a, case)]


def refuse_if_ruled_out(action: Action, case: Case) -> None:
    """Raise ActionNotAllowed if the case's own state rules ``action`` out (guards.py)."""
    if reason := refusal(action, case):
        raise ActionNotAllowed(reason)


def need(text: str, what: str) -> str:
    """``text`` stripped, or a DomainError asking for ``what``."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Please give %(what)s.") % {"what": what}, code="missing_input")
    return text


def in_site_language(message: str) -> str:
    """A reason the system writes into the history: in the site's language, not the caller's."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(message)


# --- the one transition path ----------------------------------------------------------------
@dataclass
class Change:
    """What a service wants written besides the status: fields, event details."""

    reason: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    variant: str = ""


def _snapshot(case: Case) -> dict[str, Any]:
    # Writing only the columns that changed keeps each UPDATE small (and does not re-encrypt
    # the address every time).
    return {
        f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields if not f.primary_key
    }


def conflict() -> Conflict:
    return Conflict(_("Someone else changed this case first. Here is its current state."))


def _working_copy(case: Case) -> Case:
    """A copy to change, so a failed action leaves the caller's object as it was.

    Copied field by field rather than through Case(...): the constructor runs every field's
    descriptor and costs a tenth of a transition.
    """
    work = Case.__new__(Case)
    work.__dict__.update(case.__dict__)
    work._state = ModelState()
    work._state.adding = False
    work._state.db = case._state.db
    work._state.fields_cache = dict(case._state.fields_cache)
    return work


def transition(
    case: Case,
    actor: Actor,
    action: Action,
    *,
    expected_version: int | None,
    change: Change,
    mutate: Callable[[Case, dt.datetime], None] | None = None,
    check: Callable[[Case], None] | None = None,
    claim_first: bool = False,
) -> Case:
    """Move ``case`` from the state its caller saw, or raise Conflict if that state is gone.

    Compare-and-swap on ``version``: the rules are checked against the case as the caller
    loaded it, and the write succeeds only if the row still has that version, so checking
    and writing cannot be split by another writer.

    ``claim_first``: the action's ``mutate`` writes other rows too (assignments, a file), so
    the case row is claimed (row lock + version check) before it runs and only the winner
    writes them; ``check`` then runs on the claimed state.
    """
    seen = case.version
    if expected_version is not None and expected_version != seen:
        raise conflict()
    if actor.is_system:
        relations = {Relation.SYSTEM}
        roles: frozenset[str] = frozenset()
        is_handler = False
    else:
        user = actor.user
        assert user is not None
        relations = relations_of(
            user, case, assisting=Relation.ASSISTING in rule_for(action).relations
        )
        roles = user.role_codes
        is_handler = case.handler_id == user.pk
    if not can_take(action, case.status, roles=roles, relations=relations, is_handler=is_handler):
        raise ActionNotAllowed(
            _("%(action)s is not possible for this case now.") % {"action": action.label}
        )
    now = clock.now()
    with transaction.atomic():
        claimed = claim_first and claim_row(case.pk, seen)
        if claim_first and not claimed:
            raise conflict()
        work = _working_copy(case)
        if check:
            check(work)
        from_status = Status(work.status)
        to_status = rule_for(action).target_for(from_status, change.variant)
        before = _snapshot(work)
        # The one place a deadline factor (a dispatch mode) reaches the deadlines an action
        # sets (三调度).
        with hooks.deadline_scope(work.region_id, now) as scope:
            if mutate:
                mutate(work, now)
        work.status = to_status
        work.version = seen + 1
        event = next_event(
            work,
            action=action,
            actor_id=actor.user_id,
            actor_unit_id=actor.unit_id,
            at=now,
            from_status=from_status,
            to_status=to_status,
            reason=change.reason,
            payload=scope.payload(change.payload),
        )
        after = _snapshot(work)
        changed = {name: value for name, value in after.items() if before[name] != value}
        if not write_row(case.pk, changed, version=None if claimed else seen):
            raise conflict()
        insert_row(event)  # hand-built INSERT: every transition's hot path
        search.reindex_after(work, action)
        announce(work, action, seq=work.event_count, level=work.supervision_level)
    # The caller's object shows the new state too, without another query.
    for f in Case._meta.concrete_fields:
        setattr(case, f.attname, getattr(work, f.attname))
    case._state.fields_cache = work._state.fields_cache
    return case


_CASE_COLUMNS = {f.attname: f for f in Case._meta.concrete_fields}


def write_row(pk: int, changed: dict[str, Any], *, version: int | None) -> bool:
    """UPDATE the changed columns (if the row still has ``version``); True if it did.

    Hand-built SQL on purpose: this is every transition's hot path, and the ORM's compiler
    costs more than the statement itself (bench/lifecycle.py). Values still go through each
    field's own conversion, so encryption and JSON work exactly as with the ORM.
    """
    qn = connection.ops.quote_name
    fields = [_CASE_COLUMNS[name] for name in changed]
    sets = ", ".join(f"{qn(f.column or f.attname)} = %s" for f in fields)
    params = [f.get_db_prep_save(changed[f.attname], connection) for f in fields]
    sql = f"UPDATE {qn(Case._meta.db_table)} SET {sets} WHERE {qn('id')} = %s"  # noqa: S608 - column names from the model
    params.append(pk)
    if version is not None:
        sql += f" AND {qn('version')} = %s"
        params.append(version)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def claim_row(pk: int, version: int) -> bool:
    """Take the row for this action (row lock + version check in one statement)."""
    return bool(Case.objects.filter(pk=pk, version=version).update(version=version + 1))
