"""Shared fixtures: a small region tree, units and personas (clerk of town A, 人社 handler …)."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from tiaojie.accounts.models import Stationing, Unit, UnitKind, User
from tiaojie.accounts.roles import Role
from tiaojie.accounts.services import role_groups
from tiaojie.accounts.testing import StaffClient, authenticator
from tiaojie.accounts.two_factor import current_code
from tiaojie.cases.models import Case
from tiaojie.core import cache
from tiaojie.core.enums import CaseKind, Category, Channel
from tiaojie.intake.models import IntakeSource
from tiaojie.regions.models import Region, RegionLevel

SHARED_DATA = Path(settings.TIAOJIE_DATA_DIR)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 is deliberately slow; tests that are about hashing switch it back on.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every test stores attachments in a folder of its own, never in var/media."""
    root = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture(autouse=True)
def _fresh_site_cache() -> None:
    # Cached values outlive a test's rolled-back or flushed database: each test starts clean.
    cache.clear_all()


@pytest.fixture(autouse=True)
def _history_purge_on_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let the flush after a transactional test empty the append-only event table (SQLite).

    Set up after transactional_db, so this teardown runs before its flush.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from tiaojie.core.chain import purge_allowed

    purge_allowed(True)


@pytest.fixture
def freeze() -> Callable[..., Any]:
    """freezegun's freeze_time, after the URLs are loaded.

    Loading them builds the API's pydantic schemas, which fail on freezegun's fake datetime.
    """
    from django.urls import get_resolver
    from freezegun import freeze_time

    assert get_resolver().url_patterns
    return freeze_time


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """The folder with the region lists of 临渭区, shipped in the package: never skips."""
    from tiaojie.regions import linwei

    return linwei.DATA_DIR


@pytest.fixture
def shared_data(shared_data_dir: Path) -> Path:
    return shared_data_dir


@pytest.fixture(scope="session")
def research_data_dir() -> Path:
    """../shared/data (or TIAOJIE_DATA_DIR): court sentences and citizen messages.

    They carry no licence and stay out of the repository, so a test that needs them skips
    with the reason when they are absent (a bare clone).
    """
    if not any((SHARED_DATA / name).is_dir() for name in ("cail2019", "tipdm2020")):
        pytest.skip(f"research data not found at {SHARED_DATA} (set TIAOJIE_DATA_DIR)")
    return SHARED_DATA


def _region(code: str, name: str, level: str, parent: Region | None) -> Region:
    return Region.objects.create(code=code, name=name, level=level, parent=parent)


class World:
    """A county with two towns, a village and a grid in each, and their units."""

    def __init__(self) -> None:
        self.county = _region("610502000000", "临渭区", RegionLevel.COUNTY, None)
        self.town_a = _region("610502103000", "下邽镇", RegionLevel.TOWN, self.county)
        self.town_b = _region("610502100000", "桥南镇", RegionLevel.TOWN, self.county)
        self.village_a = _region("610502103201", "东庆村", RegionLevel.VILLAGE, self.town_a)
        self.village_b = _region("610502100201", "桥南村", RegionLevel.VILLAGE, self.town_b)
        self.grid_a = _region("610502103201001", "东庆村第一网格", RegionLevel.GRID, self.village_a)
        self.center = Unit.objects.create(
            name="临渭区综治中心", kind=UnitKind.DISTRICT_CENTER, region=self.county
        )
        self.center_a = Unit.objects.create(
            name="下邽镇综治中心", kind=UnitKind.TOWN_CENTER, region=self.town_a
        )
        self.center_b = Unit.objects.create(
            name="桥南镇综治中心", kind=UnitKind.TOWN_CENTER, region=self.town_b
        )
        self.hrss = Unit.objects.create(
            name="临渭区人力资源和社会保障局",
            kind=UnitKind.HUMAN_RESOURCES,
            region=self.county,
            stationed_at=self.center,
            stationing=Stationing.ROTATING,
        )
        self.committee_a = Unit.objects.create(
            name="东庆村村民委员会", kind=UnitKind.VILLAGE_COMMITTEE, region=self.village_a
        )
        self._codes = itertools.count(1)
        self.users: dict[str, User] = {}

    def user(self, username: str, unit: Unit, *roles: str, password: str = "Xq7#mP2v!Lr9") -> User:
        user = User.objects.create_user(username=username, password=password, real_name=username)
        user.unit = unit
        user.password_changed_at = timezone.now()  # chosen by the user, not due for a change
        user.save()
        groups = role_groups()
        user.groups.set([groups[role] for role in roles])
        self.users[username] = user
        return user

    def hotline(self, secret: str) -> IntakeSource:
        """The 12345 hotline as a machine intake source of the district, signing with ``secret``."""
        return IntakeSource.objects.create(
            code="hotline12345",
            name="12345热线",
            channel=Channel.HOTLINE,
            secret=secret,
            unit=self.center,
            region=self.county,
        )

    def case(self, region: Region, *, first_unit: Unit | None = None, **fields: Any) -> Case:
        n = next(self._codes)
        values: dict[str, Any] = {
            "code": f"2025{n:06d}",
            "kind": CaseKind.DISPUTE,
            "category": Category.NEIGHBOURHOOD,
            "channel": Channel.WINDOW,
            "title": f"邻里纠纷{n}",
            "description": "邻居装修噪音扰民。",
            "received_at": dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC),
            "first_unit": first_unit or self.center,
        }
        values.update(fields)
        return Case.objects.create(region=region, **values)


