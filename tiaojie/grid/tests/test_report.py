"""A grid worker's report from the street becomes one case, in the grid, with its photo."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tiaojie.accounts.models import GridDuty, GridMember, Unit, UnitKind
from tiaojie.accounts.roles import Role
from tiaojie.cases.history import verify_case
from tiaojie.cases.models import Attachment, AttachmentKind, Case, CaseEvent, Party, PartyRole
from tiaojie.cases.tests.samples import png
from tiaojie.cases.workflow import Action, Status
from tiaojie.core.enums import CaseKind, Category, Channel, Tier
from tiaojie.grid.models import GridReport
from tiaojie.grid.services import first_unit_for
from tiaojie.regions.models import Region, RegionLevel

pytestmark = pytest.mark.django_db

SEND = reverse("api:grid_reports")
PAGE = reverse("grid:report")


@pytest.fixture
def worker(world):
    """A full-time grid worker of 东庆村's first grid, employed by the village committee."""
    user = world.user("grid_a", world.committee_a, Role.GRID_WORKER)
    GridMember.objects.create(grid=world.grid_a, user=user, duty=GridDuty.FULL_TIME)
    return user


def report(world: Any, **fields: Any) -> dict[str, Any]:
    data = {
        "key": str(uuid.uuid4()),
        "grid": world.grid_a.pk,
        "what": "neighbours",
        "description": "两户因排水沟堵塞争吵，情绪激动。",
        "people_count": "2",
        "risk_level": "yellow",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def photo(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png(8, 8), content_type="image/png")


def nothing_written() -> bool:
    return not (
        Case.objects.exists()
        or GridReport.objects.exists()
        or Attachment.objects.exists()
        or CaseEvent.objects.exists()
    )


def test_a_report_becomes_a_grid_case_in_the_grid_with_its_photo(login, world, worker) -> None:
    client = login(worker)
    data = report(world, photo=photo(), latitude="34.512345", longitude="109.498765", accuracy="12")
    response = client.post(SEND, data)

    assert response.status_code == 201, response.content
    case = Case.objects.get(code=response.json()["code"])
    assert response.json()["created"] is True
    assert (case.channel, case.kind, case.category) == (
        Channel.GRID,
        CaseKind.DISPUTE,
        Category.NEIGHBOURHOOD,
    )
    assert case.region == world.grid_a
    assert case.first_unit == world.committee_a and case.tier == Tier.VILLAGE
    assert case.registered_by == worker and case.status == Status.REGISTERED
    assert (case.people_count, case.risk_level) == (2, "yellow")
    assert case.title == "邻里纠纷（东庆村第一网格）"
    assert case.description == "两户因排水沟堵塞争吵，情绪激动。"
    # The worker reports for residents and is not a party; nobody was named.
    assert not Party.objects.filter(case=case).exists()

    attachment = Attachment.objects.get(case=case)
    assert (attachment.kind, attachment.content_type, attachment.original_name) == (
        AttachmentKind.PHOTO,
        "image/png",
        "现场.png",
    )
    assert attachment.uploaded_by == worker
    events = list(case.events.order_by("seq").values_list("action", "actor_id"))
    assert events == [(Action.REGISTER, worker.pk), (Action.ATTACH, worker.pk)]
    assert verify_case(case) is None

    kept = GridReport.objects.get(case=case)
    assert (kept.worker, kept.grid, kept.key) == (worker, world.grid_a, data["key"])
    assert (kept.latitude, kept.longitude, kept.accuracy_m) == (
        Decimal("34.512345"),
        Decimal("109.498765"),
        12,
    )


def test_a_named_resident_becomes_the_applicant(login, world, worker) -> None:
    client = login(worker)
    data = report(world, what="wages", resident_name="张秀兰", resident_phone="13912345678")
    response = client.post(SEND, data)

    assert response.status_code == 201, response.content
    case = Case.objects.get(code=response.json()["code"])
    assert case.category == Category.LABOUR
    party = Party.objects.select_related("person").get(case=case)
    assert party.role == PartyRole.APPLICANT
    assert (party.person.name, party.person.phone) == ("张秀兰", "13912345678")
    assert "13912345678" not in response.content.decode()


def test_location_and_photo_are_optional(login, world, worker) -> None:
    response = login(worker).post(SEND, report(world, what="hazard"))

    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert (case.kind, case.category) == (CaseKind.HAZARD, Category.OTHER)
    kept = GridReport.objects.get()
    assert kept.latitude is None and kept.longitude is None
    assert not Attachment.objects.exists()


def test_the_same_report_sent_again_is_one_case_with_the_same_code(login, world, worker) -> None:
    client = login(worker)
    data = report(world)
    first = client.post(SEND, {**data, "photo": photo()})
    again = client.post(SEND, {**data, "photo": photo()})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {"code": first.json()["code"], "created": False}
    assert Case.objects.count() == 1 and GridReport.objects.count() == 1
    assert Attachment.objects.count() == 1


def test_two_workers_may_happen_to_use_the_same_key(login, world, worker) -> None:
    other = world.user("grid_a2", world.committee_a, Role.GRID_WORKER)
    GridMember.objects.create(grid=world.grid_a, user=other, duty=GridDuty.PART_TIME)
    data = report(world)
    first = login(worker).post(SEND, data)
    second = login(other).post(SEND, data)

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["code"] != second.json()["code"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"what": "ufo"}, "what"),
        ({"description": "  "}, "description"),
        ({"people_count": "0"}, "people_count"),
        ({"risk_level": "purple"}, "risk_level"),
        ({"key": ""}, "key"),
        ({"key": "a b"}, "key"),
        ({"resident_phone": "12345"}, "resident_phone"),
        ({"resident_phone": "13912345678"}, "resident_name"),
        ({"latitude": "91", "longitude": "109.5"}, "latitude"),
        ({"latitude": "34.5"}, "__all__"),
        ({"latitude": "34.1234567", "longitude": "109.5"}, "latitude"),
    ],
)
def test_bad_input_is_refused_with_a_code_and_nothing_is_written(
    login, world, worker, change: dict[str, str], field: str
) -> None:
    response = login(worker).post(SEND, report(world, **change))

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input" and field in body["fields"]
    assert "13912345678" not in response.content.decode()
    assert nothing_written()


