"""Cases sent in by machines: one request, one case, however often it is retried."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tiaojie.cases import services as case_services
from tiaojie.cases.models import Case, PartyRole
from tiaojie.core import clock
from tiaojie.core.enums import CaseKind, Category, RiskLevel
from tiaojie.core.errors import DomainError
from tiaojie.core.idnumber import id_number_problem, is_valid_mobile
from tiaojie.regions.locate import locate
from tiaojie.regions.models import Region

from .models import IntakeRequest, IntakeSource
from .signing import body_digest


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
class Received:
    case: Case
    created: bool


def _place(source: IntakeSource, data: CaseData) -> Region:
    area = source.region
    if data.region_code:
        region = Region.objects.subtree(area).filter(code=data.region_code).first()
        if region is None:
            raise DomainError(
                _("Unknown region code %(code)s.") % {"code": data.region_code},
                code="unknown_region",
            )
        return region
    if data.address:
        return locate(data.address, area) or area
    return area


def _check(data: CaseData) -> None:
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


def _replay(source: IntakeSource, key: str, digest: str) -> Received | None:
    earlier = IntakeRequest.objects.filter(source=source, key=key).select_related("case").first()
    if earlier is None:
        return None
    if earlier.body_sha256 != digest:
        raise KeyReused(_("This idempotency key was already used for a different request."))
    return Received(earlier.case, created=False)


def receive(source: IntakeSource, *, key: str, body: bytes, data: CaseData) -> Received:
    """Register the case a signed request describes, or return the one it already made.

    The key is unique per source in the database, so two copies of a request racing each
    other cannot both register: the loser's transaction rolls back (case code included)
    and it answers with the winner's case.
    """
    digest = body_digest(body)
    if done := _replay(source, key, digest):
        return done
    _check(data)
    region = _place(source, data)
    parties = [
        case_services.PartyInput(
            name=p.name, role=p.role, id_number=p.id_number, phone=p.phone, address=p.address
        )
        for p in data.parties
    ]
    try:
        with transaction.atomic():
            case = case_services.register_case(
                actor=case_services.SYSTEM,
                kind=data.kind,
                category=data.category,
                channel=source.channel,
                title=data.title,
                description=data.description,
                region=region,
                parties=parties,
                address=data.address,
                first_unit=source.unit,
                people_count=data.people_count,
                risk_level=data.risk_level,
                occurred_at=data.occurred_at,
            )
            IntakeRequest.objects.create(
                source=source, key=key, body_sha256=digest, case=case, received_at=clock.now()
            )
    except IntegrityError:
        if done := _replay(source, key, digest):
            return done
        raise
    return Received(case, created=True)
