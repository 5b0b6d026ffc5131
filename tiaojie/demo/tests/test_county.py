"""The demo's regions and units: its bulk writes move the cache versions in the same
transaction, as a save would."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tiaojie.demo.county import County, data_files

pytestmark = pytest.mark.django_db


def writes_after(sql: list[str], table: str) -> list[str]:
    """The statements after the last one that writes ``table``."""
    last = max(i for i, q in enumerate(sql) if f'"{table}"' in q and not q.startswith("SELECT"))
    return sql[last + 1 :]


def test_the_pilot_flags_and_the_committees_bump_their_namespaces() -> None:
    county = County(random.Random(1), log=lambda message: None)
    with CaptureQueriesContext(connection) as seen:
        county.regions(*data_files())
        after_regions = writes_after([q["sql"] for q in seen.captured_queries], "regions_region")
        county.units()
        after_units = writes_after([q["sql"] for q in seen.captured_queries], "accounts_unit")

    assert any("core_cacheversion" in q and "INSERT" in q for q in after_regions)
    assert any("core_cacheversion" in q and "INSERT" in q for q in after_units)
