"""Lifecycle actions through the JSON API: versions, 409 on conflict, clear errors."""

from __future__ import annotations

import pytest

from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.cases.workflow import Status
from tiaojie.core.enums import CaseKind, Category, Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK, Role.DISPATCHER)
    return services.register_case(
        actor=Actor(clerk),
        kind=CaseKind.DISPUTE,
        category=Category.LABOUR,
        channel=Channel.PHONE,
        title="欠薪",
        description="拖欠工资三个月。",
        region=world.village_a,
        parties=[PartyInput(name="吴九")],
    )


def _post(client, code: str, action: str, **body):
    return client.post(
        f"/api/v1/cases/{code}/actions/{action}", body, content_type="application/json"
    )


def test_an_action_returns_the_new_state_and_the_next_actions(client, world, case) -> None:
    client.force_login(world.users["clerk_a"])
    detail = client.get(f"/api/v1/cases/{case.code}").json()
    assert detail["actions"] == [
        "accept",
        "decline",
        "supervise",
        "merge",
        "withdraw",
        "attach",
        "label",
        "set_risk",
    ]
    response = _post(client, case.code, "accept", version=detail["version"])
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "accepted" and body["version"] == detail["version"] + 1
    assert "assign" in body["actions"]


def test_assigning_takes_unit_ids(client, world, case) -> None:
    client.force_login(world.users["clerk_a"])
    case = services.accept(case, actor=Actor(world.users["clerk_a"]))
    response = _post(
        client,
        case.code,
        "assign",
        version=case.version,
        lead=world.hrss.pk,
        assisting=[world.committee_a.pk],
        override_reason="涉及欠薪，人社部门牵头",  # the catalogue proposes the village
    )
    assert response.status_code == 200, response.json()
    assert response.json()["lead_unit"] == world.hrss.name


def test_a_stale_version_answers_409_and_writes_nothing(client, world, case) -> None:
    client.force_login(world.users["clerk_a"])
    stale = case.version
    assert _post(client, case.code, "accept", version=stale).status_code == 200
    response = _post(client, case.code, "withdraw", version=stale, reason="撤回")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.event_count == 2


def test_missing_input_and_disallowed_actions_answer_400(client, world, case) -> None:
    client.force_login(world.users["clerk_a"])
    missing = _post(client, case.code, "decline", version=case.version, reason="x")
    assert missing.status_code == 400 and missing.json()["code"] == "invalid_input"
    wrong = _post(client, case.code, "resolve", version=case.version, outcome="x")
    assert wrong.status_code == 400 and wrong.json()["code"] == "action_not_allowed"
    case.refresh_from_db()
    assert case.event_count == 1


def test_out_of_scope_and_unknown_actions_answer_404(client, world, case) -> None:
    client.force_login(world.user("clerk_b", world.center_b, Role.WINDOW_CLERK))
    assert _post(client, case.code, "accept", version=case.version).status_code == 404
    client.force_login(world.users["clerk_a"])
    assert _post(client, case.code, "teleport", version=case.version).status_code == 404


def test_the_history_is_served_with_its_hashes(client, world, case) -> None:
    client.force_login(world.users["clerk_a"])
    events = client.get(f"/api/v1/cases/{case.code}/events").json()
    assert [e["action"] for e in events] == ["register"]
    assert len(events[0]["hash"]) == 64
