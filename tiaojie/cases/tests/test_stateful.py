"""Random people take random actions on a few cases; the services always agree with the table.

A hypothesis state machine drives every service in cases/services/ (and attaching files,
cases/attachments.py) with personas of the
shared `world` (a clerk, a dispatcher and a mediator of town A, a village mediator, the 人社
handler, the district leader and dispatcher, a clerk of town B, and the deadline sweeper).
Beside the database it keeps a model of each case, worked out from the workflow table
(`can_take`, `rule_for(...).target_for`) and from relations computed here, independently of
`services.relations_of`, from who leads, assists and first received the case and which area
a unit's region covers.

After every step:

- `services.relations_of` and `services.actions_for` (what the case page offers) agree with
  the model for the person acting;
- the outcome is the one the model predicts: done, refused (ActionNotAllowed), bad input
  (DomainError) or a stale version (Conflict), checked in the order the services check;
- a refused or invalid action wrote nothing; a done one wrote exactly one event with the
  right action, actor, time and from/to statuses, raised the version by one, and the object
  the service returned shows the new status and version;
- each case in the database matches its model (status, version, event count, tier, lead and
  assisting units, handler, extension, supervision level, merge target, attached files); a
  terminal case never moved again; an open case has a deadline and no closing time, and no
  other case has;
- the files under MEDIA_ROOT are exactly those of the attachment rows: a refused, stale or
  invalid upload left nothing on the disk;
- the hash chain verifies (`verify_case`), and folding the events from_status → to_status
  replays the current status, each event starting where the one before it ended; no event
  was written to any other case.

Besides one rule per service (random arguments, mostly by someone the table lets act), one
rule lets anyone try anything on any case, terminal ones included, and one acts from a page
shown before the case's last change (a second browser tab, no expected_version): it must be
refused, as ActionNotAllowed if its own copy already forbids the action, else as Conflict,
and write nothing.

Cases start at a random stage of the usual way (registered … closed), reached through the
same checked steps. Each example runs in a savepoint that is rolled back, so every example
starts from the same world and personas with no cases. The clock is frozen and moved on by a
rule, so the "too late to return" rule is reachable and every event's time is known.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ClassVar

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from freezegun import freeze_time
from hypothesis import HealthCheck, event, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tiaojie.accounts.models import Unit, UnitKind
from tiaojie.accounts.roles import Role
from tiaojie.cases import policies, services
from tiaojie.cases.attachments import attach
from tiaojie.cases.history import verify_case
from tiaojie.cases.models import (
    Assignment,
    AssignmentRole,
    Attachment,
    Case,
    CaseEvent,
    DeadlinePolicy,
    LegalRoute,
    Satisfaction,
    Sensitivity,
    SupervisionLevel,
)
from tiaojie.cases.services import SYSTEM, ActionNotAllowed, Actor, PartyInput
from tiaojie.cases.tests.samples import png
from tiaojie.cases.workflow import OPEN, TERMINAL, Action, Relation, Status, can_take, rule_for
from tiaojie.conftest import World
from tiaojie.core import cache, workdays
from tiaojie.core.enums import CaseKind, Category, Channel, RiskLevel, Tier
from tiaojie.core.errors import Conflict, DomainError
from tiaojie.regions.models import Region, RegionLevel

pytestmark = pytest.mark.django_db

START = "2025-03-03 09:00:00+08:00"  # a Monday
MAX_CASES = 3
RETURN_WORKING_DAYS = 5  # 信访工作条例 art. 23: objection to the remit within 5 working days
TIERS = [Tier.VILLAGE, Tier.TOWN, Tier.DISTRICT, Tier.LEADERSHIP]
AREA_UNIT_KINDS = frozenset(
    {UnitKind.DISTRICT_CENTER, UnitKind.TOWN_CENTER, UnitKind.VILLAGE_COMMITTEE}
)
# The tier each center owns; it acts on the cases of its area at that tier and below.
OWN_TIER: dict[str, Tier] = {
    UnitKind.VILLAGE_COMMITTEE: Tier.VILLAGE,
    UnitKind.TOWN_CENTER: Tier.TOWN,
    UnitKind.DISTRICT_CENTER: Tier.LEADERSHIP,
}
# What the system does at once after an action (the escalations by trigger).
ESCALATION_SOURCES = rule_for(Action.ESCALATE).sources


# --- the people and the places ----------------------------------------------------------------
# persona -> (unit attribute of the world, roles); "system" is the deadline sweeper.
PERSONAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "clerk_a": ("center_a", (Role.WINDOW_CLERK,)),
    "dispatcher_a": ("center_a", (Role.DISPATCHER,)),
    "mediator_a": ("center_a", (Role.MEDIATOR,)),
    "village_mediator": ("committee_a", (Role.MEDIATOR,)),
    "hrss_handler": ("hrss", (Role.HANDLER,)),
    "leader": ("center", (Role.LEADER,)),
    "district_dispatcher": ("center", (Role.DISPATCHER,)),
    "outsider_b": ("center_b", (Role.WINDOW_CLERK,)),
    "system": ("", ()),
}
PEOPLE = [name for name in PERSONAS if name != "system"]
UNITS = ["center_a", "committee_a", "hrss", "center", "center_b"]
REGIONS = ["village_a", "grid_a", "town_a", "village_b", "county"]
FIRST_UNITS = ["center_a", "center", "center_b", "committee_a"]


@dataclass(frozen=True)
class Matter:
    """What a case is about; only petitions and people's mediation may be extended."""

    kind: str
    category: str
    extendable: bool


MATTERS = [
    Matter(CaseKind.DISPUTE, Category.NEIGHBOURHOOD, extendable=True),
    Matter(CaseKind.PETITION, Category.LAND_REQUISITION, extendable=True),
    Matter(CaseKind.DISPUTE, Category.LABOUR, extendable=False),
    Matter(CaseKind.DISPUTE, Category.MEDICAL, extendable=False),
    Matter(CaseKind.REQUEST, Category.OTHER, extendable=False),
    Matter(CaseKind.HAZARD, Category.OTHER, extendable=False),
]

# Where a case's story starts; each stage is one step further along the usual way.
STAGES = ["registered", "accepted", "assigned", "in_progress"]
ENDINGS = ["suspended", "unresolved", "resolved", "closed"]


