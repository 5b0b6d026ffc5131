"""The one cache: values kept per process until their namespace's version moves, and one call
that forgets them all."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.db import transaction

from tiaojie.core import cache
from tiaojie.core.models import CacheVersion

pytestmark = pytest.mark.django_db

# Every module that keeps something cached: each registers it with the one cache.
CACHE_SITES = [
    "tiaojie.core.context_processors",
    "tiaojie.core.workdays",
    "tiaojie.regions.context_processors",
    "tiaojie.regions.locate",
    "tiaojie.regions.selectors",
    "tiaojie.cases.scoping",
    "tiaojie.cases.policies",
    "tiaojie.intake.selectors",
    "tiaojie.routing.engine",
    "tiaojie.modes.selectors",
]


class Counter:
    """A compute function that counts how often it is asked."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, key: Any) -> str:
        self.calls += 1
        return f"{key}#{self.calls}"


@pytest.fixture
def counted() -> Any:
    compute = Counter()
    name = f"test.counted.{id(compute)}"
    cached = cache.register(name, compute, depends_on=("test_things",))
    cache.bump("test_things")  # a namespace in use has its row
    cache.checkpoint()
    yield cached, compute
    cache._registry.pop(name)


def test_every_cache_site_is_in_the_registry() -> None:
    for module in CACHE_SITES:
        importlib.import_module(module)
    names = set(cache.registered())
    assert {
        "core.is_demo",
        "core.calendar_years",
        "regions.root_name",
        "regions.located_names",
        "cases.region_subtrees",
        "cases.deadline_policies",
        "intake.sources",
        "routing.catalogue",
        "routing.active_units",
        "modes.current_periods",
    } <= names


def test_one_call_forgets_every_registered_value() -> None:
    for module in CACHE_SITES:
        importlib.import_module(module)
    from tiaojie.core import workdays
    from tiaojie.core.context_processors import is_demo

    is_demo()
    workdays.is_workday(dt.date(2025, 10, 1))
    for cached in cache.registered().values():  # and something in every other one
        with cached._lock:
            cached._store.setdefault("seeded by the test", ((), "a value"))
    assert all(len(c) for c in cache.registered().values())

    cache.clear_all()

    assert [name for name, c in cache.registered().items() if len(c)] == []


def test_a_value_is_computed_once_until_its_namespace_moves(counted) -> None:
    cached, compute = counted
    assert cached.get("a") == "a#1"
    assert cached.get("a") == "a#1"
    cache.checkpoint()  # the next request: versions read again, unchanged
    assert cached.get("a") == "a#1"

    cache.bump("test_things")

    assert cached.get("a") == "a#2"
    assert compute.calls == 2


def test_another_process_bump_is_seen_at_the_next_request(counted) -> None:
    cached, _compute = counted
    cached.get("a")
    # What another process's transaction leaves in the table.
    CacheVersion.objects.update_or_create(namespace="test_things", defaults={"version": 42})
    assert cached.get("a") == "a#1"  # the same request keeps its versions

    cache.checkpoint()

    assert cached.get("a") == "a#2"


def test_a_bump_rolled_back_leaves_no_value_computed_inside_it(counted) -> None:
    cached, _compute = counted
    assert cached.get("a") == "a#1"
    with transaction.atomic():
        cache.bump("test_things")
        assert cached.get("a") == "a#2"  # computed under the new, uncommitted version
        transaction.set_rollback(True)

    # Back to the old version: computed anew, not the value from the rolled-back work.
    assert cached.get("a") == "a#3"
    assert cached.get("a") == "a#3"


def test_a_new_block_at_the_depth_of_a_rolled_back_bump_does_not_trust_its_version(
    counted,
) -> None:
    cached, _compute = counted
    assert cached.get("a") == "a#1"
    with transaction.atomic():
        cache.bump("test_things")
        assert cached.get("a") == "a#2"
        transaction.set_rollback(True)

    with transaction.atomic():  # as deep as the one that rolled back, no read in between
        assert cached.get("a") == "a#3"


