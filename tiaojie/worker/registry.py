"""What the worker runs: kinds of queued work (each with its attempts) and periodic steps.

The worker sits at the bottom of the layers, beside core, so it knows no app. Each app tells
it what it adds: a kind of work with ``job``, a step of the periodic sweep with
``register_step`` in its ``AppConfig.ready()``. The worker calls what is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django_tasks import task
from django_tasks.base import Task

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Kind:
    """A kind of queued work: a name for the operator and how often it may be tried."""

    name: Any  # a lazy translatable string
    max_attempts: int
    # Called with the task's arguments when it failed for good (its attempts used, by raising
    # or by dying): the app marks what waited on it, so a person can start it again.
    on_final_failure: Callable[..., None] | None = None


KINDS: dict[str, Kind] = {}


def job(
    *, name: Any, max_attempts: int = 3, on_final_failure: Callable[..., None] | None = None
) -> Callable[[Callable[P, T]], Task[P, T]]:
    """Make ``func`` a kind of queued work: ``func.enqueue(...)`` queues it for the worker."""

    def wrap(func: Callable[P, T]) -> Task[P, T]:
        made = task()(func)
        KINDS[made.module_path] = Kind(name, max_attempts, on_final_failure)
        return made

    return wrap


def kind_of(task_path: str) -> Kind:
    """The kind of a stored task; one no longer registered gets one try and its path as name."""
    return KINDS.get(task_path) or Kind(task_path, 1)


@dataclass(frozen=True)
class Step:
    """One step of the periodic sweep; ``run`` acts on what is due and says what it did."""

    name: str
    run: Callable[[], str]
    order: int = 50
    # Seconds between two runs; None: the sweep's interval (TIAOJIE_SWEEP_SECONDS).
    every: float | None = None


STEPS: dict[str, Step] = {}


def register_step(
    name: str, run: Callable[[], str], *, order: int = 50, every: float | None = None
) -> None:
    """Add a step to the sweep (from an ``AppConfig.ready()``); a second call replaces it."""
    STEPS[name] = Step(name, run, order, every)


def steps() -> list[Step]:
    return sorted(STEPS.values(), key=lambda s: (s.order, s.name))
