"""登记: a new case with its parties, its code and its first event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.models import Unit
from tiaojie.core import clock
from tiaojie.core.crypto import blind_index
from tiaojie.core.enums import Channel
from tiaojie.core.errors import DomainError
from tiaojie.core.idnumber import normalize_id_number
from tiaojie.regions.models import Region

from .. import hooks, petitions, policies, search, tiers
from ..announce import announce
from ..history import append_event
from ..models import Case, CaseCodeSequence, Party, PartyRole, Person
from ..workflow import Action, Status
from .engine import Actor, due_from, need


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


def check_people(
    *, kind: str, channel: str, parties: Sequence[PartyInput], people_count: int
) -> None:
    """Who a new case names, as registration and the ledger's bulk writer both check it:
    the applicant first, and a collective petition's representatives and head count."""
    check_parties(channel, parties)
    petitions.check_people(kind=kind, channel=channel, parties=parties, people_count=people_count)


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
    check_people(kind=kind, channel=channel, parties=parties, people_count=people_count)
    received = received_at or clock.now()
    tier = tiers.case_tier(region, unit)
    accept_policy = policies.policy(policies.acceptance_policy_code(kind))
    # No savepoint when called inside a caller's transaction: an error undoes that anyway.
    # Input is checked before the transaction opens: a refusal then leaves a caller's own
    # transaction usable.
    title = need(title, _("a title"))
    description = need(description, _("a description"))
    review_stage = ""
    if review_of is not None:
        review_stage = petitions.review_stage_for(review_of, kind=kind, received=received)
        tier = tiers.review_tier(tier, review_of.tier)
    with hooks.deadline_scope(region.pk, received) as scope:
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
            payload=scope.payload(
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
