"""Every write to a case goes through here: one service per action, one transaction each.

A service locks the case row, checks the action against the workflow table for this actor,
changes the case, appends its event (hash-chained) and raises the version, all or nothing.
Two people acting at once: the second waits for the lock, then finds the case changed and
gets a Conflict. Views and API handlers pass the version they showed, so a stale page can
never overwrite newer data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models.base import ModelState
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tiaojie.accounts.models import Unit, UnitKind, User
from tiaojie.accounts.scoping import in_area, sees_whole_area, works_cases
from tiaojie.core import clock, workdays
from tiaojie.core.chain import insert_row
from tiaojie.core.crypto import blind_index
from tiaojie.core.enums import CaseKind, Channel, RiskLevel, Tier
from tiaojie.core.errors import Conflict, DomainError
from tiaojie.core.idnumber import normalize_id_number
from tiaojie.modes import deadlines as mode_deadlines
from tiaojie.modes import selectors as modes
from tiaojie.regions.models import Region, RegionLevel

from . import petitions, policies, search
from .announce import announce
from .history import append_event, next_event
from .models import (
    Assignment,
    AssignmentRole,
    Case,
    CaseCodeSequence,
    DeadlinePolicy,
    LegalRoute,
    Party,
    PartyRole,
    Person,
    Satisfaction,
    Sensitivity,
    SupervisionLevel,
)
from .workflow import OPEN, Action, EscalationTrigger, Relation, Status, can_take, rule_for


class ActionNotAllowed(DomainError):
    code = "action_not_allowed"


TIER_ORDER = [Tier.VILLAGE, Tier.TOWN, Tier.DISTRICT, Tier.LEADERSHIP]
# The tier each kind of center owns: a village committee the village's, a town center the
# town's, the district center the district's and the leadership group's (it staffs it).
CENTER_TIER: dict[str, Tier] = {
    UnitKind.VILLAGE_COMMITTEE: Tier.VILLAGE,
    UnitKind.TOWN_CENTER: Tier.TOWN,
    UnitKind.DISTRICT_CENTER: Tier.LEADERSHIP,
}


def _rank(tier: str) -> int:
    return TIER_ORDER.index(Tier(tier))


def owns_tier(unit: Unit, tier: str) -> bool:
    """Whether ``unit`` is a center of the tier ``tier`` (district: district and above)."""
    own = CENTER_TIER.get(unit.kind)
    if own is None:
        return False
    if own == Tier.LEADERSHIP:
        return _rank(tier) >= _rank(Tier.DISTRICT)
    return own == tier


def reaches_tier(unit: Unit, tier: str) -> bool:
    """Whether ``unit``'s center acts at ``tier``: its own tier and the ones below it."""
    own = CENTER_TIER.get(unit.kind)
    return own is not None and _rank(tier) <= _rank(own)


# --- deadlines ----------------------------------------------------------------------------
def due_from(policy: DeadlinePolicy, start: dt.datetime) -> dt.datetime:
    """When ``policy`` makes a stage that starts at ``start`` due.

    Inside a transition (or a registration) a dispatch mode active for the case's place
    shortens it by the mode's factor (tiaojie/modes/deadlines.py).
    """
    if policy.working_days:
        due = workdays.add_working_days(start, policy.days)
    else:
        due = workdays.add_calendar_days(start, policy.days)
    return mode_deadlines.shorten(start, due)


