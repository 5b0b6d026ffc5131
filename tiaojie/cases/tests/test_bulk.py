"""The bulk path for past cases writes exactly what the services write for the same cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tiaojie.accounts.roles import Role
from tiaojie.cases import bulk, policies
from tiaojie.cases.history import verify_all
from tiaojie.cases.models import Case, Person
from tiaojie.cases.search import search_cases
from tiaojie.cases.services import Actor, PartyInput, register_case
from tiaojie.cases.workflow import Status
from tiaojie.core.errors import DomainError
from tiaojie.core.idnumber import check_digit
from tiaojie.testing.case_rows import written_then_undone

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=8))


def _id(seventeen: str) -> str:
    return seventeen + check_digit(seventeen)


def _cases(world: Any) -> list[bulk.PastCase]:
    same_person = _id("61050219800101001")
    applicant = PartyInput(name="王某某", id_number=same_person, phone="13912345678")
    return [
        bulk.PastCase(
            kind="dispute",
            category="neighbourhood",
            channel="visit",
            title="邻里噪音纠纷",
            description="楼上装修噪音扰民。",
            region=world.village_a,
            parties=[applicant, PartyInput(name="赵某", role="respondent")],
            received_at=dt.datetime(2024, 3, 1, tzinfo=TZ),
            address="下邽镇东庆村三组",
            ending=bulk.Ending.RESOLVED,
            concluded_at=dt.datetime(2024, 3, 20, tzinfo=TZ),
            outcome="双方达成调解协议，已履行。",
            source={"ledger": 7, "row": 2},
        ),
        bulk.PastCase(
            kind="petition",
            category="labour",
            channel="letter",
            title="拖欠工资",
            description="工地拖欠农民工工资。",
            region=world.town_a,
            parties=[applicant],
            received_at=dt.datetime(2024, 12, 30, 15, 30, tzinfo=TZ),
            people_count=6,
            ending=bulk.Ending.UNRESOLVED,
            concluded_at=dt.datetime(2025, 1, 8, tzinfo=TZ),
            outcome="引导申请劳动仲裁。",
        ),
        bulk.PastCase(
            kind="request",
            category="other",
            channel="phone",
            title="路灯不亮",
            description="村口路灯损坏。",
            region=world.grid_a,
            parties=[PartyInput(name="李某", phone="0913-2123456")],
            received_at=dt.datetime(2025, 2, 3, 9, 0, tzinfo=TZ),
        ),
    ]


def test_bulk_writes_what_the_services_write(world) -> None:
    dispatcher = Actor(world.user("disp_a", world.center_a, Role.DISPATCHER))
    # Someone met before: both paths must find them rather than create them again.
    Person.objects.create(name="旧当事人", id_number="")
    for code in policies.DEFAULTS:  # written on first use: both runs must find the same rows
        policies.policy(code)
    cases = _cases(world)

    by_services = written_then_undone(
        lambda: [bulk.register_past_case(c, actor=dispatcher).pk for c in cases]
    )
    by_bulk = written_then_undone(
        lambda: bulk.register_past_cases(cases, actor=dispatcher, batch=2)
    )

    assert by_bulk == by_services
    closed = by_bulk[0]
    assert closed["case"]["status"] == Status.CLOSED
    assert [e["action"] for e in closed["events"]] == [
        "register",
        "accept",
        "assign",
        "check_in",
        "resolve",
        "close",
    ]
    assert closed["events"][0]["payload"]["source"] == {"ledger": 7, "row": 2}
    # The applicant of the first two cases is one person.
    assert by_bulk[0]["parties"][0][1] == by_bulk[1]["parties"][0][1]


def test_bulk_cases_are_found_by_search_and_their_history_verifies(world) -> None:
    dispatcher = Actor(world.user("disp_a", world.center_a, Role.DISPATCHER))
    ids = bulk.register_past_cases(_cases(world), actor=dispatcher)
    assert not list(verify_all())
    found = set(search_cases(Case.objects.all(), "工资").values_list("pk", flat=True))
    assert found == {ids[1]}
    assert Case.objects.get(pk=ids[2]).status == Status.REGISTERED
    # Ids were taken ahead of the rows: the next case registered the usual way gets a new one.
    later = register_case(
        actor=dispatcher,
        kind="dispute",
        category="other",
        channel="window",
        title="之后登记",
        description="导入之后窗口登记的事项。",
        region=world.village_a,
        parties=[PartyInput(name="孙某")],
    )
    assert later.pk > max(ids)


def test_a_window_clerk_cannot_bring_in_concluded_cases_but_can_open_ones(world) -> None:
    clerk = Actor(world.user("clerk_a", world.center_a, Role.WINDOW_CLERK))
    cases = _cases(world)
    with pytest.raises(DomainError):
        bulk.register_past_cases(cases, actor=clerk)
    assert not Case.objects.exists()
    assert len(bulk.register_past_cases(cases[2:], actor=clerk)) == 1


def test_a_town_cannot_bring_in_another_towns_case(world) -> None:
    dispatcher = Actor(world.user("disp_b", world.center_b, Role.DISPATCHER))
    with pytest.raises(DomainError):
        bulk.register_past_cases(_cases(world)[2:], actor=dispatcher)
    assert not Case.objects.exists()


def _collective(world: Any, representatives: int, people: int) -> bulk.PastCase:
    return bulk.PastCase(
        kind="petition",
        category="labour",
        channel="visit",
        title="集体讨薪",
        description="三十余名农民工集体来访反映工程款拖欠。",
        region=world.town_a,
        parties=[PartyInput(name=f"代表{n}") for n in range(1, representatives + 1)],
        received_at=dt.datetime(2024, 5, 6, 9, 0, tzinfo=TZ),
        people_count=people,
        ending=bulk.Ending.RESOLVED,
        concluded_at=dt.datetime(2024, 5, 20, tzinfo=TZ),
        outcome="工程款已分批支付。",
    )


def test_a_collective_visit_is_imported_as_registration_would_take_it(world) -> None:
    dispatcher = Actor(world.user("disp_a", world.center_a, Role.DISPATCHER))
    for code in policies.DEFAULTS:
        policies.policy(code)
    visit = [_collective(world, representatives=5, people=30)]

    by_services = written_then_undone(
        lambda: [bulk.register_past_case(c, actor=dispatcher).pk for c in visit]
    )
    by_bulk = written_then_undone(lambda: bulk.register_past_cases(visit, actor=dispatcher))

    assert by_bulk == by_services
    assert by_bulk[0]["case"]["people_count"] == 30
    assert len(by_bulk[0]["parties"]) == 5


@pytest.mark.parametrize(
    ("representatives", "people", "code"),
    [(6, 30, "too_many_representatives"), (5, 3, "people_count"), (1, 0, "people_count")],
)
def test_the_bulk_path_refuses_the_people_registration_refuses(
    world, representatives: int, people: int, code: str
) -> None:
    """A collective visit names at most five representatives (信访工作条例 art. 20), and the
    head count is at least the applicants: the ledger gets no way around it."""
    dispatcher = Actor(world.user("disp_a", world.center_a, Role.DISPATCHER))
    visit = [_collective(world, representatives=representatives, people=people)]
    for write in (
        bulk.register_past_cases,
        lambda cases, actor: [bulk.register_past_case(c, actor=actor) for c in cases],
    ):
        with pytest.raises(DomainError) as refused:
            write(visit, actor=dispatcher)
        assert refused.value.code == code
    assert not Case.objects.exists()
