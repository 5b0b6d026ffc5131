"""Builds the demo center: regions, units, staff and three years of cases, from a fixed seed.

Same seed, same data files and same build day give the same data (checked by a digest).
A second run finds the marker and changes nothing, so the demo keeps what users did in it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiaojie.accounts.models import GridDuty, GridMember, Unit, User
from tiaojie.accounts.roles import Role
from tiaojie.accounts.services import role_groups
from tiaojie.accounts.two_factor import DEVICE_NAME, demo_key, secret
from tiaojie.cases import policies
from tiaojie.cases.announce import quiet
from tiaojie.cases.models import Case, PartyRole, Person
from tiaojie.cases.services import PartyInput
from tiaojie.cases.workflow import Status
from tiaojie.core.enums import CaseKind, Category, Channel, RiskLevel
from tiaojie.core.models import DemoMarker
from tiaojie.regions.models import Region

from . import catalogue as cat
from .county import County, DemoDataMissing, data_files
from .people import fake_address, fake_id_number, fake_mobile, fake_name
from .replay import Plan, Replayer, Staff, outcome_from_steps, plan_steps
from .texts import RISK_PHRASES, append_risk, compose

T = TypeVar("T")
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


@dataclass
class DemoResult:
    built: bool
    digest: str
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    real_name: str
    unit: str
    role: str
    totp_secret: str = ""


def demo_exists() -> bool:
    return DemoMarker.objects.exists()


def _weighted(rng: random.Random, weights: Mapping[T, float]) -> T:
    items = list(weights)
    return rng.choices(items, weights=[weights[i] for i in items])[0]


class _Builder:
    def __init__(self, *, today: dt.date, scale: float, log: Callable[[str], None]) -> None:
        self.rng = random.Random(cat.SEED)
        self.today = today
        self.scale = scale
        self.log = log
        self.password_hash = ""
        self.used_id_numbers: set[str] = set()
        # The same generator, so a seed gives the same grids and the same cases.
        self.county = County(self.rng, log)

    # --- staff ----------------------------------------------------------------------------
    def _user(self, username: str, unit: Unit, roles: Sequence[str], title: str = "") -> User:
        user = User(
            username=username,
            real_name=fake_name(self.rng),
            phone=fake_mobile(self.rng),
            unit=unit,
            title=title,
            # One hash for the one published demo password: Argon2 costs ~0.1 s a hash on
            # purpose, and hundreds of demo accounts would otherwise take a minute.
            password=self.password_hash,
            password_changed_at=self.now,
        )
        user.save()
        user.groups.set([self.groups[r] for r in roles])
        return user

    def staff(self) -> None:
        self.password_hash = make_password(cat.PASSWORD)
        self.now = timezone.now()
        self.groups = role_groups()
        staffed = set()
        for username, role, unit_slug, title in cat.DISTRICT_ACCOUNTS:
            unit = (
                self.county.center if unit_slug == "center" else self.county.departments[unit_slug]
            )
            self._user(username, unit, [role], title)
            staffed.add(unit.pk)
        for slug, unit in self.county.departments.items():
            # Every department can be given work, so every one has someone to take it.
            if unit.pk not in staffed:
                self._user(f"{slug}_handler", unit, [Role.HANDLER], "承办人")
        for town in self.county.towns:
            center = self.county.town_centers[town.pk]
            justice = self.county.justice_offices[town.pk]
            pilot = cat.PILOT_TOWNS.get(town.code)
            if pilot:
                slug = pilot[0]
                for suffix, role, unit_slug, title in cat.TOWN_ACCOUNTS:
                    unit = center if unit_slug == "center" else justice
                    self._user(f"{slug}_{suffix}", unit, [role], title)
                self._grid_workers(town, slug)
            else:
                # Every other town has its center staffed too, under generated usernames.
                prefix = f"t{town.code[6:9]}"
                self._user(f"{prefix}_clerk", center, [Role.WINDOW_CLERK], "窗口受理员")
                self._user(f"{prefix}_staff", center, [Role.TOWN_STAFF], "综治专干")
                self._user(f"{prefix}_mediator", justice, [Role.MEDIATOR], "人民调解员")
        ensure_demo_authenticators()
        self.log(f"staff: {User.objects.count()}")

    def _grid_workers(self, town: Region, slug: str) -> None:
        n = 0
        members = []
        printed = False
        for village in self.county.villages.get(town.pk, []):
            committee = self.county.village_committees[village.pk]
            for grid in self.county.grids.get(village.pk, []):
                for duty in GridDuty:
                    n += 1
                    # The first full-time worker of each pilot town gets a short, printed name.
                    first = duty == GridDuty.FULL_TIME and not printed
                    printed = printed or first
                    username = f"{slug}_grid" if first else f"{slug}_g{n:03d}"
                    user = self._user(username, committee, [Role.GRID_WORKER], str(duty.label))
                    members.append(GridMember(grid=grid, user=user, duty=duty))
        GridMember.objects.bulk_create(members)

    # --- cases ----------------------------------------------------------------------------
    def _instant(self, day: dt.date, *, office_hours: bool) -> dt.datetime:
        if office_hours:
            minutes = self.rng.randint(8 * 60 + 30, 17 * 60 + 30)
        else:
            minutes = self.rng.randint(0, 24 * 60 - 1)
        return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=TZ)

    def _day_in_year(self, year: int, *, weekdays_only: bool) -> dt.date:
        start = dt.date(year, 1, 1)
        while True:
            day = start + dt.timedelta(days=self.rng.randrange(366 if year % 4 == 0 else 365))
            if not weekdays_only or day.weekday() < 5:
                return day

    def _person(self, town: Region, village: Region, *, gender: str | None = None) -> PartyInput:
        while True:
            id_number = fake_id_number(self.rng, gender=gender)
            if id_number not in self.used_id_numbers:
                break
        self.used_id_numbers.add(id_number)
        gender = "m" if int(id_number[16]) % 2 else "f"
        return PartyInput(
            name=fake_name(self.rng, gender=gender),
            gender=gender,
            id_number=id_number,
            phone=fake_mobile(self.rng),
            address=fake_address(self.rng, town=town.name, village=village.name),
        )

    def _place(self) -> tuple[Region, Region]:
        weights = {
            t: len(self.county.villages.get(t.pk, [])) * (3 if t.code in cat.PILOT_TOWNS else 1)
            for t in self.county.towns
        }
        town = _weighted(self.rng, {t: w for t, w in weights.items() if w})
        return town, self.rng.choice(self.county.villages[town.pk])

    def _lead(self, kind: str, category: str, town: Region) -> Unit:
        if kind in (CaseKind.PETITION, CaseKind.REQUEST, CaseKind.HAZARD):
            return self.county.town_centers[town.pk]
        target = cat.LEAD_BY_CATEGORY.get(Category(category), "town")
        if target == "justice":
            return self.county.justice_offices[town.pk]
        if target == "town":
            return self.county.town_centers[town.pk]
        return self.county.departments[target]

    def _plan(
        self,
        *,
        kind: str,
        channel: str,
        received: dt.datetime,
        outcome: str,
        repeat_pool: list[PartyInput],
    ) -> Plan:
        rng = self.rng
        town, village = self._place()
        region = village
        if channel == Channel.GRID and self.county.grids.get(village.pk):
            region = rng.choice(self.county.grids[village.pk])
        category = _weighted(rng, cat.CATEGORY_WEIGHTS)
        if repeat_pool and rng.random() < (0.12 if kind == CaseKind.PETITION else 0.04):
            applicant = rng.choice(repeat_pool)
        else:
            applicant = self._person(town, village)
            repeat_pool.append(applicant)
        parties = [applicant]
        respondent_name = "有关单位"
        if kind == CaseKind.DISPUTE:
            respondent = self._person(town, village)
            parties.append(replace(respondent, role=PartyRole.RESPONDENT))
            respondent_name = respondent.name
        title, description = compose(
            kind,
            category,
            rng,
            applicant=applicant.name,
            respondent=respondent_name,
            town=town.name,
            village=village.name,
        )
        risk = _weighted(
            rng,
            {RiskLevel.BLUE: 70, RiskLevel.YELLOW: 22, RiskLevel.ORANGE: 6.5, RiskLevel.RED: 1.5},
        )
        people = rng.choice((1, 1, 1, 2, 2, 3))
        if risk in (RiskLevel.ORANGE, RiskLevel.RED):
            signal = rng.choice(sorted(RISK_PHRASES))
            description = append_risk(description, signal, rng)
            if signal == "group":
                people = rng.randint(5, 40)
        if channel == Channel.VISIT and people >= 5:
            title = f"{title}（集体访）"
        at_town = (Channel.WINDOW, Channel.VISIT, Channel.PHONE, Channel.GRID, Channel.VIDEO)
        return Plan(
            kind=kind,
            category=category,
            channel=channel,
            title=title[:200],
            description=description,
            town=town,
            region=region,
            address=fake_address(rng, town=town.name, village=village.name),
            parties=parties,
            people=people,
            risk=risk,
            first_unit=self.county.town_centers[town.pk]
            if channel in at_town
            else self.county.center,
            lead=self._lead(kind, category, town),
            received=received,
            occurred=received - dt.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 12)),
            outcome=outcome,
        )

    def history(self) -> list[Plan]:
        """Three years of cases, shaped like 临渭区's figures (see catalogue)."""
        rng = self.rng
        plans: list[Plan] = []
        repeat_pool: list[PartyInput] = []
        for year, accepted in cat.ACCEPTED_PER_YEAR.items():
            accepted = round(accepted * self.scale)
            letters_visits = round(cat.LETTERS_AND_VISITS[year] * self.scale)
            declined = round(accepted * cat.DECLINED_SHARE)
            withdrawn = round(accepted * cat.WITHDRAWN_SHARE)
            merged = round(accepted * cat.MERGED_SHARE)
            unresolved = round(accepted * cat.UNRESOLVED_SHARE[year])
            kinds: list[tuple[CaseKind, Channel]] = []
            for i in range(accepted + declined):
                if i < letters_visits:
                    kind = CaseKind.PETITION
                    channel = rng.choice((Channel.VISIT, Channel.VISIT, Channel.LETTER))
                else:
                    kind = _weighted(rng, {**cat.KIND_WEIGHTS, CaseKind.PETITION: 3})
                    channel = _weighted(rng, cat.CHANNEL_WEIGHTS[kind])
                kinds.append((kind, channel))
            statuses: list[Status] = (
                [Status.DECLINED] * declined
                + [Status.WITHDRAWN] * withdrawn
                + [Status.MERGED] * merged
                + [Status.UNRESOLVED] * unresolved
            )
            statuses += [Status.CLOSED] * (len(kinds) - len(statuses))
            rng.shuffle(statuses)
            # Letters and visits stay accepted petitions (they are what the 信访量 indicator
            # counts), so declined/withdrawn/merged fall on other cases.
            early_end = {Status.DECLINED, Status.WITHDRAWN, Status.MERGED}
            special: list[Status] = [s for s in statuses if s in early_end]
            rest: list[Status] = [s for s in statuses if s not in early_end]
            statuses = rest[:letters_visits] + special + rest[letters_visits:]
            for (kind, channel), outcome in zip(kinds, statuses, strict=True):
                office = channel in (Channel.WINDOW, Channel.VISIT)
                received = self._instant(
                    self._day_in_year(year, weekdays_only=office), office_hours=office
                )
                plan = self._plan(
                    kind=kind,
                    channel=channel,
                    received=received,
                    outcome=outcome,
                    repeat_pool=repeat_pool,
                )
                plan_steps(rng, plan, due_days=_handling_days(plan), office=_office_hours)
                plans.append(plan)
        plans.sort(key=lambda p: p.received)
        return plans

    def current(self) -> list[Plan]:
        """Cases of the last weeks, stopped wherever they are today: the workbench's work."""
        rng = self.rng
        plans = []
        repeat_pool: list[PartyInput] = []
        now = dt.datetime.combine(self.today, dt.time(9, 0), tzinfo=TZ)
        for _i in range(round(cat.CURRENT_OPEN * max(self.scale, 0.2))):
            kind = _weighted(rng, cat.KIND_WEIGHTS)
            channel = (
                rng.choice((Channel.VISIT, Channel.LETTER))
                if kind == CaseKind.PETITION and rng.random() < 0.6
                else _weighted(rng, cat.CHANNEL_WEIGHTS[kind])
            )
            day = self.today - dt.timedelta(days=rng.randint(1, cat.CURRENT_WINDOW_DAYS))
            received = self._instant(day, office_hours=True)
            plan = self._plan(
                kind=kind,
                channel=channel,
                received=received,
                outcome=Status.CLOSED,
                repeat_pool=repeat_pool,
            )
            plan_steps(rng, plan, due_days=_handling_days(plan), office=_office_hours, until=now)
            plan.outcome = outcome_from_steps(plan.steps)
            if plan.outcome == Status.CLOSED:
                continue  # already finished: history, not workload
            plans.append(plan)
        plans.sort(key=lambda p: p.received)
        return plans

    def play(self, plans: list[Plan], *, tell: bool) -> None:
        staff = Staff(User.objects.filter(is_active=True).prefetch_related("groups"))
        replayer = Replayer(
            self.rng,
            staff,
            center=self.county.center,
            town_centers=self.county.town_centers,
            leader=staff.pick(self.county.center, [Role.LEADER]),
        )
        for n, plan in enumerate(plans, start=1):
            replayer.play(plan, tell=tell)
            if n % 1000 == 0:
                self.log(f"cases: {n}/{len(plans)}")