def _extend(policy: DeadlinePolicy, due: dt.datetime) -> dt.datetime:
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
    if sees_whole_area(unit) and reaches_tier(unit, case.tier) and in_area(unit, case.region_id):
        # A center acts on the cases of its area at its own tier and below; what it escalated
        # it still sees (accounts/scoping.py) but no longer works.
        relations.add(Relation.AREA)
        if owns_tier(unit, case.tier):
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
    state rules out (supervision already at the top, a deadline that cannot be extended)."""
    from .workflow import allowed_actions

    actions = allowed_actions(
        case.status,
        roles=user.role_codes,
        relations=relations_of(user, case),
        is_handler=case.handler_id == user.pk,
    )
    if case.supervision_level >= SupervisionLevel.LISTED:
        actions = [a for a in actions if a != Action.SUPERVISE]
    if case.extended or case.due_at is None or not (case.policy and case.policy.extension_days):
        actions = [a for a in actions if a != Action.EXTEND]
    if Action.DEESCALATE in actions and deescalation_refusal(case):
        actions = [a for a in actions if a != Action.DEESCALATE]
    return actions


# --- the one transition path ----------------------------------------------------------------
@dataclass
class _Change:
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


def _conflict() -> Conflict:
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


def _transition(
    case: Case,
    actor: Actor,
    action: Action,
    *,
    expected_version: int | None,
    change: _Change,
    mutate: Callable[[Case, dt.datetime], None] | None = None,
    check: Callable[[Case], None] | None = None,
    side_effects: bool = False,
) -> Case:
    """Move ``case`` from the state its caller saw, or raise Conflict if that state is gone.

    Compare-and-swap on ``version``: the rules are checked against the case as the caller
    loaded it, and the write succeeds only if the row still has that version, so checking
    and writing cannot be split by another writer. Actions whose ``mutate`` touches other
    rows (assignments) claim the row first, so those rows are only written by the winner.
    """
    seen = case.version
    if expected_version is not None and expected_version != seen:
        raise _conflict()
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
        claimed = side_effects and _claim(case.pk, seen)
        if side_effects and not claimed:
            raise _conflict()
        work = _working_copy(case)
        if check:
            check(work)
        from_status = Status(work.status)
        to_status = rule_for(action).target_for(from_status, change.variant)
        before = _snapshot(work)
        # The one place a dispatch mode reaches the deadlines an action sets (三调度).
        with mode_deadlines.shortening(work.region_id, now) as mode:
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
            payload=mode.payload(change.payload),
        )
        after = _snapshot(work)
        changed = {name: value for name, value in after.items() if before[name] != value}
        if not _write_row(case.pk, changed, version=None if claimed else seen):
            raise _conflict()
        insert_row(event)  # hand-built INSERT: every transition's hot path
        search.reindex_after(work, action)
        announce(work, action, seq=work.event_count, level=work.supervision_level)
    # The caller's object shows the new state too, without another query.
    for f in Case._meta.concrete_fields:
        setattr(case, f.attname, getattr(work, f.attname))
    case._state.fields_cache = work._state.fields_cache
    return case


_CASE_COLUMNS = {f.attname: f for f in Case._meta.concrete_fields}


def _write_row(pk: int, changed: dict[str, Any], *, version: int | None) -> bool:
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


def _claim(pk: int, version: int) -> bool:
    """Take the row for this action (row lock + version check in one statement)."""
    return bool(Case.objects.filter(pk=pk, version=version).update(version=version + 1))


def _need(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Please give %(what)s.") % {"what": what}, code="missing_input")
    return text


# --- registration -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PartyInput:
    name: str
    role: str = PartyRole.APPLICANT
    id_number: str = ""
    phone: str = ""
    address: str = ""
    gender: str = ""


# A camera's alarm has nobody who applied, and neither has what a grid worker finds on their
# rounds (a cracked wall, a quarrel in the street): the worker reports for residents and is
# not a party (tiaojie/grid/services.py). Every other channel has an applicant, first.
NO_APPLICANT_CHANNELS = frozenset({Channel.VIDEO, Channel.GRID})


def check_parties(channel: str, parties: Sequence[PartyInput]) -> None:
    """The applicant comes first; only a camera's alarm and a grid report may have none."""
    first_is_applicant = bool(parties) and parties[0].role == PartyRole.APPLICANT
    if not first_is_applicant and (parties or channel not in NO_APPLICANT_CHANNELS):
        raise DomainError(_("A case needs its applicant."), code="no_applicant")


def next_case_code(year: int) -> str:
    """YYYY + six digits, from a per-year counter (no gaps, no repeats).

    One upsert that raises the counter and returns it: the row stays locked until the
    registering transaction ends, so a rolled-back registration gives its number back.
    """
    with connection.cursor() as cursor:
        cursor.execute(case_number_sql(), [year])
        last = cursor.fetchone()[0]
    return f"{year}{last:06d}"


def case_number_sql(count: str = "1") -> str:
    """The statement raising a year's counter by ``count`` ``RETURNING last``.

    Parameters: the year, then one for each ``%s`` in ``count`` (none by default).
    """
    table = connection.ops.quote_name(CaseCodeSequence._meta.db_table)
    return (
        f"INSERT INTO {table} (year, last) VALUES (%s, {count}) ON CONFLICT (year) "  # noqa: S608
        f"DO UPDATE SET last = {table}.last + {count} RETURNING last"
    )


def reserve_case_codes(year: int, count: int) -> list[str]:
    """``count`` consecutive case codes of ``year``, as ``count`` calls of next_case_code give.

    One statement; the counter stays locked until the caller's transaction ends.
    """
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(case_number_sql("%s"), [year, count, count])
        last = cursor.fetchone()[0]
    return [f"{year}{n:06d}" for n in range(last - count + 1, last + 1)]


def find_or_create_person(data: PartyInput) -> Person:
    """The same human across cases: matched by the blind index of the ID number."""
    id_number = normalize_id_number(data.id_number) if data.id_number else ""
    if id_number:
        digest = blind_index(id_number, purpose="id_number")
        person = Person.objects.filter(id_number_hash=digest).first()
        if person is not None:
            return person
    phone = data.phone.strip()
    return Person.objects.create(
        name=data.name.strip(),
        gender=data.gender,
        id_number=id_number,
        id_number_hash=blind_index(id_number, purpose="id_number") if id_number else None,
        phone=phone,
        phone_hash=blind_index(phone, purpose="phone") if phone else "",
        address=data.address,
    )


