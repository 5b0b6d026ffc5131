"""Switching a scope into a mode and ending it early: reasons, who may, one mode per scope,
the log and the audit trail; which mode holds where."""

from __future__ import annotations

import datetime as dt

import pytest

from tiaojie.audit.models import AuditEntry, AuditKind
from tiaojie.core import clock
from tiaojie.core.errors import DomainError
from tiaojie.modes import selectors, services
from tiaojie.modes.models import Mode, ModePeriod

from .conftest import hours, switch

pytestmark = pytest.mark.django_db


def test_the_district_dispatcher_switches_the_district_and_the_log_and_audit_show_it(crew) -> None:
    w = crew.world
    period = switch(crew.district_dispatcher, w.county)
    assert period.running_at(clock.now())
    assert selectors.active_for(w.grid_a.pk, clock.now()).id == period.id
    assert selectors.active_for(w.village_b.pk, clock.now()).id == period.id
    assert selectors.deadline_factor(w.village_b.pk, clock.now()) == 0.5

    entry = AuditEntry.objects.get(kind=AuditKind.CONFIG_CHANGED, target_type="dispatch_mode")
    assert entry.username == "district_dispatcher"
    assert entry.detail["change"] == "mode_started"
    assert entry.detail["reason"] == "汛期防汛" and entry.detail["scope"] == w.county.code

    ended = services.end_mode(period, actor=crew.district_leader, reason="汛情解除")
    assert ended.ended_by == crew.district_leader and ended.end_reason == "汛情解除"
    assert not ended.running_at(clock.now())
    assert selectors.active_for(w.grid_a.pk, clock.now()) is None
    kinds = [
        e.detail["change"]
        for e in AuditEntry.objects.filter(target_type="dispatch_mode").order_by("seq")
    ]
    assert kinds == ["mode_started", "mode_ended"]
    # The log keeps the period, with who switched it and who ended it early.
    assert list(selectors.periods_for_user(crew.district_leader)) == [ended]


def test_a_reason_is_required_to_switch_and_to_end(crew) -> None:
    with pytest.raises(DomainError):
        switch(crew.district_dispatcher, crew.world.county, reason="  ")
    period = switch(crew.district_dispatcher, crew.world.county)
    with pytest.raises(DomainError):
        services.end_mode(period, actor=crew.district_dispatcher, reason="")
    assert ModePeriod.objects.get().ended_at is None


def test_a_district_center_switches_any_town(crew) -> None:
    period = switch(crew.district_leader, crew.world.town_b)
    assert period.scope == crew.world.town_b
    assert [r.pk for r in selectors.switch_scopes(crew.district_dispatcher)] == [
        crew.world.county.pk,
        crew.world.town_b.pk,  # 610502100000 sorts before town A's 610502103000
        crew.world.town_a.pk,
    ]


@pytest.mark.parametrize("who", ["leader_a", "staff_a", "dispatcher_a"])
def test_a_town_center_switches_its_own_town_only(crew, who) -> None:
    w = crew.world
    actor = getattr(crew, who)
    period = switch(actor, w.town_a)
    assert selectors.active_for(w.grid_a.pk, clock.now()).id == period.id
    assert selectors.active_for(w.village_b.pk, clock.now()) is None
    for scope in (w.town_b, w.county):
        with pytest.raises(services.NotAllowed):
            switch(actor, scope)
    district = switch(crew.district_dispatcher, w.county)
    with pytest.raises(services.NotAllowed):
        services.end_mode(district, actor=actor, reason="本镇已无需")
    assert ModePeriod.objects.count() == 2


@pytest.mark.parametrize("who", ["district_clerk", "clerk_a", "handler", "leader_b"])
def test_nobody_else_switches_town_a(crew, who) -> None:
    with pytest.raises(services.NotAllowed):
        switch(getattr(crew, who), crew.world.town_a)
    assert not ModePeriod.objects.exists()


def test_one_mode_per_scope_a_new_switch_ends_the_running_one(crew) -> None:
    w = crew.world
    urgent = switch(crew.district_dispatcher, w.town_a)
    wartime = switch(crew.district_dispatcher, w.town_a, Mode.WARTIME, reason="山洪")
    urgent.refresh_from_db()
    assert urgent.ended_at == wartime.starts_at and urgent.end_reason == "山洪"
    running = [p for p in ModePeriod.objects.all() if p.running_at(clock.now())]
    assert running == [wartime]
    assert selectors.deadline_factor(w.grid_a.pk, clock.now()) == 0.25


def test_a_scheduled_period_is_not_overlapped_silently(crew) -> None:
    w = crew.world
    later = switch(crew.district_dispatcher, w.town_a, starts_at=hours(48), until=hours(72))
    assert selectors.active_for(w.grid_a.pk, clock.now()) is None
    assert selectors.active_for(w.grid_a.pk, hours(50)).id == later.id
    with pytest.raises(DomainError) as caught:
        switch(crew.district_dispatcher, w.town_a, Mode.WARTIME, until=hours(60))
    assert caught.value.code == "mode_overlap"


def test_the_span_must_make_sense(crew) -> None:
    w = crew.world
    for starts, ends in ((None, hours(-1)), (hours(-2), hours(5)), (None, hours(24 * 120))):
        with pytest.raises(DomainError):
            switch(crew.district_dispatcher, w.county, starts_at=starts, until=ends)
    with pytest.raises(DomainError):
        switch(crew.district_dispatcher, w.county, Mode.NORMAL)


def test_where_a_town_and_the_district_overlap_the_stricter_applies(crew) -> None:
    w = crew.world
    switch(crew.district_dispatcher, w.county, Mode.URGENT)
    town = switch(crew.leader_a, w.town_a, Mode.WARTIME, reason="镇域山洪")
    assert selectors.active_for(w.grid_a.pk, clock.now()).id == town.id
    assert selectors.deadline_factor(w.grid_a.pk, clock.now()) == 0.25
    assert selectors.deadline_factor(w.village_b.pk, clock.now()) == 0.5
    services.end_mode(town, actor=crew.staff_a, reason="险情排除")
    # Town A falls back to the district's urgent mode, not to normal.
    assert selectors.deadline_factor(w.grid_a.pk, clock.now()) == 0.5


def test_a_mode_ends_by_itself_when_its_time_is_up(crew, freeze) -> None:
    w = crew.world
    with freeze(dt.datetime(2025, 6, 1, 8, 0, tzinfo=dt.UTC)) as frozen:
        switch(crew.district_dispatcher, w.county)
        assert selectors.deadline_factor(w.grid_a.pk, clock.now()) == 0.5
        frozen.tick(dt.timedelta(hours=25))
        assert selectors.deadline_factor(w.grid_a.pk, clock.now()) == 1.0
        with pytest.raises(DomainError):
            services.end_mode(ModePeriod.objects.get(), actor=crew.district_dispatcher, reason="x")


def test_the_log_shows_a_town_its_own_and_the_districts_periods_not_another_towns(crew) -> None:
    w = crew.world
    district = switch(crew.district_dispatcher, w.county)
    town_a = switch(crew.leader_a, w.town_a, Mode.WARTIME)
    town_b = switch(crew.leader_b, w.town_b)
    assert set(selectors.periods_for_user(crew.leader_a)) == {district, town_a}
    assert set(selectors.periods_for_user(crew.district_leader)) == {district, town_a, town_b}
    assert not selectors.periods_for_user(crew.clerk_a).exists()
