"""Past cases written in bulk (ledger import): the rows the services would write, faster.

A ledger lists cases that already happened: registered on a day, perhaps settled on a later
one. :func:`register_past_case` lives each one through the real services with the clock set
to those days (register; for a concluded case accept, assign to the importing unit, check in,
resolve or record as unresolved, close). That is the definition. :func:`register_past_cases`
writes the same rows for many cases at once — cases, persons, parties, assignments, events
with the same hash chain, search entries — in a handful of statements per batch instead of
a dozen per case, so a county's 100,000-row ledger goes in within a minute
(bench/ledger.py). tests/test_bulk.py holds the two to each other field by field.

Both check the workflow table for the actor exactly as the services do, and the bulk path
shares the services' own pieces rather than copying them: the people checks of registration
(``services.check_people``), the handling policy acceptance chooses (a dispatch rule's, else
the law's: ``services.handling_policy``) and the acceptance payload. Both set deadlines in
the deadline scope of the case's place at the ledger's times (``hooks.deadline_scope``), so
a dispatch mode running then shortens them alike and the events record it alike. Neither
announces anything (past events tell nobody). Both must run inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.models import Unit
from tiaojie.cases.scoping import in_area, sees_whole_area, works_cases
from tiaojie.core import clock
from tiaojie.core.chain import GENESIS, plain_json
from tiaojie.core.crypto import blind_index
from tiaojie.core.errors import DomainError
from tiaojie.core.idnumber import normalize_id_number
from tiaojie.core.sql import clear_converters, insert_rows, reserve_ids
from tiaojie.regions.models import Region

from . import hooks, policies, search, services, tiers
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
from .services.engine import need
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
    unit = user.unit if user is not None and works_cases(user) else None
    if user is None or unit is None or not sees_whole_area(unit):
        raise DomainError(_("Only the staff of a center can import a ledger."), code="not_allowed")
    for case in cases:
        if not in_area(unit, case.region.pk):
            raise DomainError(_("A case lies outside your unit's area."), code="outside_area")
        services.check_people(
            kind=case.kind,
            channel=case.channel,
            parties=case.parties,
            people_count=case.people_count,
        )
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
                services.fail(made, actor=actor, reason=case.outcome, escalate_up=False)
            services.close(made, actor=actor, reason=closing_note())
    return made


# --- the same rows, many at a time -----------------------------------------------------------
SQLITE_CACHE_KB = 256 * 1024


def register_past_cases(
    cases: Sequence[PastCase], *, actor: Actor, batch: int = 2000, index: bool = True
) -> list[int]:
    """Write ``cases`` as :func:`register_past_case` would, one after another; their ids.

    Runs in the caller's transaction (or its own): all of them or none.
    """
    unit = _check(actor, cases)
    writer = _Writer(actor, unit)
    clear_converters()  # their memories of dates last one import
    ids: list[int] = []
    with transaction.atomic():
        if connection.vendor == "sqlite":
            # Room for the indexes' pages while hundreds of thousands of rows go in (the
            # default 2 MB cache spills to the WAL file over and over); this connection only.
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
        codes = _codes(cases)
        for start in range(0, len(cases), batch):
            ids += writer.write(cases[start : start + batch], codes[start : start + batch])
        if index:
            search.index_cases(writer.search_entries)
    return ids


def _codes(cases: Sequence[PastCase]) -> list[str]:
    """The codes sequential registration would give, in order: counters raised once a year."""
    years = [timezone.localtime(c.received_at).year for c in cases]
    per_year = {
        year: iter(services.reserve_case_codes(year, years.count(year)))
        for year in sorted(set(years))
    }
    return [next(per_year[year]) for year in years]


def _defaults(model: type[models.Model]) -> dict[str, Any]:
    return {f.attname: f.get_default() for f in model._meta.concrete_fields if not f.primary_key}


class _Writer:
    """Rows for many past cases, written a batch at a time with a few statements each."""

    def __init__(self, actor: Actor, unit: Unit) -> None:
        self.actor = actor
        self.unit = unit
        self.now = timezone.now()
        # Ledgers give dates, so thousands of cases start at the same moment: each deadline
        # scope (the factor of a dispatch mode running then), deadline and policy is worked
        # out once per import.
        self.scopes: dict[tuple[int, dt.datetime], hooks.DeadlineScope] = {}
        self.dues: dict[tuple[int, dt.datetime, float], dt.datetime] = {}
        self.policies: dict[str, DeadlinePolicy] = {}
        # The handling policy and the rule that chose it, per kind, category, risk and place.
        self.handling: dict[tuple[str, str, str, str], tuple[DeadlinePolicy, int | None]] = {}
        self.persons: dict[str, int] = {}  # blind index → person id, met in this import
        self.closing = closing_note()
        self.case_defaults = _defaults(Case)
        # Payloads many events share, as JSON and as sent to the database, made once.
        self.payloads: dict[str, tuple[dict[str, Any], Any]] = {}
        self.payload_field = CaseEvent._meta.get_field("payload")
        self.search_entries: list[tuple[int, str, str, str, list[str]]] = []

    def policy(self, code: str) -> DeadlinePolicy:
        if code not in self.policies:
            self.policies[code] = policies.policy(code)
        return self.policies[code]

    def handling_policy(self, past: PastCase, risk_level: str) -> tuple[DeadlinePolicy, int | None]:
        """The policy acceptance would choose (a dispatch rule's, else the law's)."""
        key = (past.kind, past.category, risk_level, past.region.path)
        if key not in self.handling:
            self.handling[key] = services.handling_policy(
                kind=past.kind,
                category=past.category,
                risk_level=risk_level,
                region_path=past.region.path,
            )
        return self.handling[key]

    def scope(self, past: PastCase, at: dt.datetime) -> hooks.DeadlineScope:
        """The scope the services set this case's deadlines in at ``at``, factor looked up.

        Every step of register_past_case that records a scope's factor (register, accept,
        assign, resolve) sets a deadline, so looking it up at once changes nothing.
        """
        key = (past.region.pk, at)
        if (scope := self.scopes.get(key)) is None:
            scope = self.scopes[key] = hooks.DeadlineScope(past.region.pk, at)
            scope.value()
        return scope

    def due(
        self, policy: DeadlinePolicy, start: dt.datetime, scope: hooks.DeadlineScope
    ) -> dt.datetime:
        """When ``policy`` makes a stage due, as the services compute it inside ``scope``."""
        key = (policy.pk, start, scope.value())
        if (due := self.dues.get(key)) is None:
            with hooks.within(scope):
                due = self.dues[key] = services.due_from(policy, start)
        return due

    # --- one batch ---------------------------------------------------------------------------
    def write(self, chunk: Sequence[PastCase], codes: Sequence[str]) -> list[int]:
        rows = [self.case_row(past, code) for past, code in zip(chunk, codes, strict=True)]
        # Ids taken first, so each case's event chain (whose hashes cover the case id) is
        # known before its row is written: the row goes in once, with its chain head.
        ids = reserve_ids(Case, len(rows))
        events = self.chain(
            [(pk, self.events(past, row)) for pk, row, past in zip(ids, rows, chunk, strict=True)]
        )
        for pk, row, (count, head) in zip(ids, rows, events.heads, strict=True):
            row.update(id=pk, event_count=count, last_event_hash=head)
        insert_rows(Case, rows, with_pk=True)
        people = self.person_ids(chunk)
        parties, assignments = [], []
        for pk, row, past, persons in zip(ids, rows, chunk, people, strict=True):
            for party, person in zip(past.parties, persons, strict=True):
                parties.append({"case_id": pk, "person_id": person, "role": party.role})
            if past.ending:
                assignments.append(
                    self.assignment_row(pk, row, self.scope(past, row["received_at"]))
                )
            notes = [row["outcome"]] if row["outcome"] else []
            self.search_entries.append(
                (pk, row["title"], row["description"], row["outcome"], notes)
            )
        insert_rows(Party, parties)
        insert_rows(Assignment, assignments)
        insert_rows(CaseEvent, events.rows, prepared=frozenset({"payload"}))
        return ids

    def case_row(self, past: PastCase, code: str) -> dict[str, Any]:
        """The case row as registration (and, if it ended, the later steps) leave it."""
        received = past.received_at
        row = dict(self.case_defaults)
        row.update(
            code=code,
            kind=past.kind,
            category=past.category,
            channel=past.channel,
            title=need(past.title, _("a title")),
            description=need(past.description, _("a description")),
            region_id=past.region.pk,
            address=past.address,
            received_at=received,
            people_count=past.people_count,
            tier=tiers.case_tier(past.region, self.unit),
            first_unit_id=self.unit.pk,
            registered_by_id=self.actor.user_id,
            status=Status.REGISTERED,
            stage_started_at=received,
            due_at=self.due(
                self.policy(policies.acceptance_policy_code(past.kind)),
                received,
                self.scope(past, received),
            ),
            created_at=self.now,
            updated_at=self.now,
        )
        if past.ending:
            assert past.concluded_at is not None
            handling, rule_id = self.handling_policy(past, row["risk_level"])
            resolved = past.ending == Ending.RESOLVED
            row.update(
                accepted_at=received,
                policy_id=handling.pk,
                lead_unit_id=self.unit.pk,
                handler_id=self.actor.user_id,
                outcome=past.outcome.strip(),
                concluded_at=past.concluded_at,
                closed_at=past.concluded_at,
                due_at=None,
                stage_started_at=past.concluded_at if resolved else received,
                status=Status.CLOSED,
                version=1 + len(CONCLUDING),
            )
            row["_policy"] = handling
            row["_rule"] = rule_id
        return row

    def assignment_row(
        self, case_id: int, row: dict[str, Any], scope: hooks.DeadlineScope
    ) -> dict[str, Any]:
        received = row["received_at"]
        return {
            "case_id": case_id,
            "unit_id": self.unit.pk,
            "role": AssignmentRole.LEAD,
            "assigned_at": received,
            "assigned_by_id": self.actor.user_id,
            "check_in_due_at": self.due(self.policy("check_in"), received, scope),
            "due_at": self.due(row["_policy"], received, scope),
            "checked_in_at": received,
            "checked_in_by_id": self.actor.user_id,
            "reported_at": None,
            "report": "",
            "ended_at": None,
            "created_at": self.now,
            "updated_at": self.now,
        }

    def person_ids(self, chunk: Sequence[PastCase]) -> list[list[int]]:
        """Each case's parties as person ids, found or made like find_or_create_person.

        Matched by the ID number's blind index, including persons first met earlier in the
        same import; a party without an ID number is always a new person.
        """
        digests: dict[str, str] = {}
        for case in chunk:
            for party in case.parties:
                number = normalize_id_number(party.id_number) if party.id_number else ""
                if number and number not in digests:
                    digests[number] = blind_index(number, purpose="id_number")
        unknown = [d for d in digests.values() if d not in self.persons]
        for start in range(0, len(unknown), 5000):
            found = Person.objects.filter(id_number_hash__in=unknown[start : start + 5000])
            for digest, pk in found.values_list("id_number_hash", "pk").iterator():
                self.persons[str(digest)] = pk
        # Who each party is: a known id, or the index of a new row in ``fresh``.
        fresh: list[dict[str, Any]] = []
        fresh_by_digest: dict[str, int] = {}
        slots: list[list[tuple[bool, int]]] = []
        for case in chunk:
            row = []
            for party in case.parties:
                number = normalize_id_number(party.id_number) if party.id_number else ""
                digest = digests.get(number) if number else None
                if digest in self.persons:
                    row.append((True, self.persons[digest]))
                    continue
                if digest is not None and digest in fresh_by_digest:
                    row.append((False, fresh_by_digest[digest]))
                    continue
                phone = party.phone.strip()
                if digest is not None:
                    fresh_by_digest[digest] = len(fresh)
                row.append((False, len(fresh)))
                fresh.append(
                    {
                        "name": party.name.strip(),
                        "gender": party.gender,
                        "id_number": number,
                        "id_number_hash": digest,
                        "phone": phone,
                        "phone_hash": blind_index(phone, purpose="phone") if phone else "",
                        "address": party.address,
                        "created_at": self.now,
                        "updated_at": self.now,
                    }
                )
            slots.append(row)
        new_ids = insert_rows(Person, fresh, returning=True)
        for digest, index in fresh_by_digest.items():
            self.persons[digest] = new_ids[index]
        return [[pk if known else new_ids[pk] for known, pk in row] for row in slots]

    def events(self, past: PastCase, row: dict[str, Any]) -> list[dict[str, Any]]:
        """The events the services write, in order (see register_past_case)."""
        received = past.received_at
        scope = self.scope(past, received)
        events = [
            _event(
                Action.REGISTER,
                received,
                "",
                Status.REGISTERED,
                payload=plain_json(
                    scope.payload(
                        services.registration_payload(
                            past.channel, len(past.parties), past.source or None
                        )
                    )
                ),
            )
        ]
        if not past.ending:
            return events
        concluded = past.concluded_at
        assert concluded is not None
        ended = Status.RESOLVED if past.ending == Ending.RESOLVED else Status.UNRESOLVED
        # Resolving sets the follow-up deadline (which closing clears): its event records a
        # mode running when the case was settled. Failing sets none.
        ending = self.scope(past, concluded).payload({}) if ended == Status.RESOLVED else {}
        return [
            *events,
            _event(
                Action.ACCEPT,
                received,
                Status.REGISTERED,
                Status.ACCEPTED,
                payload=self.shared(
                    scope.payload(services.acceptance_payload(row["_policy"], row["_rule"]))
                ),
            ),
            _event(
                Action.ASSIGN,
                received,
                Status.ACCEPTED,
                Status.ASSIGNED,
                payload=self.shared(
                    scope.payload({"lead": self.unit.pk, "assisting": [], "handler": None})
                ),
            ),
            _event(
                Action.CHECK_IN,
                received,
                Status.ASSIGNED,
                Status.IN_PROGRESS,
                payload=self.shared({}),
            ),
            _event(
                Action.RESOLVE if ended == Status.RESOLVED else Action.FAIL,
                concluded,
                Status.IN_PROGRESS,
                ended,
                reason=row["outcome"],
                payload=self.shared(ending),
            ),
            _event(
                Action.CLOSE,
                concluded,
                ended,
                Status.CLOSED,
                reason=self.closing,
                payload=self.shared({}),
            ),
        ]

    def shared(self, payload: dict[str, Any]) -> dict[str, Any]:
        """One plain copy of a payload many events carry (its database form made once)."""
        key = json.dumps(payload, sort_keys=True)
        if key not in self.payloads:
            plain = plain_json(payload)
            self.payloads[key] = (plain, self.payload_field.get_db_prep_save(plain, connection))
        return self.payloads[key][0]

    def chain(self, cases: Sequence[tuple[int, list[dict[str, Any]]]]) -> _Chained:
        """Each case's events as rows, hash-chained, and each case's chain head."""
        actor_id, unit_id = self.actor.user_id, self.unit.pk
        # The shared payloads live as long as the writer, so their ids stay theirs.
        prepared = {id(plain): db for plain, db in self.payloads.values()}
        result = _Chained()
        for case_id, events in cases:
            prev = GENESIS
            for seq, event in enumerate(events, start=1):
                digest = event_hash(
                    prev_hash=prev,
                    case_id=case_id,
                    seq=seq,
                    actor_id=actor_id,
                    actor_unit_id=unit_id,
                    **event,
                )
                result.rows.append(
                    {
                        "case_id": case_id,
                        "seq": seq,
                        "actor_id": actor_id,
                        "actor_unit_id": unit_id,
                        "prev_hash": prev,
                        "hash": digest,
                        **event,
                        "payload": prepared.get(id(event["payload"]))
                        or self.payload_field.get_db_prep_save(event["payload"], connection),
                    }
                )
                prev = digest
            result.heads.append((len(events), prev))
        return result


@dataclass
class _Chained:
    rows: list[dict[str, Any]] = field(default_factory=list)
    heads: list[tuple[int, str]] = field(default_factory=list)


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
        "payload": payload if payload is not None else {},
    }
