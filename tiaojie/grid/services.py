"""网格上报: a grid worker's report from the street becomes a case, once per report.

The phone gives every report an idempotency key when it is written; the report may then be
sent many times (the network drops, the page retries). The key is unique per worker in the
database, so however often it arrives the report registers one case, and every retry is
answered with that case's code.

Where the case goes: its place is the grid; its first unit (首接) is the village or
residents' committee of the grid's village, where a grid report is first dealt with
(小事不出村); a village without a committee unit falls back to its town's center, then to
the worker's own unit. The town center still sees the case through its area and accepts it.

Who is a party: the worker reports for residents and is not a party. A resident named in the
report (and their phone, if given) becomes the applicant; a report with nobody named (a
crack in a wall, a quarrel seen in the street) has no applicant, as a camera's alarm has
none (cases.services.NO_APPLICANT_CHANNELS).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.accounts.models import GridMember, Unit, UnitKind, User
from tiaojie.cases import services as case_services
from tiaojie.cases.attachments import attach
from tiaojie.cases.models import AttachmentKind, PartyRole
from tiaojie.core import clock
from tiaojie.core.enums import CaseKind, Category, Channel
from tiaojie.core.errors import DomainError
from tiaojie.regions.models import Region, RegionLevel

from .models import GridReport
from .selectors import is_grid_worker


@dataclass(frozen=True)
class What:
    """One choice of "what is it", in the words a grid worker uses, and what it means."""

    label: str | Promise
    kind: str
    category: str


# Plain words on the phone; kind and dispute type behind them (DESIGN §5).
WHAT: dict[str, What] = {
    "neighbours": What(
        gettext_lazy("Quarrel between neighbours"), CaseKind.DISPUTE, Category.NEIGHBOURHOOD
    ),
    "family": What(
        gettext_lazy("Family or marriage quarrel"), CaseKind.DISPUTE, Category.MARRIAGE_FAMILY
    ),
    "homestead": What(
        gettext_lazy("House or homestead boundary"),
        CaseKind.DISPUTE,
        Category.HOUSING_HOMESTEAD,
    ),
    "land": What(gettext_lazy("Farmland or forest"), CaseKind.DISPUTE, Category.LAND_FOREST),
    "demolition": What(
        gettext_lazy("Land requisition or demolition"),
        CaseKind.DISPUTE,
        Category.LAND_REQUISITION,
    ),
    "wages": What(gettext_lazy("Unpaid wages"), CaseKind.DISPUTE, Category.LABOUR),
    "money": What(
        gettext_lazy("Debts, contracts or business"), CaseKind.DISPUTE, Category.CONTRACT
    ),
    "pollution": What(
        gettext_lazy("Pollution, noise or rubbish"), CaseKind.DISPUTE, Category.ENVIRONMENT
    ),
    "traffic": What(gettext_lazy("Road accident"), CaseKind.DISPUTE, Category.TRAFFIC),
    "property": What(
        gettext_lazy("Estate management"), CaseKind.DISPUTE, Category.PROPERTY_MANAGEMENT
    ),
    "hazard": What(
        gettext_lazy("Safety hazard (building, fire, road, water)"),
        CaseKind.HAZARD,
        Category.OTHER,
    ),
    "request": What(gettext_lazy("Residents need help"), CaseKind.REQUEST, Category.OTHER),
    "other": What(gettext_lazy("Something else"), CaseKind.DISPUTE, Category.OTHER),
}


@dataclass(frozen=True)
class ReportData:
    """A report as the phone wrote it, checked for form at the edge."""

    key: str
    grid_id: int
    what: str
    description: str
    people_count: int = 1
    risk_level: str = "blue"
    resident_name: str = ""
    resident_phone: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    accuracy_m: int | None = None
    written_at: dt.datetime | None = None


@dataclass(frozen=True)
class Receipt:
    """What the phone is told: the case code, and whether this sending made the case."""

    code: str
    created: bool


class NotYourGrid(DomainError):
    """The worker has no duty in the grid named (or is not a grid worker at all)."""

    code = "not_your_grid"


def first_unit_for(grid: Region) -> Unit | None:
    """The unit that first receives a report from this grid (see the module docstring)."""
    village = grid.parent if grid.level == RegionLevel.GRID else grid
    if village is not None:
        committee = Unit.objects.filter(
            region=village, kind=UnitKind.VILLAGE_COMMITTEE, is_active=True
        ).first()
        if committee is not None:
            return committee
    towns = [r for r in grid.ancestors() if r.level == RegionLevel.TOWN]
    if towns:
        return Unit.objects.filter(
            region=towns[-1], kind=UnitKind.TOWN_CENTER, is_active=True
        ).first()
    return None


def _replay(worker: User, key: str) -> Receipt | None:
    code = (
        GridReport.objects.filter(worker=worker, key=key)
        .values_list("case__code", flat=True)
        .first()
    )
    return Receipt(code, created=False) if code else None


def _grid(worker: User, grid_id: int) -> Region:
    if not is_grid_worker(worker):
        raise NotYourGrid(_("Only grid workers send grid reports."))
    member = GridMember.objects.filter(user=worker, grid_id=grid_id).select_related("grid").first()
    if member is None:
        raise NotYourGrid(_("You have no duty in this grid."))
    return member.grid


def send_report(*, worker: User, data: ReportData, photo: File | None = None) -> Receipt:
    """Register the report's case, its place, applicant and photo; or answer a retry.

    All or nothing: the case, the report row and the photo are written in one transaction,
    so a refused photo leaves no case behind. Two copies of one report racing each other
    cannot both win: the loser hits the unique key, rolls back and answers with the
    winner's code.
    """
    if done := _replay(worker, data.key):
        return done
    grid = _grid(worker, data.grid_id)
    what = WHAT.get(data.what)
    if what is None:
        raise DomainError(_("Choose what it is about."), code="unknown_what")
    parties = []
    if data.resident_name.strip():
        parties.append(
            case_services.PartyInput(
                name=data.resident_name, role=PartyRole.APPLICANT, phone=data.resident_phone
            )
        )
    first_unit = first_unit_for(grid) or worker.unit
    actor = case_services.Actor(worker)
    try:
        with transaction.atomic():
            case = case_services.register_case(
                actor=actor,
                kind=what.kind,
                category=what.category,
                channel=Channel.GRID,
                title=_("%(what)s (%(grid)s)") % {"what": what.label, "grid": grid.name},
                description=data.description,
                region=grid,
                parties=parties,
                first_unit=first_unit,
                people_count=data.people_count,
                risk_level=data.risk_level,
            )
            GridReport.objects.create(
                worker=worker,
                key=data.key,
                case=case,
                grid=grid,
                latitude=data.latitude,
                longitude=data.longitude,
                accuracy_m=data.accuracy_m,
                written_at=data.written_at,
                received_at=clock.now(),
            )
            if photo is not None:
                attach(
                    case,
                    actor=actor,
                    file=photo,
                    kind=AttachmentKind.PHOTO,
                    description=_("Photo taken with the grid report"),
                )
    except IntegrityError:
        if done := _replay(worker, data.key):
            return done
        raise
    return Receipt(case.code, created=True)
