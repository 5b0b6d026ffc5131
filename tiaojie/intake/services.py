"""Cases sent in by machines: one request, one case, however often it is retried.

Two steps, so a burst from a hotline or a camera platform is answered at once: the
endpoint checks and keeps the request and answers with the case code (:func:`receive`);
a worker registers the case under that code (:func:`process`, a step of the sweep that
``tiaojie worker`` runs every two seconds).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.cases import services as case_services
from tiaojie.cases.models import Case, PartyRole
from tiaojie.core import clock
from tiaojie.core.enums import CaseKind, Category, RiskLevel
from tiaojie.core.errors import DomainError
from tiaojie.core.idnumber import id_number_problem, is_valid_mobile
from tiaojie.regions.locate import locate_id
from tiaojie.regions.models import Region

from .models import IntakeRequest, IntakeSource, IntakeStatus
from .signing import body_digest

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


class KeyReused(DomainError):
    """The idempotency key was used before for a different request body."""

    code = "idempotency_key_reused"


@dataclass(frozen=True)
class PartyData:
    name: str
    role: str = PartyRole.APPLICANT
    id_number: str = ""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class CaseData:
    kind: str
    category: str
    title: str
    description: str
    region_code: str = ""
    address: str = ""
    occurred_at: dt.datetime | None = None
    people_count: int = 1
    risk_level: str = RiskLevel.BLUE
    parties: list[PartyData] = field(default_factory=list)


@dataclass(frozen=True)
class Receipt:
    """What the sender is told: the case's code, where it stands, and if this was new."""

    code: str
    status: str
    created: bool


def _place(source: IntakeSource, data: CaseData) -> int:
    """The id of the region the case belongs to: the code sent, the address, or the default."""
    area = source.region
    if data.region_code:
        pk = Region.objects.subtree(area).filter(code=data.region_code).values_list("pk")
        if not (found := list(pk)):
            raise DomainError(
                _("Unknown region code %(code)s.") % {"code": data.region_code},
                code="unknown_region",
            )
        return int(found[0][0])
    return (locate_id(data.address, area) if data.address else None) or area.pk


def _parties(parties: list[PartyData] | list[dict[str, str]]) -> list[case_services.PartyInput]:
    """Parties as the case service takes them, from the request or from its stored JSON."""
    return [
        case_services.PartyInput(**(asdict(p) if isinstance(p, PartyData) else p)) for p in parties
    ]


def _check(source: IntakeSource, data: CaseData) -> None:
    """Everything register_case would refuse, refused now, while the sender is listening."""
    if not data.title.strip() or not data.description.strip():
        raise DomainError(_("A case needs a title and a description."), code="missing_input")
    case_services.check_parties(source.channel, _parties(data.parties))
    if data.kind not in CaseKind.values:
        raise DomainError(_("Unknown kind."), code="unknown_kind")
    if data.category not in Category.values:
        raise DomainError(_("Unknown category."), code="unknown_category")
    if data.risk_level not in RiskLevel.values:
        raise DomainError(_("Unknown risk level."), code="unknown_risk_level")
    for party in data.parties:
        if party.role not in PartyRole.values:
            raise DomainError(_("Unknown party role."), code="unknown_party_role")
        if party.id_number and id_number_problem(party.id_number):
            raise DomainError(_("An ID number is not valid."), code="invalid_id_number")
        if party.phone and not is_valid_mobile(party.phone):
            raise DomainError(_("A mobile number is not valid."), code="invalid_phone")


def _replay(source: IntakeSource, key: str, digest: str) -> Receipt | None:
    # No ORDER BY (unlike .first()): the unique index on (source, key) answers directly.
    earlier = list(
        IntakeRequest.objects.filter(source=source, key=key).values_list(
            "body_sha256", "case_code", "status"
        )
    )
    if not earlier:
        return None
    body_sha256, code, status = earlier[0]
    if body_sha256 != digest:
        raise KeyReused(_("This idempotency key was already used for a different request."))
    return Receipt(code, status, created=False)


