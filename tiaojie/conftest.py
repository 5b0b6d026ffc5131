"""Shared fixtures: a small region tree, units and personas (clerk of town A, 人社 handler …)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from tiaojie.accounts.models import Stationing, Unit, UnitKind, User
from tiaojie.cases.models import Case
from tiaojie.core.enums import CaseKind, Category, Channel
from tiaojie.regions.models import Region, RegionLevel

SHARED_DATA = Path(settings.TIAOJIE_DATA_DIR)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 is deliberately slow; tests that are about hashing switch it back on.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shared_data() -> Path:
    if not (SHARED_DATA / "linwei_610502_towns.csv").is_file():
        pytest.skip(f"shared data not found at {SHARED_DATA} (set TIAOJIE_DATA_DIR)")
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

    def user(self, username: str, unit: Unit, *roles: str, password: str = "Xq7#mP2v!Lr9") -> User:
        user = User.objects.create_user(username=username, password=password, real_name=username)
        user.unit = unit
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
        return user

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
def login(client: Any) -> Callable[[User], Any]:
    def _login(user: User) -> Any:
        client.force_login(user)
        return client

    return _login
