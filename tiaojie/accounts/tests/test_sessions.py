"""Sessions end after 30 idle minutes, after 12 hours in all, and when the user is disabled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from tiaojie.accounts import signals
from tiaojie.accounts.models import UserSession
from tiaojie.accounts.roles import Role
from tiaojie.accounts.services import change_password, deactivate_user
from tiaojie.accounts.testing import StaffClient
from tiaojie.core.errors import DomainError

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
WORKBENCH = "/workbench/"


def test_idle_sessions_slide_with_activity_and_end_after_30_minutes(world, freeze) -> None:
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    client = StaffClient()
    with freeze(START) as frozen:
        client.force_login(clerk)
        key = client.session.session_key
        for _step in range(3):  # an hour and a half of work, never 30 minutes idle
            frozen.tick(dt.timedelta(minutes=29))
            assert client.get(WORKBENCH).status_code == 200
        frozen.tick(dt.timedelta(minutes=30, seconds=1))
        response = client.get(WORKBENCH)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        # The server forgot it: the old cookie is worth nothing.
        now = START + dt.timedelta(minutes=3 * 29 + 30, seconds=1)
        assert not Session.objects.filter(session_key=key, expire_date__gt=now).exists()


def test_a_sign_in_lasts_12_hours_however_busy(world, freeze) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    client = StaffClient()
    with freeze(START) as frozen:
        client.force_login(clerk)
        for _step in range(36):  # every 20 minutes for 12 hours
            frozen.tick(dt.timedelta(minutes=20))
            assert client.get(WORKBENCH).status_code == 200
        frozen.tick(dt.timedelta(minutes=1))
        response = client.get(WORKBENCH)
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "本次登录已达到时长上限" in page
        assert client.get("/api/v1/me").status_code == 401


def test_the_absolute_limit_is_a_setting(world, freeze, settings) -> None:
    settings.TIAOJIE_SESSION_MAX_SECONDS = 3600
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    client = StaffClient()
    with freeze(START) as frozen:
        client.force_login(clerk)
        for minutes in (20, 20, 19):
            frozen.tick(dt.timedelta(minutes=minutes))
            assert client.get(WORKBENCH).status_code == 200
        frozen.tick(dt.timedelta(minutes=2))
        assert client.get(WORKBENCH).status_code == 302


def test_disabling_a_user_ends_all_their_sessions_at_once(world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    secadmin = world.user("secadmin", world.center, Role.SECADMIN)
    office, phone = StaffClient(), StaffClient()
    office.force_login(clerk)
    phone.force_login(clerk)
    assert UserSession.objects.filter(user=clerk).count() == 2
    heard: list[dict] = []

    def note(sender, **kwargs) -> None:
        heard.append(kwargs)

    signals.user_deactivated.connect(note)
    try:
        deactivate_user(user=clerk, actor=secadmin)
    finally:
        signals.user_deactivated.disconnect(note)
    assert not UserSession.objects.filter(user=clerk).exists()
    for client in (office, phone):
        assert not Session.objects.filter(session_key=client.session.session_key).exists()
        assert client.get(WORKBENCH).status_code == 302
    assert [(h["user"], h["actor"], h["request"]) for h in heard] == [(clerk, secadmin, None)]
    # Enabling the account again does not bring an old session back.
    clerk.is_active = True
    clerk.save()
    assert office.get(WORKBENCH).status_code == 302


def test_any_save_that_disables_a_user_ends_their_sessions(world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    client = StaffClient()
    client.force_login(clerk)
    heard: list[dict] = []

    def note(sender, **kwargs) -> None:
        heard.append(kwargs)

    signals.user_deactivated.connect(note)
    try:
        clerk.real_name = "改名"
        clerk.save()  # still active: nothing ends
        assert client.get(WORKBENCH).status_code == 200
        clerk.is_active = False
        clerk.save()  # as an admin screen would
    finally:
        signals.user_deactivated.disconnect(note)
    assert client.get(WORKBENCH).status_code == 302
    assert [(h["user"], h["actor"]) for h in heard] == [(clerk, None)]


def test_only_account_administrators_disable_users(world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    auditor = world.user("auditor", world.center, Role.AUDITOR)
    with pytest.raises(DomainError):
        deactivate_user(user=clerk, actor=auditor)
    clerk.refresh_from_db()
    assert clerk.is_active


def test_a_new_password_ends_the_other_sessions_but_not_this_one(world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    here, elsewhere = StaffClient(), StaffClient()
    here.force_login(clerk)
    elsewhere.force_login(clerk)
    response = here.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Xq7#mP2v!Lr9",
            "new_password1": "Harbour-lights-42",
            "new_password2": "Harbour-lights-42",
        },
    )
    assert response.status_code == 302
    assert here.get(WORKBENCH).status_code == 200
    assert elsewhere.get(WORKBENCH).status_code == 302
    assert UserSession.objects.filter(user=clerk).count() == 1
    # Without a request (a command) every session ends.
    change_password(user=clerk, new_password="Harbour-lights-43")
    assert here.get(WORKBENCH).status_code == 302


def test_signing_out_leaves_nothing_to_replay(world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    client = StaffClient()
    client.force_login(clerk)
    key = client.session.session_key
    assert key
    response = client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(user=clerk).exists()
    # The browser is asked to forget the site's cached pages, cookies and storage too.
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    client.cookies[django_settings.SESSION_COOKIE_NAME] = key
    assert client.get(WORKBENCH).status_code == 302
