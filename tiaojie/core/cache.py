"""One cache for values every request asks for and that change a few times a year.

Each cached thing is declared once with :func:`register`: its name, how to compute it, and the
namespaces whose version it depends on. Saving or deleting a model that :func:`watch` ties to a
namespace bumps that namespace's version in the same transaction as the change, so the change
and the new version become visible to every process together. Each process reads the versions
(one small query) lazily, at most once per request or unit of work (:func:`checkpoint`), and
throws away what it computed under another version. Tests call :func:`clear_all`.

Why cachetools and a version table, not Django's cache framework: the values are live objects
(a compiled dispatch catalogue, model rows, sets of region ids). Django's local-memory backend
pickles every value on set and unpickles it on every get, and a shared backend (Redis,
memcached, the database) adds a round trip and the same pickling to hot paths such as
machine intake and every transition; the deployment has no Redis either. So values stay in
process memory, in a bounded `cachetools.LRUCache` (intake codes are sent by strangers too),
and only the versions are shared, through the database every process already talks to.

Why a random version rather than a counter: a bump in a transaction that rolls back leaves
the old version in the table; a counter would then hand out the same number again for a later,
different change, and a value this process computed inside the rolled-back transaction would
pass for current. A fresh random 62-bit number is never reused.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, TypeVar

from cachetools import LRUCache
from django.core.signals import request_started
from django.db import connection, models
from django.db.models.signals import m2m_changed, post_delete, post_save

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Outside requests (commands, long imports, a worker that does not call checkpoint) the
# versions are read again when they are older than this.
MAX_VERSION_AGE = 1.0


class _Thread(threading.local):
    versions: dict[str, int] | None = None
    read_at = 0.0
    bumps = 0
    # How many atomic blocks were open when this thread last bumped, while that bump may
    # still roll back: once fewer are open, the versions are read again (after a rollback
    # the table holds the old ones).
    bumped_at_depth: int | None = None


_thread = _Thread()
_registry: dict[str, Cached[Any, Any]] = {}
# Every namespace watched or depended on, so a bulk load can bump them all.
_namespaces: set[str] = set()


def _versions() -> dict[str, int]:
    """This thread's view of every namespace's version, read once per request or second."""
    versions = _thread.versions
    now = time.monotonic()
    if _thread.bumped_at_depth is not None:
        depth = len(connection.atomic_blocks)
        if depth < _thread.bumped_at_depth:
            versions = None
            _thread.bumped_at_depth = depth or None
    if versions is None or now - _thread.read_at > MAX_VERSION_AGE:
        # Raw SQL: this runs on the hot paths (machine intake, every transition), and the
        # ORM's queryset machinery costs more than the query itself on SQLite.
        with connection.cursor() as cursor:
            cursor.execute("SELECT namespace, version FROM core_cacheversion")
            versions = dict(cursor.fetchall())
        _thread.versions, _thread.read_at = versions, now
    return versions


def checkpoint(**_kwargs: Any) -> None:
    """Start a new unit of work: the next cached value consulted reads the versions again.

    Called at the start of every request (signal below); a worker calls it before each task.
    """
    _thread.versions = None


request_started.connect(checkpoint, dispatch_uid="tiaojie.core.cache.checkpoint")


def bump(*namespaces: str) -> None:
    """Give each namespace a new version, in the current transaction.

    Call it inside the transaction that makes the change (saves of watched models do it by
    their signals): the new version then commits, or rolls back, with the change. Not on
    commit: a process that died between the commit and the bump would leave every other
    process trusting the old values for good.
    """
    from tiaojie.core.models import CacheVersion

    CacheVersion.objects.bulk_create(
        [CacheVersion(namespace=ns, version=secrets.randbits(62)) for ns in namespaces],
        update_conflicts=True,
        unique_fields=["namespace"],
        update_fields=["version"],
    )
    # This thread reads the versions again (its own transaction sees the new ones), and does
    # not store what it is computing right now: that may be from before the change.
    _thread.versions = None
    _thread.bumps += 1
    if connection.in_atomic_block:
        _thread.bumped_at_depth = len(connection.atomic_blocks)


def bump_all() -> None:
    """Bump every namespace (after bulk writes that send no signals, such as the demo build)."""
    bump(*sorted(_namespaces))


def watch(namespace: str, *watched: type[models.Model]) -> None:
    """Saves and deletes of these models (and m2m changes through them) bump ``namespace``.

    Bulk writes and queryset updates send no signals: code that uses them calls :func:`bump`.
    """

    def changed(**kwargs: Any) -> None:
        # m2m_changed fires before and after; one bump, after, is enough.
        if kwargs.get("action", "post_").startswith("post_"):
            bump(namespace)

    _namespaces.add(namespace)
    for model in watched:
        uid = f"tiaojie.core.cache:{namespace}:{model._meta.label}"
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(changed, sender=model, weak=False, dispatch_uid=uid)


class Cached(Generic[K, V]):
    """One cached thing: ``compute(key)`` kept per process while its namespaces' versions hold."""

    def __init__(
        self,
        name: str,
        compute: Callable[[K], V],
        depends_on: Iterable[str],
        maxsize: int,
    ) -> None:
        self.name = name
        self.compute = compute
        self.depends_on = tuple(depends_on)
        self._store: LRUCache[K, tuple[tuple[int, ...], V]] = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()

    def get(self, key: K) -> V:
        versions = _versions()
        tag = tuple(versions.get(ns, 0) for ns in self.depends_on)
        with self._lock:
            hit = self._store.get(key)  # (versions, value): never None itself
        if hit is not None and hit[0] == tag:
            return hit[1]
        bumps = _thread.bumps
        value = self.compute(key)
        if _thread.bumps == bumps:
            with self._lock:
                self._store[key] = (tag, value)
        return value

    def __len__(self) -> int:
        return len(self._store)

    def clear(self) -> None:
        with self._lock:
            self._store.clear()


def register(
    name: str,
    compute: Callable[[K], V],
    *,
    depends_on: Iterable[str],
    maxsize: int = 256,
) -> Cached[K, V]:
    """Declare a cached thing once; ``name`` is unique across the project."""
    if name in _registry:
        raise ValueError(f"cache {name!r} is registered twice")
    cached: Cached[K, V] = Cached(name, compute, depends_on, maxsize)
    _namespaces.update(cached.depends_on)
    _registry[name] = cached
    return cached


def registered() -> dict[str, Cached[Any, Any]]:
    return dict(_registry)


def clear_all() -> None:
    """Forget every cached value in this process (tests start each test with this)."""
    for cached in _registry.values():
        cached.clear()
    _thread.versions = None
    _thread.bumped_at_depth = None
