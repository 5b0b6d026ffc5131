"""What lands in the audit log by itself: sign-ins, account and role changes, admin edits."""

from __future__ import annotations

import sys
import types

import pytest
from django.contrib.auth.models import Group, Permission
from django.dispatch import Signal
from django.test import RequestFactory
from django.urls import reverse

from tiaojie.accounts.roles import Role
from tiaojie.audit import receivers
from tiaojie.audit.models import AuditEntry, AuditKind, AuditOutcome
from tiaojie.audit.services import serving
from tiaojie.cases.models import DeadlinePolicy

pytestmark = pytest.mark.django_db

PASSWORD = "Xq7#mP2v!Lr9"


def last(kind: AuditKind) -> AuditEntry:
    return AuditEntry.objects.filter(kind=kind).latest("seq")


def test_a_sign_in_and_a_sign_out_are_recorded(client, world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    client.post(
        reverse("accounts:login"),
        {"username": "clerk_a", "password": PASSWORD},
        REMOTE_ADDR="10.1.1.1",
        HTTP_USER_AGENT="TestBrowser/1.0",
    )
    entry = last(AuditKind.LOGIN)
    assert (entry.actor_id, entry.outcome, entry.ip) == (clerk.pk, AuditOutcome.SUCCESS, "10.1.1.1")
    assert entry.user_agent == "TestBrowser/1.0"
    client.post(reverse("accounts:logout"))
    assert last(AuditKind.LOGOUT).actor_id == clerk.pk
    # Signing in touches last_login: that is not a change to the user worth an entry.
    assert not AuditEntry.objects.filter(kind=AuditKind.USER_CHANGED, seq__gt=entry.seq).exists()


def test_a_failed_sign_in_keeps_the_name_typed_but_never_the_password(client, world) -> None:
    world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    client.post(reverse("accounts:login"), {"username": "clerk_a", "password": "Wrong#Pass99"})
    entry = last(AuditKind.LOGIN_FAILED)
    assert entry.outcome == AuditOutcome.FAILURE
    assert entry.actor_id is None
    assert entry.detail == {"username": "clerk_a"}
    assert "Wrong#Pass99" not in str(AuditEntry.objects.values_list("detail", flat=True)[:])


def test_a_phone_number_typed_as_user_name_is_masked(client, world) -> None:
    client.post(reverse("accounts:login"), {"username": "13912345678", "password": "x"})
    assert last(AuditKind.LOGIN_FAILED).detail == {"username": "139****5678"}


def test_creating_and_changing_a_user_is_recorded_without_personal_data(world) -> None:
    user = world.user("mediator_a", world.center_a, Role.MEDIATOR)
    created = last(AuditKind.USER_CREATED)
    assert created.target_id == str(user.pk)
    user.phone = "13712345678"
    user.is_active = False
    user.save()
    changed = last(AuditKind.USER_CHANGED)
    assert changed.detail["fields"] == ["is_active", "phone"]
    assert changed.detail["values"] == {"is_active": [True, False]}
    assert "13712345678" not in str(changed.detail)


def test_roles_given_and_taken_are_recorded_from_either_side(world) -> None:
    user = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    assert last(AuditKind.ROLE_CHANGED).detail == {"added": ["window_clerk"]}
    dispatcher = Group.objects.get(name=Role.DISPATCHER)
    dispatcher.user_set.add(user)
    entry = last(AuditKind.ROLE_CHANGED)
    assert (entry.target_id, entry.detail) == (str(user.pk), {"added": ["dispatcher"]})
    user.groups.clear()
    assert last(AuditKind.ROLE_CHANGED).detail == {"removed": ["dispatcher", "window_clerk"]}


def test_permission_changes_are_recorded(world) -> None:
    group = Group.objects.get(name=Role.SECADMIN)
    perm = Permission.objects.get(codename="change_deadlinepolicy")
    group.permissions.add(perm)
    entry = last(AuditKind.PERMISSION_CHANGED)
    assert (entry.target_type, entry.detail) == (
        "auth.group",
        {"added": ["cases.change_deadlinepolicy"]},
    )


def test_an_admin_change_is_a_configuration_change_with_who_made_it(client, world) -> None:
    admin = world.user("root", world.center, Role.SYSADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    policy = DeadlinePolicy.objects.create(
        code="test_policy", name="测试时限", days=30, source="测试"
    )
    url = reverse("admin:cases_deadlinepolicy_change", args=[policy.pk])
    data = {
        "code": "test_policy",
        "name": "测试时限",
        "days": 45,
        "working_days": "",
        "extension_days": 0,
        "source": "测试",
    }
    assert client.post(url, data).status_code == 302
    entry = last(AuditKind.CONFIG_CHANGED)
    assert entry.actor_id == admin.pk
    assert (entry.target_type, entry.target_id) == ("cases.deadlinepolicy", str(policy.pk))
    assert entry.detail["action"] == "changed"


def test_account_signals_are_heard_once_they_exist(world, monkeypatch) -> None:
    """Before the accounts work lands there is nothing to hear; after it, every signal is."""
    fake = types.ModuleType("tiaojie.accounts.signals")
    for name in receivers.ACCOUNT_SIGNALS:
        setattr(fake, name, Signal())
    axes = types.ModuleType("axes.signals")
    axes.user_locked_out = Signal()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tiaojie.accounts.signals", fake)
    monkeypatch.setitem(sys.modules, "axes.signals", axes)
    assert sorted(receivers.connect_account_signals()) == sorted(
        [*receivers.ACCOUNT_SIGNALS, "user_locked_out"]
    )
    user = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    secadmin = world.user("secadmin", world.center, Role.SECADMIN)
    request = RequestFactory().post("/", REMOTE_ADDR="10.2.2.2")
    request.user = secadmin
    fake.two_factor_changed.send(sender=None, user=user, request=request, enabled=True)
    entry = last(AuditKind.TWO_FACTOR_CHANGED)
    assert (entry.actor_id, entry.target_id, entry.ip) == (secadmin.pk, str(user.pk), "10.2.2.2")
    assert entry.detail == {"enabled": True}
    fake.password_changed.send(sender=None, user=user, actor=user)
    assert last(AuditKind.PASSWORD_CHANGED).actor_id == user.pk
    with serving(request):
        fake.user_deactivated.send(sender=None, user=user, sessions_ended=2)
    entry = last(AuditKind.USER_DEACTIVATED)
    assert (entry.actor_id, entry.detail) == (secadmin.pk, {"sessions_ended": 2})
    axes.user_locked_out.send("axes", request=request, username="13812345678", ip_address="x")
    entry = last(AuditKind.LOCKOUT)
    assert (entry.outcome, entry.detail) == (AuditOutcome.DENIED, {"username": "138****5678"})


def test_without_the_account_signals_nothing_breaks(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "tiaojie.accounts.signals", None)  # import fails
    monkeypatch.setitem(sys.modules, "axes.signals", None)
    assert receivers.connect_account_signals() == []
