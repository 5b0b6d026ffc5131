"""The demo's cases, lived through the real services at the times they would have happened.

Every case is registered, accepted, assigned, worked, resolved and followed up by the demo's
staff, each step a service call with the clock set to that moment, so each case's events,
deadlines and hash chain are real. Past events tell nobody (their messages would be stale);
the current workload's do, so the inboxes have something in them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from tiaojie.accounts.models import Unit, User
from tiaojie.accounts.roles import DESK_ROLES, DISPATCH_ROLES, WORKER_ROLES, Role
from tiaojie.cases import services, tiers
from tiaojie.cases.announce import quiet
from tiaojie.cases.models import Case, LegalRoute, Satisfaction
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.cases.workflow import OPEN, Status
from tiaojie.core import clock
from tiaojie.core.enums import CaseKind, Tier
from tiaojie.regions.models import Region

from .texts import outcome_text


def _preferring(roles: frozenset[str], *first: str) -> tuple[str, ...]:
    """``roles`` in the order a unit's staff are picked: ``first``, then the rest in the
    order of Role (an order, not a set, so the same person is picked every run)."""
    return (*first, *(r for r in Role if r in roles and r not in first))


_DESK = _preferring(DESK_ROLES)
_DISPATCH = _preferring(DISPATCH_ROLES)
# A department's own handler works its cases before a center's staff do it themselves.
_WORKERS = _preferring(WORKER_ROLES, Role.HANDLER, Role.MEDIATOR, Role.TOWN_STAFF)


@dataclass
class Plan:
    """Everything about one demo case decided up front by the seeded generator."""

    kind: str
    category: str
    channel: str
    title: str
    description: str
    town: Region
    region: Region
    address: str
    parties: list[PartyInput]
    people: int
    risk: str
    first_unit: Unit
    lead: Unit
    received: dt.datetime
    occurred: dt.datetime
    outcome: str  # the status the case ends in
    steps: dict[str, dt.datetime] = field(default_factory=dict)


class Staff:
    """Who in each unit does what, picked the same way every run."""

    def __init__(self, users: Iterable[User]) -> None:
        self.by_unit: dict[int, dict[str, list[User]]] = {}
        for user in sorted(users, key=lambda u: u.username):
            roles = self.by_unit.setdefault(user.unit_id or 0, {})
            for role in user.role_codes:
                roles.setdefault(role, []).append(user)

    def pick(self, unit: Unit, roles: Sequence[str], *, not_user: User | None = None) -> Actor:
        staff = self.by_unit.get(unit.pk, {})
        for role in roles:
            for user in staff.get(role, []):
                if user != not_user:
                    return Actor(user)
        raise LookupError(f"nobody in {unit} holds one of {roles}")


@contextmanager
def _at(moment: dt.datetime) -> Iterator[None]:
    with clock.set_to(moment):
        yield


class Replayer:
    def __init__(
        self,
        rng: random.Random,
        staff: Staff,
        *,
        center: Unit,
        town_centers: dict[int, Unit],
        leader: Actor,
    ) -> None:
        self.rng = rng
        self.staff = staff
        self.center = center
        self.town_centers = town_centers
        self.leader = leader
        self.survivors: dict[tuple[int, str], Case] = {}

    def _area_center(self, case: Case, plan: Plan) -> Unit:
        return self.center if not tiers.is_local(case.tier) else self.town_centers[plan.town.pk]

    def _fail_upward(self, case: Case, plan: Plan, failed: dt.datetime, text: str) -> Case:
        """下级解决不了的提级: what a lower tier could not resolve went up by itself; each
        center above works it in turn and, in the plan, does not settle it either."""
        moment = failed
        while case.status != Status.UNRESOLVED:
            center = self._area_center(case, plan)
            dispatcher = self.staff.pick(center, _DISPATCH)
            with _at(moment + dt.timedelta(hours=2)):
                case = services.assign(case, actor=dispatcher, lead=center)
            with _at(moment + dt.timedelta(hours=3)):
                case = services.check_in(case, actor=dispatcher)
            moment += dt.timedelta(hours=26)
            with _at(moment):
                case = services.fail(case, actor=dispatcher, reason=text)
        return case

    def play(self, plan: Plan, *, tell: bool = False) -> Case:
        """Run one case to its planned outcome; returns the case as it ends."""
        rng, steps = self.rng, plan.steps
        with nullcontext() if tell else quiet():
            desk = self.staff.pick(plan.first_unit, _DESK)
            with _at(plan.received):
                case = services.register_case(
                    actor=desk,
                    kind=plan.kind,
                    category=plan.category,
                    channel=plan.channel,
                    title=plan.title,
                    description=plan.description,
                    region=plan.region,
                    parties=plan.parties,
                    address=plan.address,
                    first_unit=plan.first_unit,
                    people_count=plan.people,
                    risk_level=plan.risk,
                    occurred_at=plan.occurred,
                    received_at=plan.received,
                )
            if plan.outcome == Status.REGISTERED:
                return case
            if plan.outcome == Status.DECLINED:
                with _at(steps["decline"]):
                    route = rng.choice(list(LegalRoute))
                    reason = {
                        LegalRoute.LITIGATION: "属于人民法院受理范围，已告知申请人依法提起诉讼。",
                        LegalRoute.ARBITRATION: "属于劳动人事争议仲裁受理范围，已引导申请人申请仲裁。",
                        LegalRoute.RECONSIDERATION: "属于行政复议事项，已告知申请人依法申请行政复议。",
                        LegalRoute.OTHER_AUTHORITY: "不属于本中心职责范围，已告知向有权机关反映。",
                    }[route]
                    return services.decline(case, actor=desk, route=route, reason=reason)
            with _at(steps["accept"]):
                case = services.accept(case, actor=desk)
            if plan.outcome == Status.ACCEPTED:
                return case
            if plan.outcome == Status.WITHDRAWN:
                with _at(steps["end"]):
                    return services.withdraw(
                        case, actor=desk, reason="申请人主动撤回申请，双方已自行和解。"
                    )
            if plan.outcome == Status.MERGED:
                survivor = self.survivors.get((plan.town.pk, plan.category))
                when = _merge_time(survivor, steps["end"]) if survivor else None
                if survivor is not None and when is not None:
                    # As it is now: an earlier merge into it moved its version on.
                    survivor.refresh_from_db()
                    with _at(when):
                        dispatcher = self.staff.pick(self.center, _DISPATCH)
                        return services.merge(
                            case,
                            actor=dispatcher,
                            into=survivor,
                            reason="与在办事项系同一事项，合并办理。",
                        )
                plan.outcome = Status.CLOSED  # nothing to merge into yet: handle it normally
            # A red case went to the district center when it was accepted (红色风险立即提级).
            area = self._area_center(case, plan)
            lead = (
                plan.lead
                if case.tier == Tier.TOWN or plan.lead.region.level == "county"
                else self.center
            )
            with _at(steps["assign"]):
                case = services.assign(case, actor=self.staff.pick(area, _DISPATCH), lead=lead)
            if plan.outcome == Status.ASSIGNED:
                return case
            worker = self.staff.pick(lead, _WORKERS)
            with _at(steps["check_in"]):
                case = services.check_in(case, actor=worker)
            for moment in sorted(t for k, t in steps.items() if k.startswith("session")):
                with _at(moment):
                    case = services.record_session(case, actor=worker, summary=self._session_note())
            if "supervise" in steps:
                with _at(steps["supervise"]):
                    case = services.supervise(
                        case, actor=self.leader, note="请加快办理进度，按期化解。"
                    )
            if "suspend" in steps:
                with _at(steps["suspend"]):
                    case = services.suspend(
                        case, actor=worker, reason="等待鉴定结论，办理期限中止计算。"
                    )
                if plan.outcome == Status.SUSPENDED or "resume" not in steps:
                    return case
                with _at(steps["resume"]):
                    case = services.resume(case, actor=worker, note="鉴定结论已出具，恢复办理。")
            if plan.outcome == Status.IN_PROGRESS:
                return case
            with _at(steps["conclude"]):
                if plan.outcome == Status.UNRESOLVED:
                    text = outcome_text(
                        case.kind, case.category, rng, resolved=False, description=case.description
                    )
                    case = services.fail(case, actor=worker, reason=text)
                    if case.status == Status.UNRESOLVED:
                        return case
                    return self._fail_upward(case, plan, steps["conclude"], text)
                text = outcome_text(
                    case.kind, case.category, rng, resolved=True, description=case.description
                )
                agreement = ""
                if case.kind == CaseKind.DISPUTE and rng.random() < 0.6:
                    agreement = f"一、{text}\n二、双方就本纠纷再无其他争议。\n三、本协议自双方签字之日起生效。"
                case = services.resolve(case, actor=worker, outcome=text, agreement=agreement)
            if plan.outcome == Status.RESOLVED:
                return case
            with _at(steps["close"]):
                if rng.random() < 0.93:
                    caller = self.staff.pick(plan.first_unit, _DESK, not_user=case.handler)
                    satisfaction = rng.choices(
                        [
                            Satisfaction.SATISFIED,
                            Satisfaction.BASICALLY_SATISFIED,
                            Satisfaction.DISSATISFIED,
                        ],
                        weights=[86, 12, 2],
                    )[0]
                    case = services.follow_up(
                        case, actor=caller, satisfaction=satisfaction, note="电话回访。"
                    )
                    if satisfaction == Satisfaction.DISSATISFIED:
                        # 重办: the unit works it again and settles it a week later.
                        with _at(steps["close"] + dt.timedelta(days=7)):
                            case = services.resolve(
                                case, actor=worker, outcome="重新办理后，申请人诉求已依法解决。"
                            )
                        with _at(steps["close"] + dt.timedelta(days=9)):
                            case = services.follow_up(
                                case, actor=caller, satisfaction=Satisfaction.BASICALLY_SATISFIED
                            )
                else:
                    closer = self.staff.pick(self._area_center(case, plan), _DISPATCH)
                    case = services.close(
                        case, actor=closer, reason="多次联系申请人未果，按程序办结。"
                    )
        self.survivors[(plan.town.pk, plan.category)] = case
        return case

    def _session_note(self) -> str:
        return self.rng.choice(
            [
                "组织双方当事人到场调解，听取各自意见，释明相关法律规定。",
                "电话联系被申请人，了解情况并做思想疏导工作。",
                "会同村（社区）干部实地查看现场，核实情况。",
                "邀请法律顾问参与调解，双方分歧有所缩小。",
            ]
        )


def plan_steps(
    rng: random.Random,
    plan: Plan,
    *,
    due_days: int,
    office: Callable[[dt.datetime], dt.datetime],
    until: dt.datetime | None = None,
) -> None:
    """The times of each step, in order, within office hours, none after ``until``."""
    t = plan.received
    steps = plan.steps

    def after(hours_low: float, hours_high: float) -> dt.datetime:
        nonlocal t
        t = office(t + dt.timedelta(hours=rng.uniform(hours_low, hours_high)))
        return t

    if plan.outcome == Status.DECLINED:
        steps["decline"] = after(2, 96)
        return
    steps["accept"] = after(1, 48)
    if plan.outcome in (Status.WITHDRAWN, Status.MERGED):
        steps["end"] = office(t + dt.timedelta(hours=rng.uniform(24, 150)))
        if plan.outcome == Status.WITHDRAWN:
            return
        # A duplicate with nothing yet to merge into is handled like any case: plan it all.
    steps["assign"] = after(2, 20)
    steps["check_in"] = after(1, 16)
    within = rng.random() < 0.97
    span_days = rng.uniform(1, max(2.0, due_days * 0.8)) if within else due_days + rng.uniform(1, 8)
    start = t
    span = dt.timedelta(days=span_days)
    # Steps in the order they are played, each at a fraction of the handling span; every
    # step is kept at or after the one before, whatever office hours do to them.
    marks: list[tuple[str, float]] = [
        (f"session{i}", 0.2 + 0.15 * i) for i in range(rng.choice((0, 1, 1, 2)))
    ]
    if rng.random() < 0.05:
        marks.append(("supervise", 0.45))
    pause = dt.timedelta()
    if rng.random() < 0.03:
        marks.append(("suspend", 0.55))
        pause = dt.timedelta(days=rng.uniform(3, 12))
    for key, fraction in marks:
        t = max(t, office(start + span * fraction))
        steps[key] = t
        if key == "suspend":
            t = office(t + pause)
            steps["resume"] = t
    steps["conclude"] = t = max(t, office(start + span + pause))
    steps["close"] = office(t + dt.timedelta(days=rng.uniform(2, 8)))
    if until is not None:
        # The current workload: drop every step that lies in the future.
        for key in [k for k, moment in steps.items() if moment > until]:
            del steps[key]


def outcome_from_steps(steps: dict[str, dt.datetime]) -> Status:
    """Where a case of the current workload stands, from the steps that have happened."""
    if "close" in steps:
        return Status.CLOSED
    if "conclude" in steps:
        return Status.RESOLVED
    if "suspend" in steps and "resume" not in steps:
        return Status.SUSPENDED
    if "check_in" in steps:
        return Status.IN_PROGRESS
    if "assign" in steps:
        return Status.ASSIGNED
    if "accept" in steps:
        return Status.ACCEPTED
    return Status.REGISTERED


def _merge_time(case: Case, planned: dt.datetime) -> dt.datetime | None:
    """When a duplicate can be merged into ``case``: at the planned time, or just after the
    case's last step if that came later (the merge writes on the surviving case too, and a
    history runs forward); None if it cannot take a merge or that is weeks later."""
    case.refresh_from_db(fields=["status"])
    if case.status not in OPEN and case.status != Status.CLOSED:  # what merge accepts
        return None
    last = case.events.order_by("-seq").values_list("at", flat=True).first()
    when = planned if last is None or last < planned else last + dt.timedelta(minutes=30)
    return when if when <= planned + dt.timedelta(days=30) else None