@pytest.fixture
def world(db: None) -> World:
    return World()


@pytest.fixture
def client() -> StaffClient:
    """Django's test client, except that force_login also passes the second factor."""
    return StaffClient()


@pytest.fixture
def hrss_assignment(world: World) -> tuple[User, User, Case]:
    """A labour dispute of town A, accepted and assigned to 人社: (clerk, handler, case)."""
    from freezegun import freeze_time

    from tiaojie.cases import services
    from tiaojie.cases.services import Actor, PartyInput

    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK, Role.DISPATCHER)
    handler = world.user("hrss_handler", world.hrss, Role.HANDLER)
    with freeze_time("2025-03-03 09:00:00+08:00"):
        case = services.register_case(
            actor=Actor(clerk),
            kind=CaseKind.DISPUTE,
            category=Category.LABOUR,
            channel=Channel.WINDOW,
            title="欠薪",
            description="工地欠薪两个月。",
            region=world.village_a,
            parties=[PartyInput(name="周八")],
        )
        case = services.accept(case, actor=Actor(clerk))
        case = services.assign(case, actor=Actor(clerk), lead=world.hrss)
    return clerk, handler, case


@pytest.fixture
def registered_case(world: World) -> Case:
    """A neighbours' dispute just registered at town A's window by ``clerk_a``."""
    from tiaojie.cases import services

    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    return services.register_case(
        actor=services.Actor(clerk),
        kind=CaseKind.DISPUTE,
        category=Category.NEIGHBOURHOOD,
        channel=Channel.WINDOW,
        title="宅基地界线纠纷",
        description="两户因院墙位置发生争执。",
        region=world.village_a,
        parties=[services.PartyInput(name="李四")],
    )


@pytest.fixture
def login(client: Any) -> Callable[[User], Any]:
    def _login(user: User) -> Any:
        client.force_login(user)
        return client

    return _login


def sign_in(page: Any, user: User, password: str = "Xq7#mP2v!Lr9") -> None:
    """Sign in through the real pages: user name and password, then the authenticator's code."""
    device = authenticator(user)
    if "/accounts/login/" not in page.url:
        page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/code/**")
    page.get_by_label("六位验证码或备用码").fill(current_code(device))
    page.get_by_role("button", name="验证").click()


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Any:
    """Debian's Chromium driven by Playwright (a browser download is neither needed nor made)."""
    if not CHROMIUM.exists():
        pytest.fail(
            "Debian's chromium is missing: ./dev test installs it (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls that tests make
    # around it are still plain synchronous calls, so Django's async guard does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Any:
    """A fresh browser tab; fails the test on any console error (a CSP violation, say)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.base_url = live_server.url
    yield tab
    context.close()
    assert not errors, f"browser console errors: {errors}"
