"""The lifecycle asks for the mode on every deadline it sets: one small query the first time,
none after (only the cache versions, once per request), and a switch or an end is seen at
once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tiaojie.cases import services as cases
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.core import cache, clock
from tiaojie.core.enums import CaseKind, Category, Channel
from tiaojie.modes import selectors, services
from tiaojie.modes.models import Mode, ModeSetting

from .conftest import switch

pytestmark = pytest.mark.django_db


def _ask(crew) -> float:
    return selectors.deadline_factor(crew.world.grid_a.pk, clock.now())


def _remembered(crew, capture) -> float:
    """Ask once and let the answer be remembered, as it is after a commit."""
    with capture(execute=True):
        return _ask(crew)


def test_one_query_then_none_until_the_next_request(
    crew, django_capture_on_commit_callbacks, django_assert_num_queries
) -> None:
    cache.checkpoint()
    with django_assert_num_queries(2):  # the cache versions, then the periods
        assert _remembered(crew, django_capture_on_commit_callbacks) == 1.0
    with django_assert_num_queries(0):
        for _ in range(100):
            assert _ask(crew) == 1.0
    cache.checkpoint()  # a new request reads the versions again, and they have not moved
    with django_assert_num_queries(1):
        _ask(crew)


def test_switching_and_ending_clear_the_cache_at_once(
    crew, django_capture_on_commit_callbacks
) -> None:
    capture = django_capture_on_commit_callbacks
    assert _remembered(crew, capture) == 1.0
    with capture(execute=True):
        period = switch(crew.district_dispatcher, crew.world.county)
    assert _remembered(crew, capture) == 0.5

    with capture(execute=True):
        setting = ModeSetting.objects.get(mode=Mode.URGENT)
        setting.deadline_factor = "0.4"
        setting.save()
    assert _remembered(crew, capture) == 0.4

    with capture(execute=True):
        services.end_mode(period, actor=crew.district_dispatcher, reason="解除")
    assert _remembered(crew, capture) == 1.0


def test_transitions_without_a_mode_ask_nothing_of_the_database(
    crew, django_capture_on_commit_callbacks
) -> None:
    capture = django_capture_on_commit_callbacks
    _remembered(crew, capture)
    with capture(execute=True):
        case = cases.register_case(
            actor=Actor(crew.clerk_a),
            kind=CaseKind.DISPUTE,
            category=Category.NEIGHBOURHOOD,
            channel=Channel.WINDOW,
            title="邻里纠纷",
            description="噪音。",
            region=crew.world.village_a,
            parties=[PartyInput(name="李四")],
        )
    # Accepting sets a deadline, so the mode is asked: the remembered answer serves.
    with CaptureQueriesContext(connection) as seen:
        cases.accept(case, actor=Actor(crew.clerk_a))
    assert not [q for q in seen.captured_queries if "modes_" in q["sql"]]
