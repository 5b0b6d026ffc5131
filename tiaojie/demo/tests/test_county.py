"""The demo's regions and units: its bulk writes move the cache versions in the same
transaction, as a save would."""

from __future__ import annotations

import random
from typing import Any

import pytest

from tiaojie.accounts.models import Unit
from tiaojie.core import cache
from tiaojie.demo import county as county_module
from tiaojie.demo.county import County, data_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen() -> Any:
    """A cached value on regions and units that counts how often it is computed."""
    calls: list[str] = []

    def compute(key: str) -> int:
        calls.append(key)
        return len(calls)

    name = "test.demo.seen"
    cached = cache.register(name, compute, depends_on=("regions", "units"))
    yield cached
    cache._registry.pop(name)


def test_a_value_cached_before_the_pilot_flags_is_not_trusted_after(seen, monkeypatch) -> None:
    def import_then_read(*args: Any, **kwargs: Any) -> Any:
        report = import_regions(*args, **kwargs)
        seen.get("regions")  # a read between the import and the bulk update
        return report

    import_regions = county_module.import_regions
    monkeypatch.setattr(county_module, "import_regions", import_then_read)
    County(random.Random(1), log=lambda message: None).regions(*data_files())

    assert seen.get("regions") == 2


def test_a_value_cached_before_the_committees_is_not_trusted_after(seen, monkeypatch) -> None:
    county = County(random.Random(1), log=lambda message: None)
    county.regions(*data_files())
    bulk_create = Unit.objects.bulk_create

    def read_then_bulk_create(*args: Any, **kwargs: Any) -> Any:
        seen.get("units")  # a read just before the bulk write
        return bulk_create(*args, **kwargs)

    monkeypatch.setattr(Unit.objects, "bulk_create", read_then_bulk_create)
    county.units()

    assert seen.get("units") == 2