@dataclass(frozen=True)
class Start:
    """A case as registered, and how far along the usual way it is when the story starts."""

    region: str
    first_unit: str
    matter: Matter
    stage: str
    lead: str
    assisting: tuple[str, ...]
    risk: str = RiskLevel.BLUE


STARTS = st.builds(
    Start,
    region=st.sampled_from(REGIONS),
    first_unit=st.sampled_from(FIRST_UNITS),
    matter=st.sampled_from(MATTERS),
    # Registered and suspended cases are rare after a few random steps; start more of them.
    stage=st.sampled_from([*STAGES, *ENDINGS, "registered", "suspended"]),
    lead=st.sampled_from(UNITS),
    assisting=st.lists(st.sampled_from(UNITS), max_size=2, unique=True).map(tuple),
    # Mostly blue; a red case goes to the district center once it is accepted.
    risk=st.sampled_from([RiskLevel.BLUE, RiskLevel.BLUE, RiskLevel.ORANGE, RiskLevel.RED]),
)
RISKS = st.sampled_from([*RiskLevel.values, RiskLevel.RED, "purple"])

# Free text: mostly real, sometimes blank (a required reason left empty is bad input).
TEXTS = st.sampled_from(
    [
        *("双方同意调解", "申请人要求撤回", "涉及多个部门", "需要补充调查"),
        *("已支付工资", "当事人情绪稳定", "已联系被申请人", "材料齐全"),
        *("", "  "),
    ]
)
ROUTES = st.sampled_from([*LegalRoute.values, "nowhere"])
SATISFACTIONS = st.sampled_from([*Satisfaction.values, "dissatisfied", ""])
NOTES = st.sampled_from(["", "请尽快办理"])
# What someone tries to attach: mostly a real photo, sometimes an empty file or a program.
FILES = st.sampled_from(["photo", "photo", "empty", "program"])
FILE_BYTES = {"photo": png(), "empty": b"", "program": b"MZ\x90\x00" + b"\x00" * 60}
# How the caller states the version it saw: not at all, the current one, or a stale one.
VERSIONS = st.sampled_from(["none", "current", "none", "current", "stale"])


class Outcome(enum.Enum):
    DONE = "done"
    INVALID = "invalid input (DomainError)"
    NOT_ALLOWED = "not allowed (ActionNotAllowed)"
    CONFLICT = "stale version (Conflict)"


def outcome_of(call: Callable[[], object]) -> tuple[Outcome, object]:
    """Run a service call and say how it ended; anything but a DomainError propagates."""
    try:
        returned = call()
    except Conflict:
        return Outcome.CONFLICT, None
    except ActionNotAllowed:
        return Outcome.NOT_ALLOWED, None
    except DomainError:
        return Outcome.INVALID, None
    return Outcome.DONE, returned


def blank(text: str) -> bool:
    return not text.strip()


def within(region: Region, area: Region) -> bool:
    """Whether ``region`` lies in ``area``, walking up the parent links (not the path column)."""
    current: Region | None = region
    while current is not None:
        if current.pk == area.pk:
            return True
        current = current.parent
    return False


class Cast:
    """The world, its units and regions by name, and one Actor per persona."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.units: dict[str, Unit] = {name: getattr(world, name) for name in UNITS}
        self.regions: dict[str, Region] = {name: getattr(world, name) for name in REGIONS}
        self.actors: dict[str, Actor] = {"system": SYSTEM}
        for name, (unit, roles) in PERSONAS.items():
            if name != "system":
                self.actors[name] = Actor(world.user(name, getattr(world, unit), *roles))

    def roles(self, persona: str) -> frozenset[str]:
        return frozenset(PERSONAS[persona][1])

    def unit_of(self, persona: str) -> Unit | None:
        return self.actors[persona].user.unit if persona != "system" else None


# --- the model --------------------------------------------------------------------------------
@dataclass
class CaseModel:
    """What the database should hold for one case."""

    pk: int
    region: Region
    first_unit: int
    matter: Matter
    tier: Tier
    risk: str = RiskLevel.BLUE
    status: Status = Status.REGISTERED
    version: int = 1
    events: int = 1
    lead: int | None = None
    assisting: set[int] = field(default_factory=set)
    handler: int | None = None
    lead_assigned_at: dt.datetime | None = None
    assigned_by: int | None = None  # the unit of whoever assigned it (a returned case goes back)
    extended: bool = False
    supervision: int = SupervisionLevel.NONE
    merged_into: int | None = None
    attachments: int = 0
    sensitivity: str = Sensitivity.ORDINARY
    was_terminal: Status | None = None
    start_tier: Tier = Tier.VILLAGE  # where it was registered: never handed back below it


def tier_at_registration(region: Region, first_unit: Unit) -> Tier:
    """Village matters start with the town unless a village committee registers them."""
    if region.level in (RegionLevel.VILLAGE, RegionLevel.GRID):
        return Tier.VILLAGE if first_unit.kind == UnitKind.VILLAGE_COMMITTEE else Tier.TOWN
    return Tier.TOWN if region.level == RegionLevel.TOWN else Tier.DISTRICT


# Model attribute -> case column, compared after every step.
DB_FIELDS = {
    "status": "status",
    "version": "version",
    "events": "event_count",
    "tier": "tier",
    "lead": "lead_unit_id",
    "handler": "handler_id",
    "extended": "extended",
    "supervision": "supervision_level",
    "merged_into": "merged_into_id",
    "sensitivity": "sensitivity",
    "risk": "risk_level",
}


@dataclass
class Attempt:
    """One service call and what the model needs to predict it, in the services' order."""

    action: Action
    call: Callable[[Case, Actor, int | None], object]
    invalid: bool = False  # bad input, refused before anything is looked at
    refused_early: bool = False  # refused before the version check (supervise, escalate caps)
    # Checked on the locked row after the table allows the action: its failure, if any.
    late_check: Callable[[CaseModel], Outcome | None] | None = None
    apply: Callable[[CaseModel, str], None] | None = None
    variant: str = ""
    # Given the case before the action and the status it leads to: the tier the system sends
    # the case to at once, in the same transaction (failure to resolve, red risk), or None.
    system_escalates: Callable[[CaseModel, Status], Tier | None] | None = None


Build = Callable[[CaseModel], Attempt]


