"""Showing a party's personal data in full: a reason, an audit entry, one response, no cache."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tiaojie.accounts.roles import Role
from tiaojie.audit.models import AuditEntry, AuditKind, AuditOutcome
from tiaojie.cases import services
from tiaojie.cases.disclosure import FULL_VIEW_ROLES
from tiaojie.cases.models import Case
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.core.enums import CaseKind, Category, Channel

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"
ADDRESS = "陕西省渭南市临渭区下邽镇东庆村3组12号"


@pytest.fixture
def case(world) -> Case:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    return services.register_case(
        actor=Actor(clerk),
        kind=CaseKind.DISPUTE,
        category=Category.NEIGHBOURHOOD,
        channel=Channel.WINDOW,
        title="宅基地边界纠纷",
        description="两户因院墙位置争执。",
        region=world.village_a,
        parties=[
            PartyInput(name="张三", id_number=ID_NUMBER, phone=PHONE, address=ADDRESS),
            PartyInput(name="李四", role="respondent"),
        ],
    )


def _url(case: Case) -> str:
    party = case.parties.get(person__name="张三")
    return reverse("cases:party_in_full", args=[case.code, party.pk])


def _full_views() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(kind=AuditKind.FULL_VIEW).order_by("seq"))


def test_the_case_page_masks_every_party(client, world, case) -> None:
    client.force_login(world.users["clerk_a"])
    body = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert ID_NUMBER not in body and PHONE not in body and ADDRESS not in body
    assert "**************002X" in body and "138****5678" in body and "陕西省渭南市****" in body
    assert 'data-testid="full-view-form"' in body


def test_a_reason_shows_the_data_once_and_is_recorded(client, world, case) -> None:
    clerk = world.users["clerk_a"]
    client.force_login(clerk)
    response = client.post(_url(case), {"reason": "电话回访当事人"}, REMOTE_ADDR="10.3.3.3")
    assert response.status_code == 200
    body = response.content.decode()
    assert ID_NUMBER in body and PHONE in body and ADDRESS in body
    assert "no-store" in response["Cache-Control"]
    entry = _full_views()[-1]
    assert (entry.actor_id, entry.outcome, entry.ip) == (clerk.pk, AuditOutcome.SUCCESS, "10.3.3.3")
    assert (entry.target_type, entry.target_id) == ("case", case.code)
    assert entry.detail["reason"] == "电话回访当事人"
    assert entry.detail["fields"] == ["id_number", "phone", "address"]
    assert PHONE not in str(entry.detail) and ID_NUMBER not in str(entry.detail)
    # The next page is masked again: nothing was kept for later.
    again = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert PHONE not in again


def test_a_phone_number_typed_into_the_reason_is_masked_in_the_log(client, world, case) -> None:
    client.force_login(world.users["clerk_a"])
    client.post(_url(case), {"reason": f"核对号码{PHONE}"})
    assert _full_views()[-1].detail["reason"] == "核对号码138****5678"


def test_no_reason_no_data(client, world, case) -> None:
    client.force_login(world.users["clerk_a"])
    response = client.post(_url(case), {"reason": "   "})
    assert response.status_code == 400
    body = response.content.decode()
    assert PHONE not in body and 'data-testid="full-view-error"' in body
    assert _full_views() == []


def test_only_a_post_shows_it(client, world, case) -> None:
    client.force_login(world.users["clerk_a"])
    assert client.get(_url(case)).status_code == 405


@pytest.mark.parametrize("role", sorted(FULL_VIEW_ROLES))
def test_roles_that_work_cases_may_see_in_full(client, world, case, role: str) -> None:
    client.force_login(world.user(f"u_{role}", world.center_a, role))
    assert client.post(_url(case), {"reason": "核实身份"}).status_code == 200


@pytest.mark.parametrize("role", [Role.LEADER, Role.INSPECTOR])
def test_readers_of_the_case_may_not_and_the_refusal_is_recorded(client, world, case, role) -> None:
    user = world.user(f"u_{role}", world.center_a, role)
    client.force_login(user)
    body = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert 'data-testid="full-view-form"' not in body
    response = client.post(_url(case), {"reason": "想看看"})
    assert response.status_code == 403
    assert PHONE not in response.content.decode()
    entry = _full_views()[-1]
    assert (entry.actor_id, entry.outcome) == (user.pk, AuditOutcome.DENIED)


@pytest.mark.parametrize("role", [Role.WINDOW_CLERK, Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR])
def test_out_of_scope_is_not_found(client, world, case, role) -> None:
    # A clerk of the other town, and the three administrators (who see no cases at all).
    unit = world.center_b if role == Role.WINDOW_CLERK else world.center
    client.force_login(world.user(f"u_{role}", unit, role))
    assert client.post(_url(case), {"reason": "x"}).status_code == 404
    assert _full_views() == []


def test_a_party_of_another_case_is_not_found(client, world, case) -> None:
    other = world.case(world.village_a, first_unit=world.center_a)
    party = case.parties.get(person__name="张三")
    client.force_login(world.users["clerk_a"])
    url = reverse("cases:party_in_full", args=[other.code, party.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert _full_views() == []
