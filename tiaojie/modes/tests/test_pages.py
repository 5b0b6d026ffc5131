"""The dispatch mode page (switch, end early, log) and the banner on every staff page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tiaojie.core import clock
from tiaojie.modes import services
from tiaojie.modes.models import Mode, ModePeriod

from .conftest import switch

pytestmark = pytest.mark.django_db


def _switch(client, scope, **data):
    return client.post(
        reverse("modes:index"),
        {"mode": Mode.URGENT, "scope": scope.pk, "hours": "24", "reason": "汛期防汛", **data},
    )


def test_a_town_leader_switches_her_town_on_the_page_and_ends_it_early(crew, login) -> None:
    client = login(crew.leader_a)
    page = client.get(reverse("modes:index"))
    assert page.status_code == 200 and b'data-testid="switch-form"' in page.content
    scopes = page.context["form"].fields["scope"].queryset
    assert list(scopes) == [crew.world.town_a]

    response = _switch(client, crew.world.town_a)
    assert response.status_code == 302
    period = ModePeriod.objects.get()
    assert period.scope == crew.world.town_a and period.started_by == crew.leader_a
    assert dt.timedelta(hours=23) < period.ends_at - clock.now() <= dt.timedelta(hours=24)

    page = client.get(reverse("modes:index"))
    assert b'data-testid="end-form"' in page.content
    response = client.post(reverse("modes:end", args=[period.pk]), {"reason": "险情排除"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.ended_by == crew.leader_a and period.end_reason == "险情排除"
    log = client.get(reverse("modes:index")).content.decode()
    assert "险情排除" in log and "汛期防汛" in log


def test_the_page_refuses_a_town_switching_another_town_or_the_district(crew, login) -> None:
    client = login(crew.leader_a)
    for scope in (crew.world.town_b, crew.world.county):
        response = _switch(client, scope)
        assert response.status_code == 400
    assert not ModePeriod.objects.exists()


def test_a_reason_is_required_on_the_page(crew, login) -> None:
    response = _switch(login(crew.district_dispatcher), crew.world.county, reason="")
    assert response.status_code == 400 and not ModePeriod.objects.exists()


def test_ending_someone_elses_scope_is_refused(crew, login) -> None:
    district = switch(crew.district_dispatcher, crew.world.county, Mode.WARTIME, reason="地震应急")
    town_b = switch(crew.leader_b, crew.world.town_b, reason="桥南镇汛情")
    client = login(crew.leader_a)
    page = client.get(reverse("modes:index"))
    assert b'data-testid="end-form"' not in page.content  # sees the district's, may not end it
    assert "地震应急" in page.content.decode() and "桥南镇汛情" not in page.content.decode()
    assert client.post(reverse("modes:end", args=[district.pk]), {"reason": "x"}).status_code == 403
    assert client.post(reverse("modes:end", args=[town_b.pk]), {"reason": "x"}).status_code == 404
    assert ModePeriod.objects.filter(ended_at=None).count() == 2


def test_people_without_a_say_neither_switch_nor_read_the_log(crew, login) -> None:
    for user in (crew.clerk_a, crew.handler):
        client = login(user)
        assert client.get(reverse("modes:index")).status_code == 403
        assert _switch(client, crew.world.town_a).status_code == 403


def test_the_banner_shows_on_staff_pages_while_active_and_not_after(crew, login) -> None:
    client = login(crew.clerk_a)
    pages = [reverse("cases:workbench"), reverse("cases:list"), reverse("accounts:inbox")]
    for url in pages:
        assert b'data-testid="mode-banner"' not in client.get(url).content

    period = switch(crew.district_dispatcher, crew.world.town_a, reason="防汛应急响应")
    for url in pages:
        body = client.get(url).content.decode()
        assert 'data-testid="mode-banner"' in body and "防汛应急响应" in body, url
        assert crew.world.town_a.name in body
    # The public portal is not a staff page, and another town is not concerned.
    assert b"mode-banner" not in client.get(reverse("portal:home")).content
    other = login(crew.leader_b)
    assert b"mode-banner" not in other.get(reverse("cases:workbench")).content
    # The district center sees its towns' modes.
    district = login(crew.district_leader)
    assert b"mode-banner" in district.get(reverse("cases:workbench")).content

    services.end_mode(period, actor=crew.district_dispatcher, reason="解除")
    client = login(crew.clerk_a)
    for url in pages:
        assert b'data-testid="mode-banner"' not in client.get(url).content