def when_possible(action: Action) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Run the rule only while some case is in a status the action starts from."""
    sources = rule_for(action).sources
    return precondition(lambda machine: any(m.status in sources for m in machine.models))


# --- the machine ------------------------------------------------------------------------------
class CaseLifecycle(RuleBasedStateMachine):
    """A few cases, many hands, one table."""

    cast: ClassVar[Cast]

    def __init__(self) -> None:
        super().__init__()
        assert not Case.objects.exists(), "an example must start without cases"
        # Each example runs in a savepoint of the test's transaction, rolled back at teardown.
        # Deadline policy rows are written on first use and rolled back with the example, so
        # the process's copy of them must go too.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        cache.clear_all()
        self._freezer = freeze_time(START, ignore=["hypothesis"])
        self._clock = self._freezer.start()
        self.now = dt.datetime.fromisoformat(START)
        self.models: list[CaseModel] = []
        # Per case: its model and a copy of the case as loaded just before its last change.
        self.pages_shown_before: dict[int, tuple[CaseModel, Case]] = {}

    def teardown(self) -> None:
        self._freezer.stop()
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)
        cache.clear_all()
        # The rows go with the rollback; their files are removed here, like a restore would.
        shutil.rmtree(Path(django_settings.MEDIA_ROOT) / "attachments", ignore_errors=True)

    # --- setting the scene --------------------------------------------------------------------
    @initialize(starts=st.lists(STARTS, min_size=1, max_size=MAX_CASES))
    def register_cases(self, starts: list[Start]) -> None:
        """Register the cases, then bring each to the stage of its story it starts at."""
        for start in starts:
            region = self.cast.regions[start.region]
            first_unit = self.cast.units[start.first_unit]
            case = services.register_case(
                actor=self.cast.actors["clerk_a"],
                kind=start.matter.kind,
                category=start.matter.category,
                channel=Channel.WINDOW,
                title="邻里纠纷",
                description="邻居装修噪音扰民。",
                region=region,
                parties=[PartyInput(name="王建国")],
                first_unit=first_unit,
                risk_level=start.risk,
            )
            tier = tier_at_registration(region, first_unit)
            model = CaseModel(
                pk=case.pk,
                region=region,
                first_unit=first_unit.pk,
                matter=start.matter,
                tier=tier,
                risk=start.risk,
                start_tier=tier,
            )
            self.models.append(model)
            assert_history_holds(case)
            self._bring_to(model, start)

    def _bring_to(self, model: CaseModel, start: Start) -> None:
        """Walk the usual way to the start stage, each step by the first person allowed."""
        assisting = [unit for unit in start.assisting if unit != start.lead]
        path = [self._accept(""), self._assign(start.lead, assisting, None), self._check_in()]
        path += {
            "suspended": [self._suspend("等待鉴定")],
            "unresolved": [self._fail("双方分歧较大")],
            "resolved": [self._resolve("达成协议")],
            "closed": [self._resolve("达成协议"), self._follow_up(Satisfaction.SATISFIED)],
        }.get(start.stage, [])
        steps = STAGES.index(start.stage) if start.stage in STAGES else len(path)
        for attempt in path[:steps]:
            willing = self._willing(model, attempt.action, PEOPLE)
            if not willing:
                return
            assert self._attempt(model, willing[0], "none", attempt) is Outcome.DONE

    # --- who may act --------------------------------------------------------------------------
    def relations(self, persona: str, model: CaseModel) -> set[Relation]:
        """How the persona stands to the case, from the model's facts alone."""
        if persona == "system":
            return {Relation.SYSTEM}
        unit = self.cast.unit_of(persona)
        assert unit is not None
        found = set()
        if model.lead == unit.pk:
            found.add(Relation.LEAD)
        if model.first_unit == unit.pk:
            found.add(Relation.FIRST)
        own = OWN_TIER.get(unit.kind)
        if (
            own is not None
            and TIERS.index(model.tier) <= TIERS.index(own)
            and within(model.region, unit.region)
        ):
            # A center acts at its own tier and below, not on what it escalated.
            found.add(Relation.AREA)
            if model.tier == own or (own == Tier.LEADERSHIP and model.tier == Tier.DISTRICT):
                found.add(Relation.TIER)
        if unit.pk in model.assisting:
            found.add(Relation.ASSISTING)
        return found

    def table_allows(self, persona: str, action: Action, model: CaseModel) -> bool:
        actor = self.cast.actors[persona]
        return can_take(
            action,
            model.status,
            roles=self.cast.roles(persona),
            relations=self.relations(persona, model),
            is_handler=actor.user is not None and model.handler == actor.user.pk,
        )

    def _willing(self, model: CaseModel, action: Action, among: Iterable[str]) -> list[str]:
        return [p for p in among if self.table_allows(p, action, model)]

    def _pick(self, data: st.DataObject, build: Build) -> tuple[CaseModel, str, Attempt]:
        """Mostly a case and a person for whom the call would go through, else any pair."""
        attempts = {model.pk: build(model) for model in self.models}
        pairs = [
            (model, persona)
            for model in self.models
            for persona in PERSONAS
            if self._expected(persona, model, attempts[model.pk], "none") is Outcome.DONE
        ]
        if pairs and data.draw(st.sampled_from([True, True, True, False]), label="allowed"):
            model, persona = data.draw(st.sampled_from(pairs), label="case and persona")
        else:
            model = data.draw(st.sampled_from(self.models), label="case")
            persona = data.draw(st.sampled_from(list(PERSONAS)), label="persona")
        return model, persona, attempts[model.pk]

    # --- one step, predicted and checked --------------------------------------------------------
    def _expected(
        self, persona: str, model: CaseModel, attempt: Attempt, cas: str, *, stale: bool = False
    ) -> Outcome:
        """What the service must answer, checking in the order the services check.

        ``stale``: the caller's copy of the case (described by ``model``) is out of date. It
        passes the checks made on the copy, then the write finds the version moved on.
        """
        if attempt.invalid:
            return Outcome.INVALID
        if attempt.refused_early:
            return Outcome.NOT_ALLOWED
        if cas == "stale":
            return Outcome.CONFLICT
        if not self.table_allows(persona, attempt.action, model):
            return Outcome.NOT_ALLOWED
        if stale:
            return Outcome.CONFLICT
        if attempt.late_check and (late := attempt.late_check(model)):
            return late
        return Outcome.DONE

    def _attempt(self, model: CaseModel, persona: str, cas: str, attempt: Attempt) -> Outcome:
        case = Case.objects.get(pk=model.pk)
        actor = self.cast.actors[persona]
        if actor.user is not None:
            assert services.relations_of(actor.user, case) == self.relations(persona, model), (
                f"services.relations_of disagrees with the model for {persona}"
            )
            offered = {a for a in Action if self.table_allows(persona, a, model)}
            # The page also leaves out what the case's own state rules out.
            if model.supervision >= SupervisionLevel.LISTED:
                offered.discard(Action.SUPERVISE)
            if model.extended or not model.matter.extendable:
                offered.discard(Action.EXTEND)
            if self._no_hand_back(model):
                offered.discard(Action.DEESCALATE)
            if model.tier == Tier.LEADERSHIP:
                offered.discard(Action.ESCALATE)
            assert set(services.actions_for(actor.user, case)) == offered, "the page is wrong"
        expected_version = {"none": None, "current": model.version, "stale": model.version - 1}
        expected = self._expected(persona, model, attempt, cas)
        shown = copy.copy(case)  # the page as it was before this step, for stale-page attempts
        got, returned = outcome_of(lambda: attempt.call(case, actor, expected_version[cas]))
        note(f"{attempt.action} by {persona} on a {model.status} case ({cas}): {got.value}")
        event(f"{attempt.action}: {got.name}")
        assert got is expected, (
            f"{attempt.action} by {persona} on a {model.status} case: "
            f"expected {expected.value}, got {got.value}"
        )
        written = assert_history_holds(Case.objects.get(pk=model.pk))
        if got is not Outcome.DONE:
            assert len(written) == model.events, "a refused action wrote an event"
            return got
        assert model.status not in TERMINAL, "a terminal case moved"
        source = model.status
        target = rule_for(attempt.action).target_for(source, attempt.variant)
        # Known before the action moves the model: the system's escalation follows it.
        up = attempt.system_escalates(model, target) if attempt.system_escalates else None
        extra = 1 if up else 0
        assert len(written) == model.events + 1 + extra, "a done action wrote the wrong events"
        last = written[-1 - extra]
        assert (last.seq, last.action, last.from_status, last.to_status) == (
            model.events + 1,
            attempt.action,
            source,
            target,
        )
        assert (last.actor_id, last.actor_unit_id, last.at) == (
            actor.user_id,
            actor.unit_id,
            self.now,
        )
        self.pages_shown_before[model.pk] = (replace(model, assisting=set(model.assisting)), shown)
        model.status, model.version, model.events = target, model.version + 1, model.events + 1
        if attempt.apply:
            attempt.apply(model, persona)
        if up:
            by_system = written[-1]
            assert (by_system.seq, by_system.action, by_system.actor_id, by_system.at) == (
                model.events + 1,
                Action.ESCALATE,
                None,
                self.now,
            )
            assert (by_system.from_status, by_system.to_status) == (target, Status.ACCEPTED)
            assert by_system.payload["to_tier"] == up
            target = Status.ACCEPTED
            model.status, model.version, model.events = target, model.version + 1, model.events + 1
            self._moves_to(model, up)
        assert isinstance(returned, Case)
        assert (returned.status, returned.version) == (target, model.version), "stale result"
        if target in TERMINAL:
            model.was_terminal = target
        return got

    def _run(self, data: st.DataObject, cas: str, action: Action, build: Build) -> None:
        """Pick who acts on which case, build the call for that case, try it and check it."""
        model, persona, attempt = self._pick(data, build)
        assert attempt.action == action
        self._attempt(model, persona, cas, attempt)

    # --- the calls, one per service -------------------------------------------------------------
    def _accept(self, text: str) -> Attempt:
        def apply(m: CaseModel, _persona: str) -> None:
            m.extended = False

        return Attempt(
            Action.ACCEPT,
            lambda c, a, v: services.accept(c, actor=a, expected_version=v, note=text),
            apply=apply,
            system_escalates=lambda m, target: self._red_goes_up(m, target, m.risk),
        )

    def _decline(self, route: str, reason: str) -> Attempt:
        return Attempt(
            Action.DECLINE,
            lambda c, a, v: services.decline(
                c, actor=a, route=route, reason=reason, expected_version=v
            ),
            invalid=route not in LegalRoute.values or blank(reason),
        )

    def _assign(self, lead: str, assisting: Iterable[str], handler: str | None) -> Attempt:
        lead_unit = self.cast.units[lead]
        helpers = [self.cast.units[name] for name in assisting]
        person = self.cast.actors[handler].user if handler else None

        def apply(m: CaseModel, persona: str) -> None:
            m.lead, m.assisting = lead_unit.pk, {u.pk for u in helpers}
            m.handler = person.pk if person else None
            m.lead_assigned_at = self.now
            assigner = self.cast.unit_of(persona)
            m.assigned_by = assigner.pk if assigner else None

        return Attempt(
            Action.ASSIGN,
            lambda c, a, v: services.assign(
                c, actor=a, lead=lead_unit, assisting=helpers, handler=person, expected_version=v
            ),
            invalid=lead in assisting or (person is not None and person.unit_id != lead_unit.pk),
            apply=apply,
        )

    def _check_in(self) -> Attempt:
        def apply(m: CaseModel, persona: str) -> None:
            if m.handler is None:
                m.handler = self.cast.actors[persona].user_id

        return Attempt(
            Action.CHECK_IN,
            lambda c, a, v: services.check_in(c, actor=a, expected_version=v),
            apply=apply,
        )

    def _record_session(self, summary: str) -> Attempt:
        return Attempt(
            Action.RECORD_SESSION,
            lambda c, a, v: services.record_session(
                c, actor=a, summary=summary, participants=["王建国"], expected_version=v
            ),
            invalid=blank(summary),
        )

    def _report(self, text: str) -> Attempt:
        return Attempt(
            Action.REPORT,
            lambda c, a, v: services.report(c, actor=a, text=text, expected_version=v),
            invalid=blank(text),
        )

    def _resolve(self, text: str) -> Attempt:
        def apply(m: CaseModel, _persona: str) -> None:
            m.extended = False

        return Attempt(
            Action.RESOLVE,
            lambda c, a, v: services.resolve(
                c, actor=a, outcome=text, agreement="协议全文", expected_version=v
            ),
            invalid=blank(text),
            apply=apply,
        )

    def _fail(self, reason: str) -> Attempt:
        def goes_up(m: CaseModel, _target: Status) -> Tier | None:
            # 下级解决不了的提级: not petitions (their way on is 复查), not from the district.
            low = m.tier in (Tier.VILLAGE, Tier.TOWN)
            return TIERS[TIERS.index(m.tier) + 1] if low and m.matter.kind != "petition" else None

        return Attempt(
            Action.FAIL,
            lambda c, a, v: services.fail(c, actor=a, reason=reason, expected_version=v),
            invalid=blank(reason),
            system_escalates=goes_up,
        )

    def _red_goes_up(self, m: CaseModel, target: Status, risk: str) -> Tier | None:
        """红色风险立即提级: a red case being worked below the district goes there at once."""
        low = TIERS.index(m.tier) < TIERS.index(Tier.DISTRICT)
        if risk == RiskLevel.RED and low and target in ESCALATION_SOURCES:
            return Tier.DISTRICT
        return None

    def _moves_to(self, m: CaseModel, tier: Tier) -> None:
        """The case starts afresh with the center of ``tier`` (escalation and 交回 alike)."""
        m.tier = tier
        center = self._center_for(m)
        assert center is not None
        m.lead = center.pk
        m.handler, m.assisting, m.lead_assigned_at = None, set(), None
        m.extended = False

    def _no_hand_back(self, m: CaseModel) -> bool:
        """交回 is refused for the case's own state: at its starting tier, or red."""
        return TIERS.index(m.tier) <= TIERS.index(m.start_tier) or m.risk == RiskLevel.RED

    def _deescalate(self, model: CaseModel, reason: str) -> Attempt:
        refused = self._no_hand_back(model)
        lower = None if refused else replace(model, tier=TIERS[TIERS.index(model.tier) - 1])

        def apply(m: CaseModel, _persona: str) -> None:
            self._moves_to(m, TIERS[TIERS.index(m.tier) - 1])

        return Attempt(
            Action.DEESCALATE,
            lambda c, a, v: services.deescalate(c, actor=a, reason=reason, expected_version=v),
            invalid=blank(reason) or (lower is not None and self._center_for(lower) is None),
            refused_early=refused,
            apply=apply,
        )

    def _set_risk(self, model: CaseModel, risk: str, reason: str) -> Attempt:
        def apply(m: CaseModel, _persona: str) -> None:
            m.risk = risk

        def call(c: Case, a: Actor, v: int | None) -> Case:
            return services.set_risk(c, actor=a, risk_level=risk, reason=reason, expected_version=v)

        return Attempt(
            Action.SET_RISK,
            call,
            invalid=risk not in RiskLevel.values or blank(reason) or risk == model.risk,
            apply=apply,
            system_escalates=lambda m, target: self._red_goes_up(m, target, risk),
        )

    def _escalate(self, model: CaseModel, reason: str) -> Attempt:
        def apply(m: CaseModel, _persona: str) -> None:
            self._moves_to(m, TIERS[TIERS.index(m.tier) + 1])

        return Attempt(
            Action.ESCALATE,
            lambda c, a, v: services.escalate(c, actor=a, reason=reason, expected_version=v),
            invalid=blank(reason),
            refused_early=model.tier == Tier.LEADERSHIP,
            apply=apply,
        )

    def _center_for(self, model: CaseModel) -> Unit | None:
        """The center of ``model.tier`` for the case's place: its village's committee (only
        village A has one), its town's center or the district's."""
        world = self.cast.world
        if model.tier == Tier.VILLAGE:
            return world.committee_a if within(model.region, world.village_a) else None
        if model.tier == Tier.TOWN:
            return world.center_a if within(model.region, world.town_a) else world.center_b
        return world.center

    def _return(self, reason: str) -> Attempt:
        def too_late(m: CaseModel) -> Outcome | None:
            if m.lead_assigned_at is None:
                return None
            limit = workdays.add_working_days(m.lead_assigned_at, RETURN_WORKING_DAYS)
            return Outcome.INVALID if self.now > limit else None

        def apply(m: CaseModel, _persona: str) -> None:
            # Back to the center that assigned it (assigners here all work at a center).
            m.lead, m.handler, m.assisting, m.lead_assigned_at = m.assigned_by, None, set(), None

        return Attempt(
            Action.RETURN,
            lambda c, a, v: services.return_case(c, actor=a, reason=reason, expected_version=v),
            invalid=blank(reason),
            late_check=too_late,
            apply=apply,
        )

    def _supervise(self, model: CaseModel, text: str) -> Attempt:
        def apply(m: CaseModel, _persona: str) -> None:
            m.supervision += 1

        return Attempt(
            Action.SUPERVISE,
            lambda c, a, v: services.supervise(c, actor=a, note=text, expected_version=v),
            refused_early=model.supervision >= SupervisionLevel.LISTED,
            apply=apply,
        )

    def _extend(self, reason: str) -> Attempt:
        def once_and_if_the_policy_allows(m: CaseModel) -> Outcome | None:
            if m.extended or not m.matter.extendable:
                return Outcome.NOT_ALLOWED
            return None

        def apply(m: CaseModel, _persona: str) -> None:
            m.extended = True

        return Attempt(
            Action.EXTEND,
            lambda c, a, v: services.extend(c, actor=a, reason=reason, expected_version=v),
            invalid=blank(reason),
            late_check=once_and_if_the_policy_allows,
            apply=apply,
        )

    def _suspend(self, reason: str) -> Attempt:
        return Attempt(
            Action.SUSPEND,
            lambda c, a, v: services.suspend(c, actor=a, reason=reason, expected_version=v),
            invalid=blank(reason),
        )

    def _resume(self, text: str) -> Attempt:
        return Attempt(
            Action.RESUME,
            lambda c, a, v: services.resume(c, actor=a, note=text, expected_version=v),
        )

    def _follow_up(self, satisfaction: str) -> Attempt:
        def apply(m: CaseModel, _persona: str) -> None:
            if satisfaction == Satisfaction.DISSATISFIED:
                m.extended = False

        return Attempt(
            Action.FOLLOW_UP,
            lambda c, a, v: services.follow_up(
                c, actor=a, satisfaction=satisfaction, note="电话回访", expected_version=v
            ),
            invalid=satisfaction not in Satisfaction.values,
            apply=apply,
            variant=satisfaction,
        )

    def _close(self, text: str) -> Attempt:
        return Attempt(
            Action.CLOSE,
            lambda c, a, v: services.close(c, actor=a, reason=text, expected_version=v),
        )

    def _reopen(self, reason: str) -> Attempt:
        def apply(m: CaseModel, _persona: str) -> None:
            m.extended = False

        return Attempt(
            Action.REOPEN,
            lambda c, a, v: services.reopen(c, actor=a, reason=reason, expected_version=v),
            invalid=blank(reason),
            apply=apply,
        )

    def _merge(self, model: CaseModel, survivor: CaseModel, reason: str) -> Attempt:
        def apply(m: CaseModel, _persona: str) -> None:
            m.merged_into, m.assisting, m.lead_assigned_at = survivor.pk, set(), None
            # The survivor's own history records the merge: one event, a new version.
            survivor.version, survivor.events = survivor.version + 1, survivor.events + 1

        return Attempt(
            Action.MERGE,
            lambda c, a, v: services.merge(
                c,
                actor=a,
                into=Case.objects.get(pk=survivor.pk),
                reason=reason,
                expected_version=v,
            ),
            invalid=survivor.pk == model.pk
            or (survivor.status not in OPEN and survivor.status != Status.CLOSED),
            apply=apply,
        )

    def _withdraw(self, reason: str) -> Attempt:
        def apply(m: CaseModel, _persona: str) -> None:
            m.assisting, m.lead_assigned_at = set(), None

        return Attempt(
            Action.WITHDRAW,
            lambda c, a, v: services.withdraw(c, actor=a, reason=reason, expected_version=v),
            invalid=blank(reason),
            apply=apply,
        )

    def _label(self, sensitivity: str, notes: str, reason: str) -> Attempt:
        def apply(m: CaseModel, _persona: str) -> None:
            m.sensitivity = sensitivity

        def call(c: Case, a: Actor, v: int | None) -> Case:
            return services.set_label(
                c, actor=a, sensitivity=sensitivity, notes=notes, reason=reason, expected_version=v
            )

        return Attempt(
            Action.LABEL,
            call,
            # Notes are kept only under the sensitive label.
            invalid=blank(reason) or bool(notes.strip() and sensitivity != Sensitivity.SENSITIVE),
            apply=apply,
        )

    def _attach(self, file: str, model: CaseModel) -> Attempt:
        def apply(m: CaseModel, _persona: str) -> None:
            m.attachments += 1

        def call(c: Case, a: Actor, v: int | None) -> Case:
            upload = SimpleUploadedFile("现场照片.png", FILE_BYTES[file])
            attachment = attach(c, actor=a, file=upload, description="现场照片", expected_version=v)
            assert attachment.case_id == c.pk
            return c  # attach returns the file; the caller's case shows the new state

        return Attempt(
            Action.ATTACH,
            call,
            invalid=file != "photo",
            # No persona here is cleared for sensitive cases: a labelled case takes no files
            # from them.
            refused_early=model.sensitivity == Sensitivity.SENSITIVE,
            apply=apply,
        )

    def _plainly(self, action: Action, model: CaseModel, other: CaseModel) -> Attempt:
        """The action with well-formed arguments (only who, where and when can go wrong)."""
        reason = "按规定处理"
        build: dict[Action, Callable[[], Attempt]] = {
            Action.ACCEPT: lambda: self._accept(""),
            Action.DECLINE: lambda: self._decline(LegalRoute.LITIGATION, reason),
            Action.ASSIGN: lambda: self._assign("hrss", ["committee_a"], None),
            Action.CHECK_IN: self._check_in,
            Action.RECORD_SESSION: lambda: self._record_session(reason),
            Action.REPORT: lambda: self._report(reason),
            Action.RESOLVE: lambda: self._resolve(reason),
            Action.FAIL: lambda: self._fail(reason),
            Action.ESCALATE: lambda: self._escalate(model, reason),
            Action.DEESCALATE: lambda: self._deescalate(model, reason),
            Action.RETURN: lambda: self._return(reason),
            Action.SUPERVISE: lambda: self._supervise(model, ""),
            Action.EXTEND: lambda: self._extend(reason),
            Action.SUSPEND: lambda: self._suspend(reason),
            Action.RESUME: lambda: self._resume(""),
            Action.FOLLOW_UP: lambda: self._follow_up(Satisfaction.DISSATISFIED),
            Action.CLOSE: lambda: self._close(""),
            Action.REOPEN: lambda: self._reopen(reason),
            Action.MERGE: lambda: self._merge(model, other, reason),
            Action.WITHDRAW: lambda: self._withdraw(reason),
            Action.ATTACH: lambda: self._attach("photo", model),
            Action.LABEL: lambda: self._label(Sensitivity.SENSITIVE, "", reason),
            Action.SET_RISK: lambda: self._set_risk(
                model, RiskLevel.RED if model.risk != RiskLevel.RED else RiskLevel.BLUE, reason
            ),
        }
        return build[action]()

    # --- the rules ------------------------------------------------------------------------------
    # Each service has a rule with random arguments, run while some case is in a status the
    # action starts from; who acts, and on which case, is drawn by `_pick`. One more rule lets
    # anyone try anything on any case (terminal ones included), which the table mostly refuses.
    @rule(
        data=st.data(),
        cas=VERSIONS,
        action=st.sampled_from([a for a in Action if a != Action.REGISTER]),
    )
    def anyone_tries_anything_on_any_case(
        self, data: st.DataObject, cas: str, action: Action
    ) -> None:
        model = data.draw(st.sampled_from(self.models), label="case")
        other = data.draw(st.sampled_from(self.models), label="other case")
        persona = data.draw(st.sampled_from(list(PERSONAS)), label="persona")
        self._attempt(model, persona, cas, self._plainly(action, model, other))

    @precondition(lambda machine: bool(machine.pages_shown_before))
    @rule(data=st.data(), action=st.sampled_from([a for a in Action if a != Action.REGISTER]))
    def someone_acts_from_a_page_shown_before_the_last_change(
        self, data: st.DataObject, action: Action
    ) -> None:
        """A second tab: checked on its old copy, then refused as stale, writing nothing."""
        pk = data.draw(st.sampled_from(sorted(self.pages_shown_before)), label="case")
        seen, page = self.pages_shown_before[pk]
        current = next(model for model in self.models if model.pk == pk)
        other = data.draw(st.sampled_from(self.models), label="other case")
        attempt = self._plainly(action, seen, other)
        # The services judge a stale page by its copy, except for the assisting units, which
        # relations_of reads from the live assignments.
        judged = replace(seen, assisting=set(current.assisting))
        willing = self._willing(judged, action, PERSONAS)
        persona = data.draw(st.sampled_from(willing or list(PERSONAS)), label="persona")
        actor = self.cast.actors[persona]
        expected = self._expected(persona, judged, attempt, "none", stale=True)

        got, _returned = outcome_of(lambda: attempt.call(copy.copy(page), actor, None))

        note(f"{action} by {persona} from a page of a {seen.status} case: {got.value}")
        event(f"{action} from a stale page: {got.name}")
        assert got is expected, (
            f"{action} by {persona} from a stale page (the case was {seen.status}, "
            f"is {current.status}): expected {expected.value}, got {got.value}"
        )
        written = assert_history_holds(Case.objects.get(pk=pk))
        assert len(written) == current.events, "a stale page wrote an event"

    @when_possible(Action.ACCEPT)
    @rule(data=st.data(), cas=VERSIONS, text=NOTES)
    def accept(self, data: st.DataObject, cas: str, text: str) -> None:
        self._run(data, cas, Action.ACCEPT, lambda m: self._accept(text))

    @when_possible(Action.DECLINE)
    @rule(data=st.data(), cas=VERSIONS, route=ROUTES, reason=TEXTS)
    def decline(self, data: st.DataObject, cas: str, route: str, reason: str) -> None:
        self._run(data, cas, Action.DECLINE, lambda m: self._decline(route, reason))

    @when_possible(Action.ASSIGN)
    @rule(
        data=st.data(),
        cas=VERSIONS,
        lead=st.sampled_from(UNITS),
        assisting=st.lists(st.sampled_from(UNITS), max_size=2, unique=True),
        handler=st.sampled_from(["nobody named", "one of the lead unit", "anyone"]),
    )
    def assign(
        self, data: st.DataObject, cas: str, lead: str, assisting: list[str], handler: str
    ) -> None:
        person: str | None = None
        if handler == "one of the lead unit":
            of_lead_unit = [p for p in PEOPLE if PERSONAS[p][0] == lead]
            person = data.draw(st.sampled_from(of_lead_unit)) if of_lead_unit else None
        elif handler == "anyone":
            person = data.draw(st.sampled_from(PEOPLE))
        self._run(data, cas, Action.ASSIGN, lambda m: self._assign(lead, assisting, person))

    @when_possible(Action.CHECK_IN)
    @rule(data=st.data(), cas=VERSIONS)
    def check_in(self, data: st.DataObject, cas: str) -> None:
        self._run(data, cas, Action.CHECK_IN, lambda m: self._check_in())

    @when_possible(Action.RECORD_SESSION)
    @rule(data=st.data(), cas=VERSIONS, summary=TEXTS)
    def record_session(self, data: st.DataObject, cas: str, summary: str) -> None:
        self._run(data, cas, Action.RECORD_SESSION, lambda m: self._record_session(summary))

    @when_possible(Action.REPORT)
    @rule(data=st.data(), cas=VERSIONS, text=TEXTS)
    def report(self, data: st.DataObject, cas: str, text: str) -> None:
        self._run(data, cas, Action.REPORT, lambda m: self._report(text))

    @when_possible(Action.RESOLVE)
    @rule(data=st.data(), cas=VERSIONS, outcome=TEXTS)
    def resolve(self, data: st.DataObject, cas: str, outcome: str) -> None:
        self._run(data, cas, Action.RESOLVE, lambda m: self._resolve(outcome))

    @when_possible(Action.FAIL)
    @rule(data=st.data(), cas=VERSIONS, reason=TEXTS)
    def fail(self, data: st.DataObject, cas: str, reason: str) -> None:
        self._run(data, cas, Action.FAIL, lambda m: self._fail(reason))

    @when_possible(Action.ESCALATE)
    @rule(data=st.data(), cas=VERSIONS, reason=TEXTS)
    def escalate(self, data: st.DataObject, cas: str, reason: str) -> None:
        self._run(data, cas, Action.ESCALATE, lambda m: self._escalate(m, reason))

    @when_possible(Action.DEESCALATE)
    @rule(data=st.data(), cas=VERSIONS, reason=TEXTS)
    def deescalate(self, data: st.DataObject, cas: str, reason: str) -> None:
        self._run(data, cas, Action.DEESCALATE, lambda m: self._deescalate(m, reason))

    @when_possible(Action.SET_RISK)
    @rule(data=st.data(), cas=VERSIONS, risk=RISKS, reason=TEXTS)
    def set_risk(self, data: st.DataObject, cas: str, risk: str, reason: str) -> None:
        self._run(data, cas, Action.SET_RISK, lambda m: self._set_risk(m, risk, reason))

    @when_possible(Action.RETURN)
    @rule(data=st.data(), cas=VERSIONS, reason=TEXTS)
    def return_case(self, data: st.DataObject, cas: str, reason: str) -> None:
        self._run(data, cas, Action.RETURN, lambda m: self._return(reason))

    @when_possible(Action.SUPERVISE)
    @rule(data=st.data(), cas=VERSIONS, text=NOTES)
    def supervise(self, data: st.DataObject, cas: str, text: str) -> None:
        self._run(data, cas, Action.SUPERVISE, lambda m: self._supervise(m, text))

    @when_possible(Action.EXTEND)
    @rule(data=st.data(), cas=VERSIONS, reason=TEXTS)
    def extend(self, data: st.DataObject, cas: str, reason: str) -> None:
        self._run(data, cas, Action.EXTEND, lambda m: self._extend(reason))

    @when_possible(Action.SUSPEND)
    @rule(data=st.data(), cas=VERSIONS, reason=TEXTS)
    def suspend(self, data: st.DataObject, cas: str, reason: str) -> None:
        self._run(data, cas, Action.SUSPEND, lambda m: self._suspend(reason))

    @when_possible(Action.RESUME)
    @rule(data=st.data(), cas=VERSIONS, text=NOTES)
    def resume(self, data: st.DataObject, cas: str, text: str) -> None:
        self._run(data, cas, Action.RESUME, lambda m: self._resume(text))

    @when_possible(Action.FOLLOW_UP)
    @rule(data=st.data(), cas=VERSIONS, satisfaction=SATISFACTIONS)
    def follow_up(self, data: st.DataObject, cas: str, satisfaction: str) -> None:
        self._run(data, cas, Action.FOLLOW_UP, lambda m: self._follow_up(satisfaction))

    @when_possible(Action.CLOSE)
    @rule(data=st.data(), cas=VERSIONS, text=NOTES)
    def close(self, data: st.DataObject, cas: str, text: str) -> None:
        self._run(data, cas, Action.CLOSE, lambda m: self._close(text))

    @when_possible(Action.REOPEN)
    @rule(data=st.data(), cas=VERSIONS, reason=TEXTS)
    def reopen(self, data: st.DataObject, cas: str, reason: str) -> None:
        self._run(data, cas, Action.REOPEN, lambda m: self._reopen(reason))

    @when_possible(Action.MERGE)
    @rule(data=st.data(), cas=VERSIONS, into=st.integers(0, MAX_CASES - 1), reason=NOTES)
    def merge(self, data: st.DataObject, cas: str, into: int, reason: str) -> None:
        survivor = self.models[into % len(self.models)]
        self._run(data, cas, Action.MERGE, lambda m: self._merge(m, survivor, reason))

    @when_possible(Action.WITHDRAW)
    @rule(data=st.data(), cas=VERSIONS, reason=TEXTS)
    def withdraw(self, data: st.DataObject, cas: str, reason: str) -> None:
        self._run(data, cas, Action.WITHDRAW, lambda m: self._withdraw(reason))

    @when_possible(Action.ATTACH)
    @rule(data=st.data(), cas=VERSIONS, file=FILES)
    def attach(self, data: st.DataObject, cas: str, file: str) -> None:
        self._run(data, cas, Action.ATTACH, lambda m: self._attach(file, m))

    @when_possible(Action.LABEL)
    @rule(
        data=st.data(),
        cas=VERSIONS,
        sensitivity=st.sampled_from(Sensitivity.values),
        notes=st.sampled_from(["", "长期失眠，需心理疏导"]),
        reason=TEXTS,
    )
    def label(
        self, data: st.DataObject, cas: str, sensitivity: str, notes: str, reason: str
    ) -> None:
        self._run(data, cas, Action.LABEL, lambda m: self._label(sensitivity, notes, reason))

    @rule(hours=st.integers(1, 96))
    def time_passes(self, hours: int) -> None:
        self._clock.tick(dt.timedelta(hours=hours))
        self.now += dt.timedelta(hours=hours)

    # --- what always holds --------------------------------------------------------------------
    @invariant()
    def every_case_matches_its_model(self) -> None:
        rows = {
            row["pk"]: row
            for row in Case.objects.values("pk", "due_at", "closed_at", *DB_FIELDS.values())
        }
        assisting: dict[int, set[int]] = {}
        for case_id, unit_id in Assignment.objects.filter(
            ended_at=None, role=AssignmentRole.ASSISTING
        ).values_list("case_id", "unit_id"):
            assisting.setdefault(case_id, set()).add(unit_id)
        files: dict[int, int] = {}
        for case_id in Attachment.objects.values_list("case_id", flat=True):
            files[case_id] = files.get(case_id, 0) + 1
        assert set(rows) == {m.pk for m in self.models}
        for model in self.models:
            row = rows[model.pk]
            stored = {name: row[column] for name, column in DB_FIELDS.items()}
            stored["assisting"] = assisting.get(model.pk, set())
            stored["attachments"] = files.get(model.pk, 0)
            expected = {
                name: getattr(model, name) for name in [*DB_FIELDS, "assisting", "attachments"]
            }
            assert stored == expected, f"case {model.pk} differs from its model"
            if model.was_terminal:
                assert row["status"] == model.was_terminal, "a terminal case moved"
            is_open = row["status"] in OPEN
            assert (row["due_at"] is not None) == is_open, (
                f"{row['status']} with due {row['due_at']}"
            )
            assert (row["closed_at"] is None) == is_open, (
                f"{row['status']}, closed {row['closed_at']}"
            )

    @invariant()
    def the_disk_holds_exactly_the_attached_files(self) -> None:
        root = Path(django_settings.MEDIA_ROOT)
        on_disk = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        assert on_disk == set(Attachment.objects.values_list("file", flat=True))

    @invariant()
    def no_event_was_written_anywhere_else(self) -> None:
        # With the rows append-only (database triggers), the chains of the cases not acted on
        # cannot change unless this count does.
        assert CaseEvent.objects.count() == sum(model.events for model in self.models)


