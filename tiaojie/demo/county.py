"""The demo's county: the divisions of 临渭区 with pilot grids, and the units that serve them.

The region lists ship in the package (tiaojie/regions/data), so a bare clone builds the demo.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from tiaojie.accounts.models import Stationing, Unit, UnitKind
from tiaojie.core import cache
from tiaojie.regions import linwei
from tiaojie.regions.models import Region, RegionLevel
from tiaojie.regions.services import ensure_grids, import_regions

from . import catalogue as cat

GRID_ORDINALS = "一二三四"


class DemoDataMissing(Exception):
    """The demo cannot be built here: its region lists are unusable or the database holds data."""


def data_files(data_dir: Path | None = None) -> tuple[Path, Path]:
    """The towns and villages lists: the shipped ones of 临渭区 unless a folder is given."""
    if data_dir is None:
        return linwei.TOWNS, linwei.VILLAGES
    towns, villages = data_dir / linwei.TOWNS_FILE, data_dir / linwei.VILLAGES_FILE
    missing = [str(p) for p in (towns, villages) if not p.is_file()]
    if missing:
        raise DemoDataMissing(
            "The demo needs the region lists of 临渭区: " + ", ".join(missing) + " not found."
        )
    return towns, villages


class County:
    """The regions and units of the demo, built from the region lists and the catalogue."""

    def __init__(self, rng: random.Random, log: Callable[[str], None]) -> None:
        self.rng = rng
        self.log = log

    # --- regions --------------------------------------------------------------------------
    def regions(self, towns_file: Path, villages_file: Path) -> None:
        report = import_regions(
            towns_file, villages_file, root_code=cat.ROOT_CODE, root_name=cat.ROOT_NAME
        )
        if not report.ok:
            raise DemoDataMissing("the region lists have problems: " + "; ".join(report.errors[:5]))
        Region.objects.filter(code__in=cat.PILOT_TOWNS).update(is_pilot=True)
        cache.bump("regions")  # a queryset update sends no signals
        self.root = Region.objects.get(code=cat.ROOT_CODE)
        self.towns = list(Region.objects.filter(level=RegionLevel.TOWN).order_by("code"))
        self.villages: dict[int, list[Region]] = {}
        for village in Region.objects.filter(level=RegionLevel.VILLAGE).order_by("code"):
            self.villages.setdefault(village.parent_id or 0, []).append(village)
        self.grids: dict[int, list[Region]] = {}
        for town in self.towns:
            if town.code not in cat.PILOT_TOWNS:
                continue
            for village in self.villages.get(town.pk, []):
                count = self.rng.choice((2, 2, 3, 3, 4))
                names = [f"{village.name}第{GRID_ORDINALS[i]}网格" for i in range(count)]
                self.grids[village.pk] = ensure_grids(village, names)
        self.log(f"regions: {Region.objects.count()}")

    # --- units ----------------------------------------------------------------------------
    def units(self) -> None:
        self.center = Unit.objects.create(
            name="临渭区综治中心",
            short_name="区综治中心",
            kind=UnitKind.DISTRICT_CENTER,
            region=self.root,
        )
        self.departments: dict[str, Unit] = {}
        for slug, name, short, kind, stationing in cat.DISTRICT_DEPARTMENTS:
            self.departments[slug] = Unit.objects.create(
                name=name,
                short_name=short,
                kind=kind,
                region=self.root,
                stationed_at=self.center,
                stationing=stationing,
            )
        self.town_centers: dict[int, Unit] = {}
        self.justice_offices: dict[int, Unit] = {}
        self.village_committees: dict[int, Unit] = {}
        committees = []
        for town in self.towns:
            center = Unit.objects.create(
                name=f"{town.name}综治中心",
                short_name=f"{town.name}综治中心",
                kind=UnitKind.TOWN_CENTER,
                region=town,
            )
            self.town_centers[town.pk] = center
            self.justice_offices[town.pk] = Unit.objects.create(
                name=f"{town.name}司法所",
                kind=UnitKind.JUSTICE_OFFICE,
                region=town,
                parent=self.departments["justice"],
                stationed_at=center,
                stationing=Stationing.PERMANENT,
            )
            Unit.objects.create(
                name=f"{town.name}派出所",
                kind=UnitKind.POLICE_STATION,
                region=town,
                parent=self.departments["police"],
                stationed_at=center,
                stationing=Stationing.ROTATING,
            )
            for village in self.villages.get(town.pk, []):
                suffix = "居民委员会" if village.name.endswith("社区") else "村民委员会"
                committees.append(
                    Unit(
                        name=f"{village.name}{suffix}",
                        kind=UnitKind.VILLAGE_COMMITTEE,
                        region=village,
                    )
                )
        for unit in Unit.objects.bulk_create(committees):
            self.village_committees[unit.region_id] = unit
        cache.bump("units")  # bulk_create sends no signals
        self.log(f"units: {Unit.objects.count()}")