def register_case(
    *,
    actor: Actor,
    kind: str,
    category: str,
    channel: str,
    title: str,
    description: str,
    region: Region,
    parties: Sequence[PartyInput],
    address: str = "",
    first_unit: Unit | None = None,
    people_count: int = 1,
    risk_level: str = "blue",
    occurred_at: dt.datetime | None = None,
    received_at: dt.datetime | None = None,
    code: str | None = None,
    review_of: Case | None = None,
    source: dict[str, Any] | None = None,
) -> Case:
    """登记: a new case with its parties, due for acceptance, and its first event.

    ``code`` is a case code handed out earlier with ``next_case_code`` (machine intake
    answers with it before the case is registered); otherwise a new one is taken.
    ``review_of`` makes the case a 复查 / 复核 request of that petition's decision
    (cases/petitions.py has the rules).
    ``source`` says where a case came from besides its channel (a ledger import and its
    row); it is kept in the registration event.
    """
    unit = first_unit or (actor.user.unit if actor.user else None)
    if unit is None:
        raise DomainError(_("The receiving unit is unknown."), code="no_unit")
    check_parties(channel, parties)
    petitions.check_people(kind=kind, channel=channel, parties=parties, people_count=people_count)
    received = received_at or clock.now()
    tier = case_tier(region, unit)
    accept_policy = policies.policy(policies.acceptance_policy_code(kind))
    # No savepoint when called inside a caller's transaction: an error undoes that anyway.
    # Input is checked before the transaction opens: a refusal then leaves a caller's own
    # transaction usable.
    title = _need(title, _("a title"))
    description = _need(description, _("a description"))
    review_stage = ""
    if review_of is not None:
        review_stage = petitions.review_stage_for(review_of, kind=kind, received=received)
        # The level above the one that decided looks again.
        above = TIER_ORDER[min(TIER_ORDER.index(Tier(review_of.tier)) + 1, 3)]
        tier = max(tier, above, key=TIER_ORDER.index)
    with mode_deadlines.shortening(region.pk, received) as mode:
        accept_due = due_from(accept_policy, received)
    with transaction.atomic(savepoint=False):
        if review_of is not None:
            # Again on the locked row: two requests for one decision cannot both pass.
            review_of = Case.objects.select_for_update().get(pk=review_of.pk)
            petitions.review_stage_for(review_of, kind=kind, received=received)
        case = Case(
            code=code or next_case_code(timezone.localtime(received).year),
            kind=kind,
            category=category,
            channel=channel,
            title=title,
            description=description,
            region=region,
            address=address,
            occurred_at=occurred_at,
            received_at=received,
            people_count=people_count,
            risk_level=risk_level,
            tier=tier,
            first_unit=unit,
            registered_by=actor.user,
            status=Status.REGISTERED,
            stage_started_at=received,
            due_at=accept_due,
            review_of=review_of,
            review_stage=review_stage,
        )
        case.save()
        for data in parties:
            Party.objects.create(case=case, person=find_or_create_person(data), role=data.role)
        append_event(
            case,
            action=Action.REGISTER,
            actor_id=actor.user_id,
            actor_unit_id=unit.pk,
            at=received,
            from_status="",
            to_status=Status.REGISTERED,
            payload=mode.payload(
                {
                    **registration_payload(channel, len(parties), source),
                    **({"review_of": review_of.code} if review_of else {}),
                }
            ),
        )
        case.save(update_fields=["event_count", "last_event_hash"])
        search.reindex_case(case, notes=())
        announce(case, Action.REGISTER, seq=case.event_count)
    return case


def registration_payload(
    channel: str, parties: int, source: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The details of a registration event (the bulk path in cases/bulk.py writes the same)."""
    payload: dict[str, Any] = {"channel": channel, "parties": parties}
    if source:
        payload["source"] = source
    return payload


def case_tier(region: Region, unit: Unit) -> Tier:
    """The tier a new case starts at, by its place and the unit that receives it."""
    tier = {RegionLevel.GRID: Tier.VILLAGE, RegionLevel.VILLAGE: Tier.VILLAGE}.get(
        RegionLevel(region.level), Tier.TOWN if region.level == RegionLevel.TOWN else Tier.DISTRICT
    )
    if tier == Tier.VILLAGE:
        # Registered at a town or district window, a village case starts with the town.
        tier = Tier.VILLAGE if unit.kind == UnitKind.VILLAGE_COMMITTEE else Tier.TOWN
    return tier


# --- the actions ------------------------------------------------------------------------------
def accept(
    case: Case, *, actor: Actor, expected_version: int | None = None, note: str = ""
) -> Case:
    """受理: the handling deadline starts now, under the policy for what the case is.

    The policy is the one the dispatch catalogue's rule for the case names, if it names one
    that exists, else the legal default (a 复查/复核 always runs under its legal 30 days).
    A case accepted with red risk goes to the district center at once, in the same
    transaction; in 急时 and 战时 an orange or red case goes to the tier above.
    """
    handling, rule_id = _handling_policy(case)

    def mutate(c: Case, now: dt.datetime) -> None:
        c.accepted_at = now
        c.policy = handling
        c.stage_started_at = now
        c.due_at = due_from(handling, now)
        c.extended = False

    payload: dict[str, Any] = {"policy": handling.code}
    if rule_id is not None:
        payload["rule"] = rule_id
    accepted_tier = case.tier
    # Only an orange or red case can move on in the same transaction (red risk, a dispatch
    # mode): any other is accepted in _transition's own transaction, without a savepoint.
    moves_on = case.risk_level in _SENT_UP_IN_MODE
    with transaction.atomic() if moves_on else contextlib.nullcontext():
        accepted = _transition(
            case,
            actor,
            Action.ACCEPT,
            expected_version=expected_version,
            change=_Change(reason=note, payload=payload),
            mutate=mutate,
        )
        return _sent_up_in_mode(_red_goes_up(accepted), accepted_tier)


def _sent_up_in_mode(case: Case, accepted_tier: str) -> Case:
    """急时 and 战时: an orange or red case goes straight to the tier above (三调度).

    Called inside the accepting transaction, after the red-risk rule: a case that rule has
    already sent up is not sent up again. Without a center above, the case stays.
    """
    if case.risk_level not in _SENT_UP_IN_MODE or case.tier == Tier.LEADERSHIP:
        return case
    if _rank(case.tier) > _rank(accepted_tier):
        return case  # already sent up (red risk goes to the district)
    period = modes.active_for(case.region_id, clock.now())
    upper = TIER_ORDER[_rank(case.tier) + 1]
    if period is None or not period.sends_up or _center_for(case, upper) is None:
        return case
    return escalate(
        case,
        actor=SYSTEM,
        reason=_site_mode_reason(period, case),
        trigger="mode",
    )


_SENT_UP_IN_MODE = frozenset({RiskLevel.ORANGE, RiskLevel.RED})


def _site_mode_reason(period: Any, case: Case) -> str:
    """Why the mode sent the case up, in the site's language (it goes into the history)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(mode)s dispatch mode: %(risk)s risk goes straight to the tier above.") % {
            "mode": period.label(),
            "risk": RiskLevel(case.risk_level).label,
        }