def _handling_days(plan: Plan) -> int:
    """The legal handling period the case will run under (the same policy the services use)."""
    return policies.DEFAULTS[policies.handling_policy_code(plan.kind, plan.category)].days


def _office_hours(moment: dt.datetime) -> dt.datetime:
    """Move a moment into the next office hours (08:30–17:30 on a weekday)."""
    local = moment.astimezone(TZ)
    if local.time() > dt.time(17, 30):
        local = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(8, 45), tzinfo=TZ)
    elif local.time() < dt.time(8, 30):
        local = dt.datetime.combine(local.date(), dt.time(8, 45), tzinfo=TZ)
    while local.weekday() >= 5:
        local += dt.timedelta(days=1)
    return local


def data_digest() -> str:
    """A fingerprint of the demo's content (decrypted), for the determinism check."""
    h = hashlib.sha256()

    def feed(rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            h.update(repr(tuple(row)).encode())

    feed(Region.objects.order_by("code").values_list("code", "name", "level", "path", "is_pilot"))
    feed(
        Unit.objects.order_by("region__code", "name").values_list(
            "name", "kind", "region__code", "stationing"
        )
    )
    feed(
        (u.username, u.real_name, u.phone, u.unit.name if u.unit else "", sorted(u.role_codes))
        for u in User.objects.select_related("unit").order_by("username")
    )
    feed(
        (p.name, p.gender, p.id_number, p.phone, p.address)
        for p in Person.objects.order_by("id_number_hash")
    )
    for c in Case.objects.select_related(
        "region", "lead_unit", "first_unit", "merged_into"
    ).order_by("code"):
        feed(
            [
                (
                    c.code,
                    c.kind,
                    c.category,
                    c.channel,
                    c.title,
                    c.description,
                    c.region.code,
                    c.address,
                    c.received_at,
                    c.accepted_at,
                    c.concluded_at,
                    c.closed_at,
                    c.due_at,
                    c.status,
                    c.risk_level,
                    c.tier,
                    c.first_unit.name,
                    c.lead_unit.name if c.lead_unit else "",
                    c.outcome,
                    c.satisfaction,
                    c.merged_into.code if c.merged_into else "",
                    c.people_count,
                )
            ]
        )
    return h.hexdigest()


def ensure_demo_authenticators() -> int:
    """Every demo account without one gets its authenticator, with the key from its name."""
    missing = User.objects.exclude(totpdevice__confirmed=True)
    devices = [
        TOTPDevice(user=u, name=DEVICE_NAME, key=demo_key(u.username), confirmed=True)
        for u in missing.only("pk", "username")
    ]
    TOTPDevice.objects.bulk_create(devices)
    return len(devices)


def build_demo(
    *,
    today: dt.date | None = None,
    data_dir: Path | None = None,
    scale: float = 1.0,
    log: Callable[[str], None] = lambda message: None,
) -> DemoResult:
    """Build the demo center unless one is already there; all or nothing."""
    if demo_exists():
        ensure_demo_authenticators()  # a demo built before sign-in codes existed
        marker = DemoMarker.objects.get()
        return DemoResult(built=False, digest=marker.digest, counts=demo_counts())
    towns, villages = data_files(data_dir)
    if Region.objects.exists() or Unit.objects.exists() or Case.objects.exists():
        raise DemoDataMissing(
            "this database already holds real data; the demo is built only into an empty database"
        )
    builder = _Builder(today=today or dt.date.today(), scale=scale, log=log)
    with transaction.atomic():
        builder.county.regions(towns, villages)
        builder.county.units()
        builder.staff()
        with quiet():
            builder.play(builder.history(), tell=False)
        builder.play(builder.current(), tell=True)
        digest = data_digest()
        DemoMarker.objects.create(seed=cat.SEED, version=cat.VERSION, digest=digest)
    log(f"cases: {Case.objects.count()}")
    return DemoResult(built=True, digest=digest, counts=demo_counts())


def demo_counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "persons": Person.objects.count(),
        "cases": Case.objects.count(),
    }


def demo_accounts() -> list[DemoAccount]:
    """The accounts worth printing, in catalogue order: the district's, then each pilot town's."""
    order = [username for username, *_rest in cat.DISTRICT_ACCOUNTS]
    for slug, _name in cat.PILOT_TOWNS.values():
        order += [f"{slug}_{suffix}" for suffix, *_rest in cat.TOWN_ACCOUNTS]
        order.append(f"{slug}_grid")
    users = {
        u.username: u
        for u in User.objects.filter(username__in=order)
        .select_related("unit")
        .prefetch_related("groups")
    }
    labels = {r.value: str(r.label) for r in Role}
    return [
        DemoAccount(
            u.username,
            u.real_name,
            u.unit.name if u.unit else "",
            "、".join(labels[g.name] for g in u.groups.all()),
            secret(TOTPDevice(key=demo_key(u.username))).replace(" ", ""),
        )
        for username in order
        if (u := users.get(username))
    ]
