"""The auditor's screen: the auditor reads and exports the log; nobody else even sees it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tiaojie.accounts.menu import menu_for
from tiaojie.accounts.roles import Role, roles_conflict
from tiaojie.audit.models import AuditEntry, AuditKind, AuditOutcome
from tiaojie.audit.services import record
from tiaojie.core import clock

pytestmark = pytest.mark.django_db

LOG, EXPORT = reverse("audit:log"), reverse("audit:export")


@pytest.fixture
def auditor(world):
    return world.user("auditor", world.center, Role.AUDITOR)


def _rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_auditor_reads_the_log(client, world, auditor) -> None:
    record(AuditKind.LOGIN_FAILED, outcome=AuditOutcome.FAILURE, detail={"username": "ghost"})
    client.force_login(auditor)
    response = client.get(LOG)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-menu="audit"' in body
    assert "登录失败" in body and "ghost" in body
    assert "no-store" in response["Cache-Control"]


def test_details_read_as_text_and_json(world) -> None:
    entry = record(AuditKind.ROLE_CHANGED, detail={"added": ["auditor"], "note": "新任", "n": None})
    entry = AuditEntry.objects.get(seq=entry.seq)
    # PostgreSQL's jsonb keeps its own key order: compare the pairs, not their order.
    assert dict(entry.detail_items()) == {"added": '["auditor"]', "note": "新任", "n": "null"}


def test_the_filters_narrow_the_log(client, world, auditor) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    long_ago = timezone.now() - dt.timedelta(days=40)
    with clock.set_to(long_ago):
        record(AuditKind.LOGIN, actor=clerk)
    record(AuditKind.LOGIN, actor=clerk)
    record(AuditKind.EXPORT, actor=clerk, outcome=AuditOutcome.DENIED)
    client.force_login(auditor)

    def shown(**query: str) -> list[AuditEntry]:
        response = client.get(LOG, query)
        assert response.status_code == 200
        return list(response.context["page"].object_list)

    logins = shown(kind="login", user="clerk_a")
    assert len(logins) == 2 and all(e.actor_id == clerk.pk for e in logins)
    assert [e.kind for e in shown(outcome="denied")] == ["export"]
    yesterday = str(timezone.localdate() - dt.timedelta(days=1))
    assert len(shown(kind="login", user="clerk_a", date_from=yesterday)) == 1
    old = shown(kind="login", date_to=str(timezone.localdate(long_ago)))
    assert len(old) == 1 and old[0].at == long_ago
    assert shown(user=str(clerk.pk), kind="export")[0].outcome == "denied"
    # Nonsense in the filters shows the form's error, not everything.
    response = client.get(LOG, {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert list(response.context["page"].object_list) == []
    assert "开始日期晚于结束日期" in response.content.decode()


def test_the_log_comes_in_pages(client, world, auditor) -> None:
    for n in range(60):
        record(AuditKind.EXPORT, detail={"n": n})
    client.force_login(auditor)
    first = client.get(LOG, {"kind": "export"}).context["page"]
    assert len(first.object_list) == 50 and first.paginator.num_pages == 2
    second = client.get(LOG, {"kind": "export", "page": 2}).context["page"]
    assert [e.detail["n"] for e in second.object_list] == list(range(9, -1, -1))


def test_the_export_is_a_csv_and_is_itself_recorded(client, world, auditor) -> None:
    record(
        AuditKind.LOGIN_FAILED,
        outcome=AuditOutcome.FAILURE,
        detail={"username": "=HYPERLINK(13812345678)"},
    )
    client.force_login(auditor)
    response = client.get(EXPORT, {"kind": "login_failed"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0][:4] == ["seq", "time", "kind", "outcome"]
    assert len(rows) == 2
    assert rows[1][2].startswith("login_failed")
    assert "13812345678" not in str(rows) and "138****5678" in rows[1][11]
    exported = AuditEntry.objects.filter(kind=AuditKind.AUDIT_EXPORT).get()
    assert exported.actor_id == auditor.pk
    assert exported.detail == {"filters": {"kind": "login_failed"}, "rows": 1}


def test_a_spreadsheet_formula_is_not_run(client, world, auditor) -> None:
    record(AuditKind.LOGIN, actor=world.user("=cmd", world.center_a, Role.MEDIATOR))
    client.force_login(auditor)
    rows = _rows(client.get(EXPORT, {"user": "cmd", "kind": "login"}))
    assert [row[5] for row in rows[1:]] == ["'=cmd"]


NOT_AUDITORS = [role for role in Role if role != Role.AUDITOR]


@pytest.mark.parametrize("role", NOT_AUDITORS)
def test_no_other_role_can_read_or_export_the_log(client, world, role: Role) -> None:
    user = world.user(f"u_{role.value}", world.center, role)
    user.is_staff = user.is_superuser = role == Role.SYSADMIN  # not even a superuser
    user.save()
    client.force_login(user)
    assert client.get(LOG).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert not AuditEntry.objects.filter(kind=AuditKind.AUDIT_EXPORT).exists()
    denied = AuditEntry.objects.filter(kind=AuditKind.AUDIT_ACCESS, actor_id=user.pk)
    assert sorted(denied.values_list("target_id", flat=True)) == ["export", "log"]
    assert set(denied.values_list("outcome", flat=True)) == {AuditOutcome.DENIED}
    assert "audit" not in {item.key for item in menu_for(user.role_codes)}


def test_a_stranger_is_sent_to_sign_in(client) -> None:
    for url in (LOG, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_deactivated_auditor_reads_nothing(client, world, auditor) -> None:
    client.force_login(auditor)
    auditor.is_active = False
    auditor.save()
    assert client.get(LOG).status_code in (302, 404)


def test_the_auditor_does_nothing_but_audit(client, world, auditor) -> None:
    """三员分立: no case work, no user or unit management, no admin site, no permissions."""
    case = world.case(world.village_a)
    assert {item.key for item in menu_for(auditor.role_codes)} == {"workbench", "audit"}
    assert auditor.get_all_permissions() == set()
    assert not auditor.is_staff and not auditor.is_superuser
    assert roles_conflict({Role.AUDITOR, Role.SYSADMIN}) is not None
    assert roles_conflict({Role.AUDITOR, Role.DISPATCHER}) is not None
    client.force_login(auditor)
    assert client.get(reverse("cases:detail", args=[case.code])).status_code == 404
    assert case.code not in client.get(reverse("cases:list")).content.decode()
    assert client.get(reverse("accounts:units")).status_code == 403
    assert client.get("/api/v1/cases").json()["count"] == 0
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 302 and "login" in admin["Location"]