def _handling_policy(case: Case) -> tuple[DeadlinePolicy, int | None]:
    """The handling policy for ``case`` and the dispatch rule that chose it (None: the law)."""
    legal = policies.handling_policy_code(case.kind, case.category, case.review_stage)
    if not case.review_stage:
        from tiaojie.routing import engine

        # Only the rule is needed here, not the units serving the place (engine.propose), and
        # the place's path comes from the engine's map unless the case brought its region.
        loaded = Case.region.is_cached(case)
        path = case.region.path if loaded else engine.region_path(case.region_id)
        try:
            rule = engine.catalogue().match(case.kind, case.category, case.risk_level, path)
        except DomainError:
            rule = None  # no rule, or rules that tie: the admin's screen shows it
        if rule is not None and rule.policy_code:
            routed = policies.find(rule.policy_code)
            if routed is not None:
                return routed, rule.pk
    return policies.policy(legal), None


def decline(
    case: Case, *, actor: Actor, route: str, reason: str, expected_version: int | None = None
) -> Case:
    """不予受理, pointing the applicant to the legal route (诉讼/仲裁/复议 …)."""
    if route not in LegalRoute.values:
        raise DomainError(_("Choose the legal route the applicant is pointed to."), code="no_route")
    reason = _need(reason, _("the reason"))

    def mutate(c: Case, now: dt.datetime) -> None:
        c.decline_route = route
        c.outcome = reason
        c.closed_at = now
        c.due_at = None

    return _transition(
        case,
        actor,
        Action.DECLINE,
        expected_version=expected_version,
        change=_Change(reason=reason, payload={"route": route}),
        mutate=mutate,
    )


