"""Security labels (安全标记): a sensitive case's contents reach only cleared staff."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from tiaojie.accounts.roles import Role
from tiaojie.audit.models import AuditEntry, AuditKind
from tiaojie.cases import services
from tiaojie.cases.attachments import attach
from tiaojie.cases.models import CaseEvent, Sensitivity
from tiaojie.cases.services import ActionNotAllowed, Actor, PartyInput
from tiaojie.cases.tests.samples import png
from tiaojie.core.enums import CaseKind, Category, Channel
from tiaojie.core.errors import DomainError

pytestmark = pytest.mark.django_db

NOTES = "申请人长期失眠，有抑郁倾向，正接受心理疏导。"
WORD = "抑郁"  # also in the description: text search must not reveal it


@pytest.fixture
def labelled(world):
    dispatcher = world.user("dispatcher_a", world.center_a, Role.DISPATCHER)
    dispatcher.sensitive_clearance = True
    dispatcher.save()
    case = services.register_case(
        actor=Actor(dispatcher),
        kind=CaseKind.DISPUTE,
        category=Category.MARRIAGE_FAMILY,
        channel=Channel.WINDOW,
        title="家庭矛盾调解",
        description=f"夫妻矛盾，女方{WORD}，涉及未成年子女抚养。",
        region=world.village_a,
        parties=[PartyInput(name="陈某", phone="13912345678")],
    )
    attach(
        case,
        actor=Actor(dispatcher),
        file=SimpleUploadedFile("诊断.png", png(8, 8)),
        description="医院诊断",
    )
    services.set_label(
        case,
        actor=Actor(dispatcher),
        sensitivity=Sensitivity.SENSITIVE,
        notes=NOTES,
        reason="涉及心理健康和未成年人",
    )
    world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)  # in scope, not cleared
    return case


def test_the_label_is_in_the_history_and_the_audit_log_but_the_notes_are_not(labelled) -> None:
    event = CaseEvent.objects.filter(case=labelled, action="label").get()
    assert event.payload == {"sensitivity": "sensitive", "notes_changed": True}
    assert NOTES not in str(event.payload) + event.reason
    entry = AuditEntry.objects.filter(kind=AuditKind.SECURITY_LABEL).get()
    assert entry.target_id == labelled.code and entry.detail["to"] == "sensitive"
    with connection.cursor() as cursor:
        cursor.execute("SELECT sensitive_notes FROM cases_case WHERE id = %s", [labelled.pk])
        assert NOTES not in cursor.fetchone()[0]  # encrypted at rest


def test_staff_without_clearance_see_only_the_shell(client, world, labelled) -> None:
    client.force_login(world.users["clerk_a"])
    page = client.get(reverse("cases:detail", args=[labelled.code]))
    body = page.content.decode()
    assert page.status_code == 200 and labelled.title in body and 'data-testid="restricted"' in body
    for secret in (WORD, NOTES, "陈某", "诊断.png", "心理健康"):
        assert secret not in body
    attachment = labelled.attachments.get()
    assert (
        client.get(reverse("cases:attachment", args=[labelled.code, attachment.pk])).status_code
        == 404
    )
    api = client.get(f"/api/v1/cases/{labelled.code}").json()
    assert api["title"] == labelled.title and api["description"] == ""
    events = client.get(f"/api/v1/cases/{labelled.code}/events").json()
    assert all(e["reason"] == "" for e in events)
    assert client.get(f"/api/v1/cases/{labelled.code}/attachments").status_code == 404
    # Searching the text does not find it; the code still does.
    assert labelled.code not in client.get(reverse("cases:list"), {"q": WORD}).content.decode()
    assert labelled.code in client.get(reverse("cases:list"), {"q": labelled.code}).content.decode()
    with pytest.raises(ActionNotAllowed):
        attach(
            labelled,
            actor=Actor(world.users["clerk_a"]),
            file=SimpleUploadedFile("x.png", png(8, 8)),
        )


def test_cleared_staff_read_everything(client, world, labelled) -> None:
    client.force_login(world.users["dispatcher_a"])
    body = client.get(reverse("cases:detail", args=[labelled.code])).content.decode()
    assert NOTES in body and WORD in body and "诊断.png" in body and "restricted" not in body
    assert labelled.code in client.get(reverse("cases:list"), {"q": WORD}).content.decode()


def test_notes_need_the_sensitive_label(world, labelled) -> None:
    dispatcher = Actor(world.users["dispatcher_a"])
    with pytest.raises(DomainError) as excinfo:
        services.set_label(
            labelled, actor=dispatcher, sensitivity=Sensitivity.ORDINARY, reason="误标"
        )
    assert excinfo.value.code == "notes_need_label"
    services.set_label(
        labelled, actor=dispatcher, sensitivity=Sensitivity.ORDINARY, notes="", reason="误标"
    )
    labelled.refresh_from_db()
    assert (labelled.sensitivity, labelled.sensitive_notes) == ("ordinary", "")


def test_someone_without_clearance_cannot_wipe_the_notes(client, world, labelled) -> None:
    leader = world.user("leader_a", world.center_a, Role.LEADER)
    client.force_login(leader)
    client.post(
        reverse("cases:act", args=[labelled.code, "label"]),
        {
            "label-version": labelled.version,
            "label-sensitivity": "sensitive",
            "label-notes": "",
            "label-reason": "复核标记",
        },
    )
    labelled.refresh_from_db()
    assert labelled.sensitive_notes == NOTES and labelled.version > 1


def test_the_security_administrator_gives_clearance(client, world, labelled) -> None:
    secadmin = world.user("secadmin", world.center, Role.SECADMIN)
    clerk = world.users["clerk_a"]
    client.force_login(secadmin)
    client.post(
        reverse("administration:roles", args=[clerk.pk]),
        {"roles": [Role.WINDOW_CLERK], "sensitive_clearance": "on"},
    )
    clerk.refresh_from_db()
    assert clerk.sensitive_clearance


def test_a_message_about_a_labelled_case_reaches_uncleared_staff_as_its_title_only(
    world, labelled
) -> None:
    from tiaojie.accounts.models import User
    from tiaojie.accounts.notify import Message, notify

    cleared = User.objects.get(username="dispatcher_a")
    uncleared = User.objects.get(username="clerk_a")
    notify(
        [cleared, uncleared],
        Message(kind="test", title="请研判", dedupe_key="t1", body=f"{WORD}情况", case=labelled),
    )

    assert cleared.notifications.get().body == f"{WORD}情况"
    assert uncleared.notifications.get().body == ""
    assert uncleared.notifications.get().title == "请研判"
