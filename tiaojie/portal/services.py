"""Writes of the public portal: a citizen's matter registered as a case, and the rating.

Both run as the system (nobody on the staff acts): the case is registered like every other,
through ``cases.services.register_case``, on the online channel.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tiaojie.accounts.models import Unit, UnitKind
from tiaojie.cases import services as case_services
from tiaojie.cases.history import append_notice
from tiaojie.cases.models import Case, PartyRole, Satisfaction
from tiaojie.cases.workflow import Notice, Status
from tiaojie.core import clock
from tiaojie.core.crypto import blind_index
from tiaojie.core.enums import Channel
from tiaojie.core.errors import DomainError
from tiaojie.regions.models import Region

from .models import PortalTicket
from .topics import TOPICS

# No 0/O, 1/I/L, so a code read out on the phone is not misheard: 31 signs, 12 of them, some
# 59 bits, far beyond guessing under the lookup limits. Without a 1, no code ever looks like
# a mobile number either.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
# The privacy notice the applicant agreed to (templates/portal/_notice.html); raise it when
# the notice's text changes.
NOTICE_VERSION = "2026-1"
MAX_COMMENT = 500
# A rating is for how the matter was handled: once it was resolved (and after the official
# follow-up closed it).
RATEABLE = frozenset({Status.RESOLVED, Status.CLOSED})


def normalize_query_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_query_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def show_query_code(code: str) -> str:
    """ABCD-EFGH-JKMN: easier to copy down and to read out."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def query_code_digest(case_code: str, query_code: str) -> str:
    """The keyed hash kept instead of the code, bound to its case."""
    message = f"{case_code.strip()}:{normalize_query_code(query_code)}"
    return blind_index(message, purpose="portal_query_code")


def codes_match(ticket: PortalTicket | None, case_code: str, query_code: str) -> bool:
    """Whether the query code is ``ticket``'s; as slow without a ticket as with a wrong code."""
    digest = query_code_digest(case_code, query_code)
    expected = ticket.code_hash if ticket is not None else "0" * len(digest)
    return hmac.compare_digest(digest, expected) and ticket is not None


class AlreadySubmitted(DomainError):
    """The same form was sent again (reloaded, sent twice): its case exists already."""

    code = "already_submitted"

    def __init__(self, case_code: str) -> None:
        super().__init__(_("This form was sent already."))
        self.case_code = case_code


@dataclass(frozen=True)
class Submission:
    """A citizen's matter as the portal's form checked it."""

    name: str
    phone: str
    topic: str
    description: str
    region: Region
    form_token: str
    id_number: str = ""
    address: str = ""
    occurred_at: dt.datetime | None = None


@dataclass(frozen=True)
class Receipt:
    """What the citizen is shown once: the case code and the private query code."""

    case_code: str
    query_code: str

    @property
    def shown_query_code(self) -> str:
        return show_query_code(self.query_code)


def receiving_unit(region: Region) -> Unit | None:
    """The governance center closest to the place: its town's, else the district's.

    A matter in a town starts where the town works it (its tier is the town's, DESIGN §4);
    the district center sees it too, since the town lies in its area.
    """
    codes = region.path.rstrip("/").split("/")
    return (
        Unit.objects.filter(
            kind__in=(UnitKind.TOWN_CENTER, UnitKind.DISTRICT_CENTER),
            region__code__in=codes,
            is_active=True,
        )
        .order_by("-region__depth", "pk")
        .first()
    )


def _title(description: str) -> str:
    first_line = description.strip().splitlines()[0].strip()
    return first_line if len(first_line) <= 40 else first_line[:39] + "…"


def submit(data: Submission) -> Receipt:
    """Register the matter as an online case with its applicant and keep its query code's hash."""
    topic = TOPICS.get(data.topic)
    if topic is None:
        raise DomainError(_("Choose what the matter is about."), code="invalid_input")
    unit = receiving_unit(data.region)
    if unit is None:
        raise DomainError(
            _("Matters for this place cannot be received online yet. Please call or visit."),
            code="no_unit",
        )
    token_hash = blind_index(data.form_token, purpose="portal_form")
    earlier = PortalTicket.objects.filter(form_token_hash=token_hash).values_list(
        "case__code", flat=True
    )
    if found := list(earlier):
        raise AlreadySubmitted(found[0])
    query_code = new_query_code()
    now = clock.now()
    try:
        with transaction.atomic():
            case = case_services.register_case(
                actor=case_services.SYSTEM,
                kind=topic.kind,
                category=topic.category,
                channel=Channel.ONLINE,
                title=_title(data.description),
                description=data.description.strip(),
                region=data.region,
                address=data.address.strip(),
                first_unit=unit,
                occurred_at=data.occurred_at,
                received_at=now,
                parties=[
                    case_services.PartyInput(
                        name=data.name,
                        role=PartyRole.APPLICANT,
                        id_number=data.id_number,
                        phone=data.phone,
                    )
                ],
            )
            PortalTicket.objects.create(
                case=case,
                code_hash=query_code_digest(case.code, query_code),
                form_token_hash=token_hash,
                submitted_at=now,
                consent_notice=NOTICE_VERSION,
            )
    except IntegrityError:
        # The same form racing itself: the first copy won.
        winner = PortalTicket.objects.filter(form_token_hash=token_hash).values_list(
            "case__code", flat=True
        )
        if found := list(winner):
            raise AlreadySubmitted(found[0]) from None
        raise
    return Receipt(case.code, query_code)


class NotRateable(DomainError):
    code = "not_rateable"


def rate(ticket: PortalTicket, *, satisfaction: str, comment: str = "") -> PortalTicket:
    """群众评价: the applicant's own rating, once, written to the case's history.

    It is the applicant's word, not the follow-up (回访): the case keeps its status and its
    follow-up result, and staff still follow up. The event is hash-chained like every other;
    the case's version moves on, so a staff page opened before the rating is refused as stale
    rather than writing over it.
    """
    if satisfaction not in Satisfaction.values:
        raise DomainError(_("Choose how satisfied you are."), code="invalid_input")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise DomainError(
            _("The comment may have at most %(n)s characters.") % {"n": MAX_COMMENT},
            code="invalid_input",
        )
    now = clock.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=ticket.case_id)
        if case.status not in RATEABLE:
            raise NotRateable(_("You can rate the handling once the matter is resolved."))
        rated = PortalTicket.objects.filter(pk=ticket.pk, rated_at=None).update(
            satisfaction=satisfaction, comment=comment, rated_at=now
        )
        if not rated:
            raise NotRateable(_("You have rated this matter already. Thank you."))
        append_notice(
            case,
            action=Notice.PUBLIC_RATING,
            actor_id=None,
            actor_unit_id=None,
            at=now,
            reason=comment,
            payload={"satisfaction": satisfaction, "channel": Channel.ONLINE},
        )
    ticket.refresh_from_db()
    return ticket