def receive(source: IntakeSource, *, key: str, body: bytes, data: CaseData) -> Receipt:
    """Acknowledge a signed request: check it, give it its case code, keep it.

    Everything that can be wrong with the request is found here, before the answer, so
    the sender hears of it; registering the case (:func:`process`) then has nothing left
    to refuse. The key is unique per source in the database, so two copies of a request
    racing each other cannot both be kept: the loser's transaction rolls back (its code
    number with it) and it answers with the winner's receipt.
    """
    digest = body_digest(body)
    _check(source, data)
    payload = {**asdict(data), "region_id": _place(source, data)}
    try:
        if connection.in_atomic_block:  # inside a caller's transaction: a savepoint
            with transaction.atomic():
                code = _keep(source, key, digest, payload)
        else:
            code = _keep(source, key, digest, payload)
    except IntegrityError:
        # Seen before (or racing a copy of itself): answer as the first time was answered.
        if done := _replay(source, key, digest):
            return done
        raise
    return Receipt(code, IntakeStatus.RECEIVED, created=True)


def _keep(source: IntakeSource, key: str, digest: str, payload: dict[str, Any]) -> str:
    """Store the request under the next case code; returns the code.

    The year's counter stays locked until the commit, so every request waits for the one
    before it. On PostgreSQL the counter and the row are therefore written in one statement
    (a data-modifying WITH) that commits on its own when no transaction is open: one round
    trip, the lock held for just that. SQLite has one writer at a time anyway.
    """
    now = clock.now()
    year = timezone.localtime(now).year
    text = json.dumps(payload, ensure_ascii=False, cls=DjangoJSONEncoder)
    if connection.vendor != "postgresql":
        with transaction.atomic():
            code = case_services.next_case_code(year)
            IntakeRequest.objects.create(
                source=source,
                key=key,
                body_sha256=digest,
                case_code=code,
                payload=text,
                received_at=now,
            )
        return code
    sealed = IntakeRequest._meta.get_field("payload").get_db_prep_save(text, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH n AS ({case_services.case_number_sql()}) "  # noqa: S608 - constant SQL
            "INSERT INTO intake_intakerequest (source_id, key, body_sha256, case_code, payload,"
            " status, attempts, error, received_at) SELECT %s, %s, %s,"
            " %s || lpad(n.last::text, 6, '0'), %s, %s, 0, '', %s FROM n RETURNING case_code",
            [year, source.pk, key, digest, str(year), sealed, IntakeStatus.RECEIVED, now],
        )
        return str(cursor.fetchone()[0])


def _register(request: IntakeRequest) -> Case:
    data = json.loads(request.payload)
    occurred = data["occurred_at"]
    return case_services.register_case(
        actor=case_services.SYSTEM,
        code=request.case_code,
        kind=data["kind"],
        category=data["category"],
        channel=request.source.channel,
        title=data["title"],
        description=data["description"],
        region=Region.objects.get(pk=data["region_id"]),
        parties=_parties(data["parties"]),
        address=data["address"],
        first_unit=request.source.unit,
        people_count=data["people_count"],
        risk_level=data["risk_level"],
        occurred_at=dt.datetime.fromisoformat(occurred) if occurred else None,
        received_at=request.received_at,
    )


def process(*, limit: int = 500) -> int:
    """Register the cases of received requests, oldest first; returns how many.

    Each request in its own transaction, claimed with ``FOR UPDATE SKIP LOCKED`` on
    PostgreSQL, so several workers share the queue and none registers a request twice.
    A request that fails is retried on later runs and set aside as failed after
    ``MAX_ATTEMPTS``, with its error, for an administrator to look at; it is never dropped.
    """
    done = 0
    for _turn in range(limit):
        with transaction.atomic():
            pending = IntakeRequest.objects.filter(status=IntakeStatus.RECEIVED).order_by(
                "received_at", "pk"
            )
            request = (
                pending.select_for_update(skip_locked=True, of=("self",))
                .select_related("source", "source__unit")
                .first()
            )
            if request is None:
                break
            try:
                with transaction.atomic():
                    request.case = _register(request)
            except Exception as exc:  # kept with the request, never lost
                request.attempts += 1
                request.error = f"{type(exc).__name__}: {exc}"[:2000]
                if request.attempts >= MAX_ATTEMPTS:
                    request.status = IntakeStatus.FAILED
                    log.error("intake request %s failed: %s", request.case_code, request.error)
                request.save(update_fields=["attempts", "error", "status"])
                continue
            request.status = IntakeStatus.REGISTERED
            request.processed_at = clock.now()
            request.save(update_fields=["case", "status", "processed_at"])
            done += 1
    return done
