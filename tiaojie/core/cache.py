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
from django.apps import AppConfig
from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, connection, models
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Outside requests (commands, long imports, a worker that does not call checkpoint) the
# versions are read again when they are older than this.
MAX_VERSION_AGE = 1.0


class _Pending:
    """Registered with ``on_commit`` at a bump: Django drops it, unrun, when the bump rolls back.

    Django keeps each on-commit callback with the savepoints in force when it was registered
    and discards it when one of them, or the whole transaction, rolls back; so "neither run
    nor still waiting" means exactly "this bump was rolled back", whatever atomic blocks were
    opened since at whatever depth (comparing nesting depths cannot tell a new block from the
    one that rolled back).
    """

    __slots__ = ("ran", "savepoints")

    def __init__(self, savepoints: tuple[str | None, ...]) -> None:
        self.ran = False
        self.savepoints = savepoints

    def __call__(self) -> None:
        self.ran = True


class _Thread(threading.local):
    versions: dict[str, int] | None = None
    read_at = 0.0
    bumps = 0
    # This thread's bumps that may still roll back: once one is rolled back, the versions
    # are read again (the table holds the old ones, and values were stored under the new).
    pending: list[_Pending] | None = None
    hooks_seen: object = None  # connection.run_on_commit at the last look

    def __init__(self) -> None:
        # Namespaces bumped under a still-waiting marker that no value was stored under since.
        self.unused: dict[str, _Pending] = {}


_thread = _Thread()
_registry: dict[str, Cached[Any, Any]] = {}
# Every namespace watched or depended on, so a bulk load can bump them all.
_namespaces: set[str] = set()


def _rolled_back() -> bool:
    """Whether a bump of this thread was rolled back since the versions were last read."""
    pending = _thread.pending
    if not pending:
        return False
    hooks = connection.run_on_commit
    if hooks is _thread.hooks_seen:
        # Django replaces the list at every commit and rollback (of a savepoint too) and only
        # appends to it otherwise: the same list means nothing ended since the last look.
        return False
    _thread.hooks_seen = hooks
    # Entries are (savepoint ids, callback, robust).
    waiting = {id(entry[1]) for entry in connection.run_on_commit}
    still = [p for p in pending if not p.ran and id(p) in waiting]
    rolled_back = any(not p.ran and id(p) not in waiting for p in pending)
    _thread.pending = still or None
    return rolled_back


def _versions() -> dict[str, int]:
    """This thread's view of every namespace's version, read once per request or second."""
    versions = _thread.versions
    now = time.monotonic()
    if _rolled_back():
        versions = None
    if versions is None or now - _thread.read_at > MAX_VERSION_AGE:
        # Raw SQL: this runs on the hot paths (machine intake, every transition), and the
        # ORM's queryset machinery costs more than the query itself on SQLite.
        with connection.cursor() as cursor:
            cursor.execute("SELECT namespace, version FROM core_cacheversion")
            versions = _MissingIsNew(cursor.fetchall())
        _thread.versions, _thread.read_at = versions, now
    return versions


class _MissingIsNew(dict[str, int]):
    """The versions read; a namespace without a row reads as a new random version.

    A row goes missing when the table is emptied (``flush`` between tests, a restore): a
    fixed stand-in such as 0 would match values cached before the rows went and serve them
    as current. A random number drawn here, kept only for this read, matches nothing cached
    before; values computed under it are reused until the next read (the next request), and
    then computed again until some bump writes the row. Reads never write the row themselves:
    they run inside other people's transactions (a transition, an import), and an upsert
    there would take the row's lock for the rest of that transaction.
    """

    def __missing__(self, namespace: str) -> int:
        self[namespace] = version = secrets.randbits(62)
        return version


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
    # A compute running now does not store its value: it may be from before the change.
    _thread.bumps += 1
    marker: _Pending | None = None
    if connection.in_atomic_block:
        savepoints = tuple(connection.savepoint_ids)
        last = _thread.pending[-1] if _thread.pending else None
        if last and last.savepoints == savepoints and _waiting(last):
            marker = last  # rolls back with the same savepoints: one marker covers both bumps
            # Saving hundreds of regions in one import need not write hundreds of versions:
            # a namespace already bumped under this marker, with nothing stored under its new
            # version since, keeps it. Nothing anywhere holds a value tagged with that version
            # (other processes cannot see it before the commit), and any rollback of this
            # change also rolls back that bump (same savepoints).
            namespaces = tuple(ns for ns in namespaces if _thread.unused.get(ns) is not last)
            if not namespaces:
                return
        else:
            marker = _Pending(savepoints)
            connection.on_commit(marker)
            _thread.pending = [*(_thread.pending or ()), marker]
    _write(namespaces)
    # This thread reads the versions again (its own transaction sees the new ones).
    _thread.versions = None
    if marker is not None:
        for ns in namespaces:
            _thread.unused[ns] = marker


def _write(namespaces: Iterable[str]) -> None:
    from tiaojie.core.models import CacheVersion

    CacheVersion.objects.bulk_create(
        [CacheVersion(namespace=ns, version=secrets.randbits(62)) for ns in namespaces],
        update_conflicts=True,
        unique_fields=["namespace"],
        update_fields=["version"],
    )


def _waiting(pending: _Pending) -> bool:
    """Whether ``pending`` still waits for its commit (it is near the end of the list)."""
    return not pending.ran and any(
        entry[1] is pending for entry in reversed(connection.run_on_commit)
    )


def _after_migrate(app_config: AppConfig, using: str = DEFAULT_DB_ALIAS, **_kwargs: Any) -> None:
    """Give every namespace a row again after ``migrate`` and ``flush`` (which empties it).

    A missing row already reads as a new version each time (so nothing from before is
    served), but then nothing is reused from one request to the next either.
    """
    if app_config.name != "tiaojie.core" or using != DEFAULT_DB_ALIAS:
        return
    if "core_cacheversion" in connection.introspection.table_names():
        _write(sorted(_namespaces))  # every row, even one this thread bumped just before
        _thread.versions = None


post_migrate.connect(_after_migrate, dispatch_uid="tiaojie.core.cache.after_migrate")


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
        tag = tuple(versions[ns] for ns in self.depends_on)
        with self._lock:
            hit = self._store.get(key)  # (versions, value): never None itself
        if hit is not None and hit[0] == tag:
            return hit[1]
        bumps = _thread.bumps
        value = self.compute(key)
        if _thread.bumps == bumps:
            with self._lock:
                self._store[key] = (tag, value)
            if _thread.unused:  # a value now carries these versions: the next bump writes
                for ns in self.depends_on:
                    _thread.unused.pop(ns, None)
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
    _thread.pending = None
    _thread.hooks_seen = None
    _thread.unused.clear()
