"""record(): who, from where, what — no personal data — and entries that outlive a rollback."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import RequestFactory

from tiaojie.accounts.roles import Role
from tiaojie.audit.models import AuditEntry, AuditKind, AuditOutcome
from tiaojie.audit.services import Target, record, scrub, serving

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"


def test_who_when_and_from_where(world, settings) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Mozilla/5.0 " + "x" * 300
    )
    request.user = clerk
    entry = record(AuditKind.EXPORT, request=request, target=Target("case_list", "town"))
    entry = AuditEntry.objects.get(seq=entry.seq)
    assert (entry.actor_id, entry.username) == (clerk.pk, "clerk_a")
    assert (entry.unit_id, entry.unit_name) == (world.center_a.pk, "下邽镇综治中心")
    assert entry.ip == "10.1.2.3"
    assert entry.user_agent.startswith("Mozilla/5.0") and len(entry.user_agent) == 120
    assert (entry.target_type, entry.target_id) == ("case_list", "town")
    assert entry.outcome == AuditOutcome.SUCCESS


def test_the_proxy_address_is_trusted_only_behind_our_proxy(world, settings) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.9.8.7"
    )
    settings.BEHIND_PROXY = False
    assert record(AuditKind.LOGOUT, request=request).ip == "127.0.0.1"
    settings.BEHIND_PROXY = True
    # Only the last hop is the proxy's own; the client could have written the first.
    assert record(AuditKind.LOGOUT, request=request).ip == "10.9.8.7"


def test_id_and_phone_numbers_are_masked_wherever_they_appear(world) -> None:
    entry = record(
        AuditKind.LOGIN_FAILED,
        outcome=AuditOutcome.FAILURE,
        detail={"username": PHONE, "note": f"身份证{ID_NUMBER}，电话+86 {PHONE}", "n": [PHONE]},
    )
    stored = AuditEntry.objects.get(seq=entry.seq)
    text = str(stored.detail)
    assert ID_NUMBER not in text and PHONE not in text
    assert stored.detail["username"] == "138****5678"
    assert "**************002X" in stored.detail["note"]
    assert scrub("case 2025000123 at 10:30") == "case 2025000123 at 10:30"


def test_a_phone_number_as_user_name_is_masked_too(world) -> None:
    user = world.user(PHONE, world.center_a, Role.MEDIATOR)
    entry = record(AuditKind.LOGIN, actor=user)
    assert entry.username == "138****5678"
    assert entry.actor_id == user.pk


def test_a_failure_recorded_after_the_rollback_survives_it(world) -> None:
    """The edge records the failed attempt once the action's transaction is gone."""
    before = AuditEntry.objects.count()
    with pytest.raises(ValueError), transaction.atomic():
        record(AuditKind.CONFIG_CHANGED, detail={"step": "half"})
        raise ValueError("the action failed")
    record(AuditKind.CONFIG_CHANGED, outcome=AuditOutcome.FAILURE, detail={"step": "failed"})
    kept = list(AuditEntry.objects.order_by("seq").values_list("detail", flat=True))[before:]
    # The success entry went with its change; the failure entry stays.
    assert kept == [{"step": "failed"}]


def test_a_failure_cannot_be_recorded_where_a_rollback_would_erase_it(world) -> None:
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        record(AuditKind.EXPORT, outcome=AuditOutcome.DENIED)


def test_model_signals_inside_a_request_know_who_acted(world) -> None:
    admin = world.user("sysadmin", world.center, Role.SYSADMIN)
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    request = RequestFactory().post("/admin/", REMOTE_ADDR="10.0.0.5")
    request.user = admin
    with serving(request):
        clerk.title = "科员"
        clerk.save()
    entry = AuditEntry.objects.filter(kind=AuditKind.USER_CHANGED).latest("seq")
    assert (entry.actor_id, entry.ip) == (admin.pk, "10.0.0.5")
    assert (entry.target_type, entry.target_id) == ("accounts.user", str(clerk.pk))
    assert entry.detail == {"fields": ["title"], "values": {}}
