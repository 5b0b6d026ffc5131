"""The password policy: each rule, the history, and a password due for a change comes first."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tiaojie.accounts.passwords import character_classes
from tiaojie.accounts.roles import Role
from tiaojie.core.models import DemoMarker

pytestmark = pytest.mark.django_db

STRONG = "Xq7#mP2v!Lr9"


def _codes(password: str, user) -> set[str | None]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return {e.code for e in exc.error_list}
    return set()


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("Xq7#mP2v!L", "password_too_short"),  # 10 characters, every class
        ("Admin@12345", "password_too_short"),
        ("abcdefghijkmn", "password_too_plain"),  # one class
        ("abcdefgh12345", "password_too_plain"),  # two classes
        ("98765432109876", "password_entirely_numeric"),
        ("Password1234", "password_too_common"),
        ("clerk_a_Xq7#", "password_too_similar"),  # the user name in it
    ],
)
def test_each_rule_rejects_a_weak_password(world, password: str, rule: str) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK, password="Ab1!" * 4)
    assert rule in _codes(password, clerk)


def test_a_long_password_of_three_classes_passes(world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    assert _codes("Harbour-lights-42", clerk) == set()
    assert _codes("窗口受理Clerk#2026", clerk) == set()  # Chinese characters count as symbols
    assert character_classes("Harbour-lights-42") == 4


def test_the_rules_are_settings(world, settings) -> None:
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "tiaojie.accounts.passwords.CharacterClassValidator",
            "OPTIONS": {"min_classes": 4},
        }
    ]
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    assert "password_too_plain" in _codes("Harbourlights42", clerk)
    assert _codes("Harbour-lights-42", clerk) == set()


def test_the_messages_are_chinese(client, world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    client.force_login(clerk)
    body = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": STRONG,
            "new_password1": "abcdefgh12345",
            "new_password2": "abcdefgh12345",
        },
    ).content.decode()
    assert "密码须至少包含小写字母、大写字母、数字、符号中的 3 类" in body


def _change(client, old: str, new: str):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_the_last_five_passwords_cannot_come_back(client, world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    client.force_login(clerk)
    history = [STRONG, "Harbour-lights-1", "Harbour-lights-2", "Harbour-lights-3"]
    for old, new in itertools.pairwise(history):
        assert _change(client, old, new).status_code == 302
    for reused in history:
        response = _change(client, history[-1], reused)
        assert response.status_code == 200
        assert "新密码不能与最近 5 次使用过的密码相同" in response.content.decode()
    assert _change(client, history[-1], "Harbour-lights-4").status_code == 302


def test_a_new_password_is_recorded_and_keeps_this_session(client, world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    clerk.password_changed_at = None
    clerk.save()
    client.force_login(clerk)
    response = _change(client, STRONG, "Harbour-lights-42")
    assert response["Location"] == reverse("cases:workbench")
    clerk.refresh_from_db()
    assert clerk.check_password("Harbour-lights-42")
    assert timezone.now() - clerk.password_changed_at < dt.timedelta(minutes=1)
    assert client.get(reverse("cases:workbench")).status_code == 200


def test_a_password_older_than_90_days_must_be_changed_before_anything_else(client, world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    clerk.password_changed_at = timezone.now() - dt.timedelta(days=89)
    clerk.save()
    client.force_login(clerk)
    assert client.get(reverse("cases:list")).status_code == 200
    clerk.password_changed_at = timezone.now() - dt.timedelta(days=91)
    clerk.save()
    for url in (reverse("cases:list"), reverse("cases:workbench"), "/api/v1/me"):
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401
            assert response.json()["code"] == "password_change_required"
        else:
            assert response.status_code == 302
            assert response["Location"] == (
                reverse("accounts:password_change") + "?next=" + url.replace("/", "%2F")
            )
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "密码每 90 天须更换一次" in page
    response = client.post(
        reverse("accounts:password_change") + "?next=/cases/",
        {
            "old_password": STRONG,
            "new_password1": "Harbour-lights-42",
            "new_password2": "Harbour-lights-42",
            "next": "/cases/",
        },
    )
    assert response["Location"] == "/cases/"
    assert client.get(reverse("cases:list")).status_code == 200


def test_the_expiry_is_a_setting(client, world, settings) -> None:
    settings.TIAOJIE_PASSWORD_MAX_AGE_DAYS = 0  # never
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    clerk.password_changed_at = timezone.now() - dt.timedelta(days=400)
    clerk.save()
    client.force_login(clerk)
    assert client.get(reverse("cases:workbench")).status_code == 200


def test_a_password_set_by_an_administrator_is_changed_at_the_first_sign_in(client, world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    clerk.password_changed_at = None
    clerk.save()
    client.force_login(clerk)
    response = client.get(reverse("cases:workbench"))
    assert response["Location"].startswith(reverse("accounts:password_change"))
    assert "您的密码由管理员设置" in client.get(response["Location"]).content.decode()


def test_the_demos_shared_passwords_never_expire(client, world) -> None:
    DemoMarker.objects.create(seed=1, version="1", digest="x")
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    clerk.password_changed_at = timezone.now() - dt.timedelta(days=400)
    clerk.save()
    client.force_login(clerk)
    assert client.get(reverse("cases:workbench")).status_code == 200
