"""The deadline sweeper: remind before a deadline, supervise and escalate after it.

Each step is claimed with a compare-and-swap on the case row (``reminded_for_due`` /
``escalated_for_due`` set to the due time being acted on), inside the same transaction as
the action. Two sweepers running at once, or one running twice, therefore act once per
deadline: the loser's UPDATE matches no row and it moves on.

Policy (DESIGN §3, §4):
- due within TIAOJIE_REMIND_BEFORE_HOURS and not yet supervised → reminder (督办 level 1);
- overdue and still at the village or town tier → escalate one tier (下级解决不了的提级);
- overdue at the district tier or above → supervise one level up (督办 → 挂牌督办);
- overdue before acceptance or follow-up → supervise (the window and the desk are reminded).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiaojie.core.errors import DomainError

from . import services, tiers
from .models import Case, SupervisionLevel
from .workflow import WORKING, EscalationTrigger, Status

log = logging.getLogger("tiaojie.sweeper")

_SWEPT = WORKING | {Status.REGISTERED, Status.RESOLVED}


@dataclass
class SweepReport:
    reminded: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)
    supervised: list[str] = field(default_factory=list)
    skipped: int = 0

    def __str__(self) -> str:
        return (
            f"reminded {len(self.reminded)}, escalated {len(self.escalated)}, "
            f"supervised {len(self.supervised)}, skipped {self.skipped}"
        )


def _claim(case_id: int, due: dt.datetime, column: str) -> bool:
    """Take the step for this due time, unless someone already has (compare-and-swap)."""
    stale = Q(**{f"{column}__isnull": True}) | ~Q(**{column: due})
    return bool(
        Case.objects.filter(stale, pk=case_id, due_at=due, status__in=_SWEPT).update(
            **{column: due}
        )
    )


def sweep(*, now: dt.datetime | None = None, batch: int = 500) -> SweepReport:
    now = now or timezone.now()
    report = SweepReport()
    soon = now + dt.timedelta(hours=settings.TIAOJIE_REMIND_BEFORE_HOURS)
    open_cases = Case.objects.filter(status__in=_SWEPT, due_at__isnull=False)

    due_soon = (
        open_cases.filter(due_at__gt=now, due_at__lte=soon, supervision_level=SupervisionLevel.NONE)
        .filter(Q(reminded_for_due__isnull=True) | ~Q(reminded_for_due=F("due_at")))
        .order_by("due_at")
        .values_list("pk", "due_at")[:batch]
    )
    for pk, due in list(due_soon):
        assert due is not None  # filtered on due_at
        _step(pk, due, "reminded_for_due", report, overdue=False)

    overdue = (
        open_cases.filter(due_at__lte=now)
        .filter(Q(escalated_for_due__isnull=True) | ~Q(escalated_for_due=F("due_at")))
        .order_by("due_at")
        .values_list("pk", "due_at")[:batch]
    )
    for pk, due in list(overdue):
        assert due is not None  # filtered on due_at
        _step(pk, due, "escalated_for_due", report, overdue=True)
    return report


def _step(pk: int, due: dt.datetime, column: str, report: SweepReport, *, overdue: bool) -> None:
    try:
        with transaction.atomic():
            if not _claim(pk, due, column):
                report.skipped += 1
                return
            case = Case.objects.get(pk=pk)
            with translation.override(settings.LANGUAGE_CODE):
                # Reasons are stored in the event: written in the site's language.
                approaching, passed = (
                    _("The deadline is approaching."),
                    _("The deadline has passed."),
                )
            if not overdue:
                services.supervise(case, actor=services.SYSTEM, note=approaching)
                report.reminded.append(case.code)
            elif case.status in WORKING and tiers.is_local(case.tier):
                services.escalate(
                    case,
                    actor=services.SYSTEM,
                    reason=passed,
                    trigger=EscalationTrigger.DEADLINE,
                )
                report.escalated.append(case.code)
            elif case.supervision_level < SupervisionLevel.LISTED:
                services.supervise(case, actor=services.SYSTEM, note=passed)
                report.supervised.append(case.code)
            else:
                report.skipped += 1
    except DomainError as exc:
        # A case the rules do not let the system touch (e.g. no center above): leave it for
        # people, and do not try again for this due time.
        log.warning("sweeper left case %s alone: %s", pk, exc.code)
        Case.objects.filter(pk=pk).update(**{column: due})
        report.skipped += 1