def test_a_photo_that_is_no_picture_leaves_no_case(login, world, worker, media_root) -> None:
    program = SimpleUploadedFile("照片.png", b"MZ\x90\x00" + b"\x00" * 60)
    response = login(worker).post(SEND, report(world, photo=program))

    assert response.status_code == 400
    assert response.json()["code"] == "file_type"
    assert nothing_written()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_a_worker_reports_only_for_their_own_grids(login, world, worker) -> None:
    other_grid = Region.objects.create(
        code="610502103201002",
        name="东庆村第二网格",
        level=RegionLevel.GRID,
        parent=world.village_a,
    )
    response = login(worker).post(SEND, report(world, grid=other_grid.pk))

    assert response.status_code == 403
    assert response.json()["code"] == "not_your_grid"
    assert nothing_written()


@pytest.mark.parametrize("role", [Role.WINDOW_CLERK, Role.MEDIATOR, Role.SYSADMIN])
def test_only_grid_workers_report(login, world, role: str) -> None:
    # Even with a grid duty on record, someone without the grid worker's role may not.
    user = world.user("not_grid", world.committee_a, role)
    GridMember.objects.create(grid=world.grid_a, user=user, duty=GridDuty.PART_TIME)
    client = login(user)

    response = client.post(SEND, report(world))
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_grid_worker"
    assert client.get(PAGE).status_code == 403
    assert nothing_written()


def test_signed_out_the_endpoint_answers_json_and_writes_nothing(client, world) -> None:
    response = client.post(SEND, report(world))

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert nothing_written()


def test_the_endpoint_wants_the_csrf_token(world, worker) -> None:
    from tiaojie.accounts.testing import StaffClient

    client = StaffClient(enforce_csrf_checks=True)
    client.force_login(worker)
    response = client.post(SEND, report(world))
    assert response.status_code == 403
    # Its own code: the phone's script keeps the report and asks for a reload.
    assert response.json()["code"] == "csrf_failed"
    assert nothing_written()


def test_the_page_preselects_the_worker_s_grid_and_asks_for_a_camera_photo(
    login, world, worker
) -> None:
    page = login(worker).get(PAGE).content.decode()

    assert f'<option value="{world.grid_a.pk}" selected>东庆村第一网格</option>' in page
    assert 'accept="image/*" capture="environment"' in page
    assert "js/grid.js" in page


def test_a_worker_of_several_grids_chooses_among_them_only(login, world, worker) -> None:
    second = Region.objects.create(
        code="610502103201002",
        name="东庆村第二网格",
        level=RegionLevel.GRID,
        parent=world.village_a,
    )
    GridMember.objects.create(grid=second, user=worker, duty=GridDuty.PART_TIME)
    Region.objects.create(
        code="610502103201003",
        name="东庆村第三网格",
        level=RegionLevel.GRID,
        parent=world.village_a,
    )
    page = login(worker).get(PAGE).content.decode()

    assert "东庆村第一网格" in page and "东庆村第二网格" in page
    assert "东庆村第三网格" not in page
    response = login(worker).post(SEND, report(world, grid=second.pk))
    assert Case.objects.get(code=response.json()["code"]).region == second


def test_the_first_unit_is_the_village_committee_else_the_town_center(world) -> None:
    assert first_unit_for(world.grid_a) == world.committee_a
    world.committee_a.is_active = False
    world.committee_a.save()
    assert first_unit_for(world.grid_a) == world.center_a
    Unit.objects.filter(kind=UnitKind.TOWN_CENTER).update(is_active=False)
    assert first_unit_for(world.grid_a) is None