def test_a_bump_rolled_back_with_an_outer_savepoint_is_noticed_inside_a_new_one(counted) -> None:
    cached, _compute = counted
    assert cached.get("a") == "a#1"
    with transaction.atomic():
        with transaction.atomic():
            cache.bump("test_things")
            assert cached.get("a") == "a#2"
        transaction.set_rollback(True)  # the outer block undoes the released inner one

    with transaction.atomic(), transaction.atomic():
        assert cached.get("a") == "a#3"


def test_a_bump_that_commits_keeps_its_values(counted, django_assert_num_queries) -> None:
    cached, compute = counted
    with transaction.atomic():
        cache.bump("test_things")
        assert cached.get("a") == "a#1"
    with django_assert_num_queries(0):
        assert cached.get("a") == "a#1"  # released into the outer transaction: still current
    assert compute.calls == 1


def test_a_namespace_whose_row_was_flushed_matches_nothing_cached_before(counted) -> None:
    cached, compute = counted
    CacheVersion.objects.filter(namespace="test_things").delete()
    cache.checkpoint()
    assert cached.get("a") == "a#1"  # cached while the namespace had no row
    cache.bump("test_things")  # a change; nobody asks for "a" before the flush
    CacheVersion.objects.all().delete()  # what `flush` does to the table
    cache.checkpoint()

    assert cached.get("a") == "a#2"
    assert cached.get("a") == "a#2"  # reused within the request
    cache.checkpoint()
    assert cached.get("a") == "a#3"  # but not trusted by the next one while the row is gone
    assert compute.calls == 3


def test_flush_gives_every_namespace_its_row_again(counted) -> None:
    from django.core.management.sql import emit_post_migrate_signal

    CacheVersion.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert "test_things" in set(CacheVersion.objects.values_list("namespace", flat=True))


def version_writes(seen: Any) -> int:
    return sum("core_cacheversion" in q["sql"] and "INSERT" in q["sql"] for q in seen)


def test_a_transaction_writes_each_namespace_version_once(counted) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic(), CaptureQueriesContext(connection) as seen:
        for _ in range(100):  # an import saving a hundred regions
            cache.bump("test_things")
        cache.bump("test_things", "other_things")
    assert version_writes(seen.captured_queries) == 2


def test_a_value_cached_between_two_changes_is_not_trusted_after_the_second(counted) -> None:
    cached, _compute = counted
    with transaction.atomic():
        cache.bump("test_things")
        assert cached.get("a") == "a#1"
        cache.bump("test_things")  # a second change, after a value was stored

        assert cached.get("a") == "a#2"


def test_a_change_in_a_savepoint_that_rolls_back_moves_its_own_version(counted) -> None:
    cached, _compute = counted
    with transaction.atomic():
        cache.bump("test_things")
        with transaction.atomic():
            cache.bump("test_things")  # another scope: written, not skipped
            assert cached.get("a") == "a#1"
            transaction.set_rollback(True)
        assert cached.get("a") == "a#2"


def test_nothing_is_kept_that_was_computed_while_its_own_change_was_written(counted) -> None:
    cached, _compute = counted

    def compute_and_change(key: Any) -> str:
        cache.bump("test_things")  # e.g. a default row written on first use
        return "from before the change"

    cached.compute = compute_and_change
    assert cached.get("a") == "from before the change"
    assert len(cached) == 0


def test_the_versions_cost_one_query_per_request(counted, django_assert_num_queries) -> None:
    cached, _compute = counted
    cache.checkpoint()
    with django_assert_num_queries(1) as seen:
        for _ in range(50):
            cached.get("a")
    assert "core_cacheversion" in seen.captured_queries[0]["sql"]


def test_a_name_is_registered_once(counted) -> None:
    cached, compute = counted
    with pytest.raises(ValueError, match="registered twice"):
        cache.register(cached.name, compute, depends_on=())


def test_saving_a_watched_model_bumps_its_namespace() -> None:
    from tiaojie.core.context_processors import is_demo
    from tiaojie.core.models import DemoMarker

    assert not is_demo()
    DemoMarker.objects.create(seed=1, version="1", digest="x")
    assert CacheVersion.objects.filter(namespace="demo").exists()
    assert is_demo()