def assert_history_holds(case: Case) -> list[CaseEvent]:
    """The chain verifies, and folding from_status → to_status replays the current status."""
    assert verify_case(case) is None
    events = list(case.events.order_by("seq"))
    status = ""
    for expected_seq, written in enumerate(events, start=1):
        assert written.seq == expected_seq
        assert written.from_status == status, (
            f"event {written.seq} starts from {written.from_status}, not {status}"
        )
        assert status not in TERMINAL, f"event {written.seq} follows the terminal status {status}"
        status = written.to_status
    assert status == case.status, f"the history replays to {status}, the case is {case.status}"
    return events


def test_random_hands_never_break_the_lifecycle(world: World) -> None:
    """A hundred random stories of up to 25 steps each, every step checked against the model.

    Half as many on PostgreSQL, where each step costs twice as much: the same code runs, and
    what only PostgreSQL can show is in test_concurrency.py.
    """

    class Machine(CaseLifecycle):
        cast = Cast(world)

    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=100 if connection.vendor == "sqlite" else 50,
            stateful_step_count=25,
            deadline=None,
            database=None,  # nothing written into the working tree; failures print their steps
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def test_a_policy_written_in_a_rolled_back_transaction_is_not_handed_out_afterwards() -> None:
    cache.clear_all()
    with transaction.atomic():
        policies.policy("accept")  # the first use writes the row from the defaults
        transaction.set_rollback(True)

    handed_out = policies.policy("accept")

    assert DeadlinePolicy.objects.filter(pk=handed_out.pk, code="accept").exists()
