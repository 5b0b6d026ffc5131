"""Past cases written in bulk (ledger import): the rows the services would write, faster.

A ledger lists cases that already happened: registered on a day, perhaps settled on a later
one. :func:`register_past_case` lives each one through the real services with the clock set
to those days (register; for a concluded case accept, assign to the importing unit, check in,
resolve or record as unresolved, close). That is the definition. :func:`register_past_cases`
writes the same rows for many cases at once — cases, persons, parties, assignments, events
with the same hash chain, search entries — in a handful of statements per batch instead of
a dozen per case, so a county's 100,000-row ledger goes in within a minute
(bench/ledger.py). tests/test_bulk.py holds the two to each other field by field.

Both check the workflow table for the actor exactly as the services do; neither announces
anything (past events tell nobody). Both must run inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.models import Unit
from tiaojie.accounts.scoping import in_area, sees_whole_area, works_cases
from tiaojie.core import clock
from tiaojie.core.chain import GENESIS, plain_json
from tiaojie.core.crypto import blind_index
from tiaojie.core.enums import RiskLevel
from tiaojie.core.errors import DomainError
from tiaojie.core.idnumber import normalize_id_number
from tiaojie.regions.models import Region

from . import policies, search, services
from .announce import quiet
from .history import event_hash
from .models import (
    Assignment,
    AssignmentRole,
    Case,
    CaseEvent,
    DeadlinePolicy,
    Party,
    Person,
)
from .services import Actor, PartyInput
from .workflow import Action, Relation, Status, can_take


class Ending:
    """How a past case ended: still open, resolved (化解) or unresolved (未化解)."""

    OPEN = ""
    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"


@dataclass(frozen=True)
class PastCase:
    """One case as a ledger records it."""

    kind: str
    category: str
    channel: str
    title: str
    description: str
    region: Region
    parties: Sequence[PartyInput]
    received_at: dt.datetime
    address: str = ""
    people_count: int = 1
    ending: str = Ending.OPEN
    concluded_at: dt.datetime | None = None
    outcome: str = ""
    source: dict[str, Any] = field(default_factory=dict)


# The steps a concluded case takes after registration, all by the importing user.
CONCLUDING = (Action.ACCEPT, Action.ASSIGN, Action.CHECK_IN, Action.RESOLVE, Action.CLOSE)


def closing_note() -> str:
    return _("Closed as recorded in the ledger.")


def may_conclude(user: Any) -> bool:
    """Whether the workflow table lets ``user`` take a case through to closed as its lead.

    The relations are the ones an imported case gives its importer: first receiver, lead
    (it is assigned to the importer's own unit) and area (the place is in the unit's area).
    """
    roles = user.role_codes
    relations = {Relation.FIRST, Relation.LEAD, Relation.AREA}
    states = (Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS)
    steps = list(zip(CONCLUDING[:4], states, strict=True))
    steps += [(Action.FAIL, Status.IN_PROGRESS), (Action.CLOSE, Status.RESOLVED)]
    steps += [(Action.CLOSE, Status.UNRESOLVED)]
    return all(can_take(a, s, roles=roles, relations=relations) for a, s in steps)


def _check(actor: Actor, cases: Sequence[PastCase]) -> Unit:
    user = actor.user
    if user is None or not works_cases(user) or not sees_whole_area(user.unit):
        raise DomainError(_("Only the staff of a center can import a ledger."), code="not_allowed")
    unit: Unit = user.unit  # type: ignore[assignment]
    for case in cases:
        if not in_area(unit, case.region.pk):
            raise DomainError(_("A case lies outside your unit's area."), code="outside_area")
        services.check_parties(case.channel, case.parties)
        if case.ending and (case.concluded_at is None or not case.outcome.strip()):
            raise DomainError(_("A concluded case needs its date and outcome."), code="ending")
    if any(c.ending for c in cases) and not may_conclude(user):
        raise DomainError(
            _("Your role cannot import concluded cases; a dispatcher can."), code="not_allowed"
        )
    return unit


# --- the definition: one case through the services ------------------------------------------
def register_past_case(case: PastCase, *, actor: Actor) -> Case:
    """Live one past case through the real services at the times the ledger gives."""
    unit = _check(actor, [case])
    with quiet(), transaction.atomic():
        with clock.set_to(case.received_at):
            made = services.register_case(
                actor=actor,
                kind=case.kind,
                category=case.category,
                channel=case.channel,
                title=case.title,
                description=case.description,
                region=case.region,
                parties=case.parties,
                address=case.address,
                people_count=case.people_count,
                received_at=case.received_at,
                source=case.source or None,
            )
            if not case.ending:
                return made
            services.accept(made, actor=actor)
            services.assign(made, actor=actor, lead=unit)
            services.check_in(made, actor=actor)
        assert case.concluded_at is not None
        with clock.set_to(case.concluded_at):
            if case.ending == Ending.RESOLVED:
                services.resolve(made, actor=actor, outcome=case.outcome)
            else:
                services.fail(made, actor=actor, reason=case.outcome)
            services.close(made, actor=actor, reason=closing_note())
    return made


# --- the same rows, many at a time -----------------------------------------------------------
@dataclass
class _Planned:
    case: Case
    past: PastCase
    persons: list[int | Person] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)


# Ledgers give dates, so thousands of cases start at the same moment: each deadline is
# worked out once per import (cleared at the start, as a policy may have been edited).
_due_memo: dict[tuple[int, dt.datetime], dt.datetime] = {}


def _due_from(policy: DeadlinePolicy, start: dt.datetime) -> dt.datetime:
    key = (policy.pk, start)
    if (due := _due_memo.get(key)) is None:
        due = _due_memo[key] = services.due_from(policy, start)
    return due


def register_past_cases(
    cases: Sequence[PastCase], *, actor: Actor, batch: int = 2000, index: bool = True
) -> list[int]:
    """Write ``cases`` as :func:`register_past_case` would, one after another; their ids.

    Runs in the caller's transaction (or its own): all of them or none.
    """
    unit = _check(actor, cases)
    _due_memo.clear()
    ids: list[int] = []
    with transaction.atomic():
        codes = _codes(cases)
        for start in range(0, len(cases), batch):
            chunk = cases[start : start + batch]
            ids += _write_batch(chunk, codes[start : start + batch], actor, unit)
        if index:
            search.reindex_cases(ids)
    return ids


def _codes(cases: Sequence[PastCase]) -> list[str]:
    """The codes sequential registration would give, in order: counters raised once a year."""
    years = [timezone.localtime(c.received_at).year for c in cases]
    per_year = {
        year: iter(services.reserve_case_codes(year, years.count(year)))
        for year in sorted(set(years))
    }
    return [next(per_year[year]) for year in years]


def _persons(chunk: Sequence[PastCase]) -> list[list[int | Person]]:
    """Each case's parties as person ids (already known) or new Person rows, saved here.

    Matched by the ID number's blind index like find_or_create_person, including persons
    first met earlier in the same import.
    """
    digests: dict[str, str] = {}
    for case in chunk:
        for party in case.parties:
            number = normalize_id_number(party.id_number) if party.id_number else ""
            if number:
                digests.setdefault(number, blind_index(number, purpose="id_number"))
    known = dict(
        Person.objects.filter(id_number_hash__in=list(digests.values())).values_list(
            "id_number_hash", "pk"
        )
    )
    new: dict[str, Person] = {}
    fresh: list[Person] = []
    result: list[list[int | Person]] = []
    for case in chunk:
        row: list[int | Person] = []
        for party in case.parties:
            number = normalize_id_number(party.id_number) if party.id_number else ""
            digest = digests.get(number) if number else None
            if digest and digest in known:
                row.append(known[digest])
                continue
            if digest and digest in new:
                row.append(new[digest])
                continue
            phone = party.phone.strip()
            person = Person(
                name=party.name.strip(),
                gender=party.gender,
                id_number=number,
                id_number_hash=digest,
                phone=phone,
                phone_hash=blind_index(phone, purpose="phone") if phone else "",
                address=party.address,
            )
            if digest:
                new[digest] = person
            fresh.append(person)
            row.append(person)
        result.append(row)
    Person.objects.bulk_create(fresh)
    return result


def _event(
    action: str,
    at: dt.datetime,
    from_status: str,
    to_status: str,
    *,
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "action": action,
        "at": at,
        "from_status": from_status,
        "to_status": to_status,
        "reason": reason,
        "payload": plain_json(payload),
    }


def _plan(past: PastCase, code: str, actor: Actor, unit: Unit) -> _Planned:
    """The case row and its events as the services leave them (see register_past_case)."""
    received = past.received_at
    accept_policy = policies.policy(policies.acceptance_policy_code(past.kind))
    case = Case(
        code=code,
        kind=past.kind,
        category=past.category,
        channel=past.channel,
        title=services._need(past.title, _("a title")),
        description=services._need(past.description, _("a description")),
        region=past.region,
        address=past.address,
        occurred_at=None,
        received_at=received,
        people_count=past.people_count,
        risk_level=RiskLevel.BLUE,
        tier=services.case_tier(past.region, unit),
        first_unit=unit,
        registered_by=actor.user,
        status=Status.REGISTERED,
        stage_started_at=received,
        due_at=_due_from(accept_policy, received),
    )
    planned = _Planned(case, past)
    planned.events.append(
        _event(
            Action.REGISTER,
            received,
            "",
            Status.REGISTERED,
            payload=services.registration_payload(
                past.channel, len(past.parties), past.source or None
            ),
        )
    )
    if not past.ending:
        return planned
    assert past.concluded_at is not None
    handling = policies.policy(policies.handling_policy_code(past.kind, past.category))
    concluded = past.concluded_at
    outcome = past.outcome.strip()
    case.accepted_at = received
    case.policy = handling
    case.lead_unit = unit
    case.handler = actor.user
    case.outcome = outcome
    case.concluded_at = concluded
    case.closed_at = concluded
    case.due_at = None
    case.extended = False
    case.stage_started_at = concluded if past.ending == Ending.RESOLVED else received
    case.status = Status.CLOSED
    case.version = 1 + len(CONCLUDING)
    ended = Status.RESOLVED if past.ending == Ending.RESOLVED else Status.UNRESOLVED
    planned.events += [
        _event(
            Action.ACCEPT,
            received,
            Status.REGISTERED,
            Status.ACCEPTED,
            payload={"policy": handling.code},
        ),
        _event(
            Action.ASSIGN,
            received,
            Status.ACCEPTED,
            Status.ASSIGNED,
            payload={"lead": unit.pk, "assisting": [], "handler": None},
        ),
        _event(Action.CHECK_IN, received, Status.ASSIGNED, Status.IN_PROGRESS),
        _event(
            Action.RESOLVE if ended == Status.RESOLVED else Action.FAIL,
            concluded,
            Status.IN_PROGRESS,
            ended,
            reason=outcome,
        ),
        _event(Action.CLOSE, concluded, ended, Status.CLOSED, reason=closing_note()),
    ]
    return planned


def _write_batch(
    chunk: Sequence[PastCase], codes: Sequence[str], actor: Actor, unit: Unit
) -> list[int]:
    plans = [_plan(past, code, actor, unit) for past, code in zip(chunk, codes, strict=True)]
    persons = _persons(chunk)
    Case.objects.bulk_create([p.case for p in plans])
    parties = []
    for plan, people in zip(plans, persons, strict=True):
        for party, person in zip(plan.past.parties, people, strict=True):
            person_id = person if isinstance(person, int) else person.pk
            parties.append(Party(case=plan.case, person_id=person_id, role=party.role))
    Party.objects.bulk_create(parties)
    check_in = policies.policy("check_in")
    assignments = []
    for plan in plans:
        if plan.past.ending:
            received = plan.past.received_at
            assert plan.case.policy is not None
            assignments.append(
                Assignment(
                    case=plan.case,
                    unit=unit,
                    role=AssignmentRole.LEAD,
                    assigned_at=received,
                    assigned_by=actor.user,
                    check_in_due_at=_due_from(check_in, received),
                    due_at=_due_from(plan.case.policy, received),
                    checked_in_at=received,
                    checked_in_by=actor.user,
                )
            )
    Assignment.objects.bulk_create(assignments)
    _write_events(plans, actor, unit)
    return [p.case.pk for p in plans]


_EVENT_COLUMNS = (
    "case_id",
    "seq",
    "action",
    "actor_id",
    "actor_unit_id",
    "at",
    "from_status",
    "to_status",
    "reason",
    "payload",
    "prev_hash",
    "hash",
)


def _write_events(plans: Sequence[_Planned], actor: Actor, unit: Unit) -> None:
    """Chain each case's events, insert them, and write each case's chain head."""
    fields = {name: CaseEvent._meta.get_field(name.removesuffix("_id")) for name in _EVENT_COLUMNS}
    at_field, payload_field = fields["at"], fields["payload"]
    rows: list[tuple[Any, ...]] = []
    heads: list[tuple[int, int, str]] = []
    for plan in plans:
        prev = GENESIS
        case_id = plan.case.pk
        for seq, event in enumerate(plan.events, start=1):
            digest = event_hash(
                prev_hash=prev,
                case_id=case_id,
                seq=seq,
                actor_id=actor.user_id,
                actor_unit_id=unit.pk,
                **event,
            )
            rows.append(
                (
                    case_id,
                    seq,
                    event["action"],
                    actor.user_id,
                    unit.pk,
                    at_field.get_db_prep_save(event["at"], connection),
                    event["from_status"],
                    event["to_status"],
                    event["reason"],
                    payload_field.get_db_prep_save(event["payload"], connection),
                    prev,
                    digest,
                )
            )
            prev = digest
        heads.append((case_id, len(plan.events), prev))
    qn = connection.ops.quote_name
    table = qn(CaseEvent._meta.db_table)
    columns = ", ".join(qn(fields[name].column) for name in _EVENT_COLUMNS)
    marks = ", ".join(["%s"] * len(_EVENT_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE cases_case SET event_count = h.n, last_event_hash = h.last "
                "FROM unnest(%s::bigint[], %s::int[], %s::text[]) AS h(id, n, last) "
                "WHERE cases_case.id = h.id",
                [[h[0] for h in heads], [h[1] for h in heads], [h[2] for h in heads]],
            )
        else:
            cursor.executemany(
                "UPDATE cases_case SET event_count = %s, last_event_hash = %s WHERE id = %s",
                [(n, last, pk) for pk, n, last in heads],
            )