def assign(
    case: Case,
    *,
    actor: Actor,
    lead: Unit,
    assisting: Sequence[Unit] = (),
    handler: User | None = None,
    note: str = "",
    routing: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> Case:
    """交办: one lead unit and any assisting units, each with its own check-in deadline.

    ``routing``: what the dispatch catalogue proposed and whether the dispatcher followed it
    (or why not); kept in the event, so overrides can be counted and reviewed.
    """
    if lead in assisting:
        raise DomainError(_("The lead unit cannot also assist."), code="lead_assists")
    if handler is not None and handler.unit_id != lead.pk:
        raise DomainError(_("The handler must work in the lead unit."), code="handler_unit")
    check_in = policies.policy("check_in")

    def mutate(c: Case, now: dt.datetime) -> None:
        c.assignments.filter(ended_at=None).update(ended_at=now)
        check_in_due = due_from(check_in, now)
        Assignment.objects.create(
            case=c,
            unit=lead,
            role=AssignmentRole.LEAD,
            assigned_at=now,
            assigned_by=actor.user,
            check_in_due_at=check_in_due,
            due_at=c.due_at,
        )
        for unit in dict.fromkeys(assisting):
            Assignment.objects.create(
                case=c,
                unit=unit,
                role=AssignmentRole.ASSISTING,
                assigned_at=now,
                assigned_by=actor.user,
                check_in_due_at=check_in_due,
                due_at=c.due_at,
            )
        c.lead_unit = lead
        c.handler = handler
        c.stage_started_at = now

    return _transition(
        case,
        actor,
        Action.ASSIGN,
        expected_version=expected_version,
        change=_Change(
            reason=note,
            payload={
                "lead": lead.pk,
                "assisting": [u.pk for u in assisting],
                "handler": handler.pk if handler else None,
                **({"routing": routing} if routing else {}),
            },
        ),
        mutate=mutate,
        side_effects=True,
    )


def check_in(case: Case, *, actor: Actor, expected_version: int | None = None) -> Case:
    """签收: the lead unit takes the case; the one who signs becomes handler if none is named."""

    def mutate(c: Case, now: dt.datetime) -> None:
        c.assignments.filter(ended_at=None, role=AssignmentRole.LEAD).update(
            checked_in_at=now, checked_in_by=actor.user
        )
        if c.handler_id is None:
            c.handler = actor.user
        c.stage_started_at = now

    return _transition(
        case,
        actor,
        Action.CHECK_IN,
        expected_version=expected_version,
        change=_Change(),
        mutate=mutate,
        side_effects=True,
    )


def record_session(
    case: Case,
    *,
    actor: Actor,
    summary: str,
    held_at: dt.datetime | None = None,
    participants: Sequence[str] = (),
    expected_version: int | None = None,
) -> Case:
    """调解: a mediation session's record; the status stays in progress."""
    summary = _need(summary, _("what happened in the session"))
    return _transition(
        case,
        actor,
        Action.RECORD_SESSION,
        expected_version=expected_version,
        change=_Change(
            reason=summary,
            payload={
                "held_at": (held_at or clock.now()).isoformat(),
                "participants": list(participants),
            },
        ),
    )


def report(case: Case, *, actor: Actor, text: str, expected_version: int | None = None) -> Case:
    """An assisting unit reports back what it did."""
    text = _need(text, _("the report"))

    def mutate(c: Case, now: dt.datetime) -> None:
        assert actor.user is not None and actor.user.unit_id is not None
        c.assignments.filter(ended_at=None, unit_id=actor.user.unit_id).update(
            reported_at=now, report=text, checked_in_at=now
        )

    return _transition(
        case,
        actor,
        Action.REPORT,
        expected_version=expected_version,
        change=_Change(reason=text),
        mutate=mutate,
        side_effects=True,
    )


def resolve(
    case: Case,
    *,
    actor: Actor,
    outcome: str,
    agreement: str = "",
    expected_version: int | None = None,
) -> Case:
    """化解: the outcome (and the mediation agreement, if any); follow-up is due next."""
    outcome = _need(outcome, _("the outcome"))
    follow = policies.policy("follow_up")

    def mutate(c: Case, now: dt.datetime) -> None:
        c.outcome = outcome
        c.concluded_at = now
        c.stage_started_at = now
        c.due_at = due_from(follow, now)
        c.extended = False

    return _transition(
        case,
        actor,
        Action.RESOLVE,
        expected_version=expected_version,
        change=_Change(reason=outcome, payload={"agreement": agreement} if agreement else {}),
        mutate=mutate,
    )


def fail(
    case: Case,
    *,
    actor: Actor,
    reason: str,
    expected_version: int | None = None,
    escalate_up: bool = True,
) -> Case:
    """未化解: handling did not settle it.

    下级解决不了的提级管理: a dispute, request or hazard that the village or town tier could not
    resolve goes to the tier above at once, in the same transaction (the system escalates,
    trigger "failure"). At the district tier it stays unresolved, for the district center to
    close with guidance or escalate by hand. A petition stays unresolved at any tier: its
    handling ended in a decision, and the petitioner's way on is 复查 (cases/petitions.py).
    ``escalate_up=False`` records an outcome of the past (a ledger import) as it was.
    """
    reason = _need(reason, _("the reason"))

    def mutate(c: Case, now: dt.datetime) -> None:
        c.outcome = reason
        c.concluded_at = now

    with transaction.atomic():
        failed = _transition(
            case,
            actor,
            Action.FAIL,
            expected_version=expected_version,
            change=_Change(reason=reason),
            mutate=mutate,
        )
        if not (escalate_up and fails_upward(failed)):
            return failed
        upper = TIER_ORDER[_rank(failed.tier) + 1]
        if _center_for(failed, upper) is None:
            return failed  # nobody above to take it: it stays with people to decide
        return _escalate(
            failed,
            actor=SYSTEM,
            reason=_in_site_language(
                gettext_noop("Not resolved at this tier: passed to the tier above.")
            ),
            to_tier=upper,
            trigger=EscalationTrigger.FAILURE,
        )


def fails_upward(case: Case) -> bool:
    """Whether an unresolved ``case`` goes to the tier above by itself (see ``fail``)."""
    return case.kind != CaseKind.PETITION and case.tier in (Tier.VILLAGE, Tier.TOWN)


def _in_site_language(message: str) -> str:
    """A reason the system writes into the history: in the site's language, not the caller's."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(message)


def _center_for(case: Case, tier: Tier) -> Unit | None:
    """The governance center that owns ``tier`` for the case's place."""
    codes = case.region.path.rstrip("/").split("/")
    kinds = {
        Tier.TOWN: UnitKind.TOWN_CENTER,
        Tier.DISTRICT: UnitKind.DISTRICT_CENTER,
        Tier.LEADERSHIP: UnitKind.DISTRICT_CENTER,
        Tier.VILLAGE: UnitKind.VILLAGE_COMMITTEE,
    }
    return (
        Unit.objects.filter(kind=kinds[tier], region__code__in=codes, is_active=True)
        .order_by("-region__depth")
        .first()
    )


def escalate(
    case: Case,
    *,
    actor: Actor,
    reason: str,
    expected_version: int | None = None,
    trigger: str = EscalationTrigger.HAND,
) -> Case:
    """提级: the next tier's center takes the case over; the lower tier still sees it.

    ``trigger`` says why (by hand, deadline, failure to resolve, red risk, dispatch mode);
    it is kept in the event and shown in the history.
    """
    reason = _need(reason, _("the reason"))
    if trigger not in EscalationTrigger.values:
        raise DomainError(_("Unknown reason for escalating."), code="invalid_input")
    if case.tier == Tier.LEADERSHIP:
        raise ActionNotAllowed(_("The case is already with the leadership group."))
    upper = TIER_ORDER[_rank(case.tier) + 1]
    return _escalate(
        case,
        actor=actor,
        reason=reason,
        to_tier=upper,
        trigger=trigger,
        expected_version=expected_version,
    )


def _escalate(
    case: Case,
    *,
    actor: Actor,
    reason: str,
    to_tier: Tier,
    trigger: str,
    expected_version: int | None = None,
) -> Case:
    center = _center_for(case, to_tier)
    if center is None:
        raise DomainError(_("No governance center is set up for the tier above."), code="no_center")

    def mutate(c: Case, now: dt.datetime) -> None:
        _hand_to(c, now, tier=to_tier, center=center)
        if c.accepted_at is None:
            c.accepted_at = now

    return _transition(
        case,
        actor,
        Action.ESCALATE,
        expected_version=expected_version,
        change=_Change(
            reason=reason,
            payload={
                "from_tier": case.tier,
                "to_tier": to_tier,
                "to_unit": center.pk,
                "trigger": trigger,
            },
        ),
        mutate=mutate,
        side_effects=True,
    )


def _hand_to(c: Case, now: dt.datetime, *, tier: Tier, center: Unit) -> None:
    """The case starts afresh with ``center`` at ``tier`` (escalation and 交回 alike)."""
    c.assignments.filter(ended_at=None).update(ended_at=now)
    c.tier = tier
    c.lead_unit = center
    c.handler = None
    c.stage_started_at = now
    if c.policy_id is None:
        c.policy = policies.policy(policies.handling_policy_code(c.kind, c.category))
    c.due_at = due_from(c.policy, now)  # type: ignore[arg-type]
    c.extended = False
    # An earlier failure stays in the history, not on the case, and a paused clock restarts
    # with the new deadline.
    c.suspended_at = None
    c.concluded_at = None
    c.outcome = ""


def _red_goes_up(case: Case) -> Case:
    """红色风险立即提级: a red case below the district goes to the district center at once.

    Called inside the transaction that accepted the case or raised its risk. A case not
    being worked (registered, awaiting its follow-up) goes up when it is accepted; without
    a district center nothing moves.
    """
    if (
        case.risk_level != RiskLevel.RED
        or _rank(case.tier) >= _rank(Tier.DISTRICT)
        or case.status not in rule_for(Action.ESCALATE).sources
        or _center_for(case, Tier.DISTRICT) is None
    ):
        return case
    return _escalate(
        case,
        actor=SYSTEM,
        reason=_in_site_language(
            gettext_noop("Red risk: the district center takes the case at once.")
        ),
        to_tier=Tier.DISTRICT,
        trigger=EscalationTrigger.RED_RISK,
    )


def start_tier(case: Case) -> Tier:
    """The tier the case started at: before its first escalation, else where it is."""
    first = (
        case.events.filter(action=Action.ESCALATE)
        .order_by("seq")
        .values_list("payload", flat=True)
        .first()
    )
    if first and first.get("from_tier") in Tier.values:
        return Tier(first["from_tier"])
    return Tier(case.tier)


def deescalation_refusal(case: Case) -> str:
    """Why the case cannot be handed back now, from its own state ("" when it can)."""
    if _rank(case.tier) <= _rank(start_tier(case)):
        return str(_("The case started at this tier; it cannot be handed further down."))
    if case.risk_level == RiskLevel.RED:
        return str(_("A red-risk case stays with the district while its risk is red."))
    return ""


def deescalate(
    case: Case, *, actor: Actor, reason: str, expected_version: int | None = None
) -> Case:
    """交回: the center of the case's tier hands it back to the tier below, with a reason.

    Never below the tier the case started at, and not while its risk is red. The lower
    center leads it again under a new deadline from the case's policy.
    """
    reason = _need(reason, _("the reason"))
    if refusal := deescalation_refusal(case):
        raise ActionNotAllowed(refusal)
    lower = TIER_ORDER[_rank(case.tier) - 1]
    center = _center_for(case, lower)
    if center is None:
        raise DomainError(_("No governance center is set up for the tier below."), code="no_center")

    def mutate(c: Case, now: dt.datetime) -> None:
        _hand_to(c, now, tier=lower, center=center)

    return _transition(
        case,
        actor,
        Action.DEESCALATE,
        expected_version=expected_version,
        change=_Change(
            reason=reason,
            payload={"from_tier": case.tier, "to_tier": lower, "to_unit": center.pk},
        ),
        mutate=mutate,
        side_effects=True,
    )


def set_risk(
    case: Case,
    *,
    actor: Actor,
    risk_level: str,
    reason: str,
    expected_version: int | None = None,
) -> Case:
    """风险等级: raise or lower the case's risk, with a reason. Raised to red, a case below
    the district goes to the district center at once (same transaction)."""
    if risk_level not in RiskLevel.values:
        raise DomainError(_("Choose a risk level."), code="invalid_input")
    reason = _need(reason, _("the reason"))
    if risk_level == case.risk_level:
        raise DomainError(_("The case already has this risk level."), code="same_risk")
    before = case.risk_level

    def mutate(c: Case, now: dt.datetime) -> None:
        c.risk_level = risk_level

    with transaction.atomic():
        changed = _transition(
            case,
            actor,
            Action.SET_RISK,
            expected_version=expected_version,
            change=_Change(reason=reason, payload={"from": before, "to": risk_level}),
            mutate=mutate,
        )
        return _red_goes_up(changed)


def return_case(
    case: Case, *, actor: Actor, reason: str, expected_version: int | None = None
) -> Case:
    """退回: the lead unit says the case is outside its remit (信访工作条例 art. 23).

    Within 5 working days of the assignment (the work calendar: holidays and 调休 count as
    they fall), with a reason. The case goes back, accepted, to the center that assigned it,
    to be assigned again; the first receiving unit keeps tracking it (首接负责) and is told.
    """
    reason = _need(reason, _("the reason"))
    limit = policies.policy("remit_objection")

    def check(c: Case) -> None:
        lead = c.assignments.filter(ended_at=None, role=AssignmentRole.LEAD).first()
        if lead is None:
            return
        until = due_from(limit, lead.assigned_at)
        if clock.now() > until:
            raise DomainError(
                _(
                    "Too late to return: the case was assigned on %(assigned)s and could be "
                    "returned within %(days)s working days, until %(until)s. Ask the center "
                    "to reassign or escalate it instead."
                )
                % {
                    "assigned": timezone.localtime(lead.assigned_at).strftime("%Y-%m-%d"),
                    "days": limit.days,
                    "until": timezone.localtime(until).strftime("%Y-%m-%d %H:%M"),
                },
                code="return_too_late",
            )

    def mutate(c: Case, now: dt.datetime) -> None:
        lead = (
            c.assignments.filter(ended_at=None, role=AssignmentRole.LEAD)
            .select_related("assigned_by__unit")
            .first()
        )
        c.assignments.filter(ended_at=None).update(ended_at=now)
        c.lead_unit = _assigning_center(c, lead)
        c.handler = None
        c.stage_started_at = now

    return _transition(
        case,
        actor,
        Action.RETURN,
        expected_version=expected_version,
        change=_Change(reason=reason, payload={"unit": case.lead_unit_id}),
        mutate=mutate,
        check=check,
        side_effects=True,
    )


def _assigning_center(case: Case, lead: Assignment | None) -> Unit | None:
    """Where a returned case goes: the center whose staff assigned it, else its tier's center."""
    by = lead.assigned_by if lead is not None else None
    unit = by.unit if by is not None else None
    if unit is not None and unit.kind in CENTER_TIER:
        return unit
    return _center_for(case, Tier(case.tier))


def supervise(
    case: Case, *, actor: Actor, note: str = "", expected_version: int | None = None
) -> Case:
    """督办: one step up the ladder: reminder → 督办 → 挂牌督办."""
    if case.supervision_level >= SupervisionLevel.LISTED:
        raise ActionNotAllowed(_("The case is already listed for supervision."))
    level = case.supervision_level + 1

    def mutate(c: Case, now: dt.datetime) -> None:
        c.supervision_level = max(c.supervision_level + 1, level)

    return _transition(
        case,
        actor,
        Action.SUPERVISE,
        expected_version=expected_version,
        change=_Change(reason=note, payload={"level": level}),
        mutate=mutate,
    )


def extend(case: Case, *, actor: Actor, reason: str, expected_version: int | None = None) -> Case:
    """延期: approved by a leader, once per stage, by the policy's extension."""
    reason = _need(reason, _("the reason"))

    def check(c: Case) -> None:
        if c.extended:
            raise ActionNotAllowed(_("This stage has already been extended once."))
        if c.policy is None or not c.policy.extension_days or c.due_at is None:
            raise ActionNotAllowed(_("This case's deadline cannot be extended."))

    def mutate(c: Case, now: dt.datetime) -> None:
        assert c.policy is not None and c.due_at is not None
        c.due_at = _extend(c.policy, c.due_at)
        c.extended = True
        c.assignments.filter(ended_at=None).update(due_at=c.due_at)

    return _transition(
        case,
        actor,
        Action.EXTEND,
        expected_version=expected_version,
        change=_Change(reason=reason),
        mutate=mutate,
        check=check,
        side_effects=True,
    )


def suspend(case: Case, *, actor: Actor, reason: str, expected_version: int | None = None) -> Case:
    """中止: the clock stops (鉴定, 听证 …) until the case resumes."""
    reason = _need(reason, _("the reason"))

    def mutate(c: Case, now: dt.datetime) -> None:
        c.suspended_at = now

    return _transition(
        case,
        actor,
        Action.SUSPEND,
        expected_version=expected_version,
        change=_Change(reason=reason),
        mutate=mutate,
    )


def resume(
    case: Case, *, actor: Actor, note: str = "", expected_version: int | None = None
) -> Case:
    """恢复: the deadline moves later by the time the case was suspended."""

    def mutate(c: Case, now: dt.datetime) -> None:
        if c.suspended_at and c.due_at:
            working = bool(c.policy and c.policy.working_days)
            c.due_at = workdays.extend_for_pause(
                c.due_at, c.suspended_at, now, working_days=working
            )
            c.assignments.filter(ended_at=None).update(due_at=c.due_at)
        c.suspended_at = None

    return _transition(
        case,
        actor,
        Action.RESUME,
        expected_version=expected_version,
        change=_Change(reason=note),
        mutate=mutate,
        side_effects=True,
    )


def follow_up(
    case: Case,
    *,
    actor: Actor,
    satisfaction: str,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """回访, by someone other than the handler: satisfied closes, dissatisfied reopens (重办)."""
    if satisfaction not in Satisfaction.values:
        raise DomainError(_("Record how satisfied the applicant is."), code="no_satisfaction")

    def mutate(c: Case, now: dt.datetime) -> None:
        c.satisfaction = satisfaction
        if satisfaction == Satisfaction.DISSATISFIED:
            c.dissatisfied_count += 1
            c.concluded_at = None
            c.stage_started_at = now
            handling = c.policy or policies.policy(
                policies.handling_policy_code(c.kind, c.category)
            )
            c.due_at = due_from(handling, now)
            c.extended = False
        else:
            c.closed_at = now
            c.due_at = None

    return _transition(
        case,
        actor,
        Action.FOLLOW_UP,
        expected_version=expected_version,
        change=_Change(reason=note, payload={"satisfaction": satisfaction}, variant=satisfaction),
        mutate=mutate,
    )


def close(
    case: Case, *, actor: Actor, reason: str = "", expected_version: int | None = None
) -> Case:
    """办结 without a follow-up rating (unreachable applicant, unresolved with guidance)."""

    def mutate(c: Case, now: dt.datetime) -> None:
        c.closed_at = now
        c.due_at = None

    return _transition(
        case,
        actor,
        Action.CLOSE,
        expected_version=expected_version,
        change=_Change(reason=reason),
        mutate=mutate,
    )


def reopen(case: Case, *, actor: Actor, reason: str, expected_version: int | None = None) -> Case:
    """重办: a leader sends a closed case back to its lead unit with a fresh deadline."""
    reason = _need(reason, _("the reason"))

    def mutate(c: Case, now: dt.datetime) -> None:
        c.reopen_count += 1
        c.closed_at = None
        c.concluded_at = None
        c.satisfaction = ""
        c.stage_started_at = now
        handling = c.policy or policies.policy(policies.handling_policy_code(c.kind, c.category))
        c.due_at = due_from(handling, now)
        c.extended = False

    return _transition(
        case,
        actor,
        Action.REOPEN,
        expected_version=expected_version,
        change=_Change(reason=reason),
        mutate=mutate,
    )


def merge(
    case: Case, *, actor: Actor, into: Case, reason: str = "", expected_version: int | None = None
) -> Case:
    """合并: a duplicate points to the surviving case; both histories stay."""
    if into.pk == case.pk:
        raise DomainError(_("A case cannot be merged into itself."), code="merge_self")
    if into.status not in OPEN and into.status != Status.CLOSED:
        raise DomainError(
            _("The surviving case must not be merged, declined or withdrawn."), code="merge_target"
        )

    def mutate(c: Case, now: dt.datetime) -> None:
        c.merged_into = into
        c.closed_at = now
        c.due_at = None
        c.suspended_at = None
        c.assignments.filter(ended_at=None).update(ended_at=now)

    with transaction.atomic():
        # Both rows locked in id order (merging A into B and B into A at once must not
        # deadlock), then the survivor checked as it is now, not as the caller saw it.
        rows = (
            Case.objects.select_for_update()
            .filter(pk__in=[case.pk, into.pk])
            .order_by("pk")
            .values_list("pk", "version", "status", "merged_into_id")
        )
        survivor = {pk: (version, status, merged) for pk, version, status, merged in rows}[into.pk]
        version, status, merged_into_id = survivor
        if version != into.version or merged_into_id == case.pk:
            raise _conflict()
        if status not in OPEN and status != Status.CLOSED:
            raise DomainError(
                _("The surviving case must not be merged, declined or withdrawn."),
                code="merge_target",
            )
        merged = _transition(
            case,
            actor,
            Action.MERGE,
            expected_version=expected_version,
            change=_Change(reason=reason, payload={"into": into.code}),
            mutate=mutate,
            side_effects=True,
        )
        _record_absorbed(into.pk, merged, actor, reason)
        return merged


def _record_absorbed(survivor_pk: int, merged: Case, actor: Actor, reason: str) -> None:
    """The survivor's own history says which case was merged into it (its status stays).

    Called with the survivor's row locked, so its chain head and version are current.
    """
    survivor = Case.objects.get(pk=survivor_pk)
    event = next_event(
        survivor,
        action=Action.MERGE,
        actor_id=actor.user_id,
        actor_unit_id=actor.unit_id,
        at=clock.now(),
        from_status=survivor.status,
        to_status=survivor.status,
        reason=reason,
        payload={"absorbed": merged.code},
    )
    changed = {
        "version": survivor.version + 1,
        "event_count": survivor.event_count,
        "last_event_hash": survivor.last_event_hash,
    }
    if not _write_row(survivor.pk, changed, version=survivor.version):
        raise _conflict()
    insert_row(event)


def withdraw(case: Case, *, actor: Actor, reason: str, expected_version: int | None = None) -> Case:
    """撤回: the applicant withdraws."""
    reason = _need(reason, _("the reason"))

    def mutate(c: Case, now: dt.datetime) -> None:
        c.closed_at = now
        c.due_at = None
        c.suspended_at = None
        c.assignments.filter(ended_at=None).update(ended_at=now)

    return _transition(
        case,
        actor,
        Action.WITHDRAW,
        expected_version=expected_version,
        change=_Change(reason=reason),
        mutate=mutate,
        side_effects=True,
    )


def set_label(
    case: Case,
    *,
    actor: Actor,
    sensitivity: str,
    reason: str,
    notes: str | None = None,
    expected_version: int | None = None,
) -> Case:
    """安全标记: label the case ordinary or sensitive, and keep its health or psychological notes.

    ``notes`` None leaves the notes as they are. The event records the label and the reason,
    never the notes themselves (the history is not encrypted); the notes live encrypted on
    the case. Notes on an ordinary case would be readable by everyone in scope, so they
    need the sensitive label.
    """
    if sensitivity not in Sensitivity.values:
        raise DomainError(_("Choose a security label."), code="invalid_input")
    reason = _need(reason, _("the reason"))
    kept = case.sensitive_notes if notes is None else notes.strip()
    if kept and sensitivity != Sensitivity.SENSITIVE:
        raise DomainError(
            _("Health or psychological notes need the sensitive label."), code="notes_need_label"
        )

    before = case.sensitivity

    def mutate(c: Case, now: dt.datetime) -> None:
        c.sensitivity = sensitivity
        c.sensitive_notes = kept
        # Also in the security audit log (AC-6: every label change is audited), in the
        # same transaction as the change.
        from tiaojie.audit.models import AuditKind
        from tiaojie.audit.services import Target, record

        record(
            AuditKind.SECURITY_LABEL,
            actor=actor.user,
            target=Target("case", c.code),
            detail={"from": before, "to": sensitivity, "reason": reason},
        )

    return _transition(
        case,
        actor,
        Action.LABEL,
        expected_version=expected_version,
        change=_Change(
            reason=reason,
            payload={"sensitivity": sensitivity, "notes_changed": kept != case.sensitive_notes},
        ),
        mutate=mutate,
    )
