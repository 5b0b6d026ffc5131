"""A citizen sends a matter from the portal: it becomes an online case, or nothing is written."""

from __future__ import annotations

import pytest

from tiaojie.cases.models import Case, CaseEvent, Party, Person
from tiaojie.cases.workflow import Action, Status
from tiaojie.core.crypto import blind_index
from tiaojie.core.enums import CaseKind, Category, Channel, Tier
from tiaojie.portal.models import PortalTicket
from tiaojie.portal.services import query_code_digest, receiving_unit

from .conftest import ID_NUMBER, PHONE

pytestmark = pytest.mark.django_db


def test_a_matter_becomes_an_online_case_in_the_chosen_village(submit, world) -> None:
    response, code, query = submit(id_number=ID_NUMBER, address="东庆村三组")

    assert response.status_code == 200 and code and query
    case = Case.objects.get(code=code)
    assert case.channel == Channel.ONLINE
    assert (case.kind, case.category) == (CaseKind.DISPUTE, Category.NEIGHBOURHOOD)
    assert case.region == world.village_a and case.address == "东庆村三组"
    assert case.status == Status.REGISTERED and case.due_at is not None
    # The town's center receives it (首接), at the town's tier; nobody on the staff acted.
    assert case.first_unit == world.center_a and case.tier == Tier.TOWN
    assert case.registered_by is None
    assert case.title.startswith("邻居在我家门口堆放杂物")
    event = CaseEvent.objects.get(case=case)
    assert (event.action, event.actor_id, event.payload["channel"]) == (
        Action.REGISTER,
        None,
        Channel.ONLINE,
    )
    party = Party.objects.select_related("person").get(case=case)
    assert party.role == "applicant" and party.person.name == "王小明"
    assert party.person.phone == PHONE and party.person.id_number == ID_NUMBER
    assert party.person.id_number_hash == blind_index(ID_NUMBER, purpose="id_number")


def test_the_query_code_is_kept_only_as_a_keyed_hash(submit) -> None:
    _response, code, query = submit()

    ticket = PortalTicket.objects.get(case__code=code)
    plain = query.replace("-", "")
    assert len(plain) == 12 and plain not in ticket.code_hash
    assert ticket.code_hash == query_code_digest(code, query)
    assert ticket.consent_notice and ticket.rated_at is None
    # Another case's code does not fit this case.
    assert ticket.code_hash != query_code_digest("2099000001", query)


def test_the_query_codes_differ_from_case_to_case(submit) -> None:
    queries = {submit(phone=f"1391234567{i}")[2] for i in range(3)}
    assert len(queries) == 3


def test_a_typed_address_finds_the_place_when_none_was_chosen(submit, world) -> None:
    _response, code, _query = submit(town="", village="", address="下邽镇东庆村村口")
    case = Case.objects.get(code=code)
    assert case.region == world.village_a and case.first_unit == world.center_a


def test_a_town_without_a_village_is_the_town(submit, world) -> None:
    _response, code, _query = submit(town=world.town_b.code, village="")
    case = Case.objects.get(code=code)
    assert case.region == world.town_b and case.first_unit == world.center_b


def test_an_address_that_names_only_the_county_goes_to_the_district_center(submit, world) -> None:
    _response, code, _query = submit(town="", village="", address="临渭区人民街88号")
    case = Case.objects.get(code=code)
    assert case.region == world.county and case.first_unit == world.center
    assert case.tier == Tier.DISTRICT


def test_the_receiving_unit_is_the_nearest_center(world) -> None:
    assert receiving_unit(world.grid_a) == world.center_a
    assert receiving_unit(world.village_b) == world.center_b
    assert receiving_unit(world.county) == world.center


def test_a_request_and_a_hazard_are_filed_as_such(submit) -> None:
    _r, request_code, _q = submit(topic="request")
    _r, hazard_code, _q = submit(topic="hazard", phone="13912345670")
    assert Case.objects.get(code=request_code).kind == CaseKind.REQUEST
    assert Case.objects.get(code=hazard_code).kind == CaseKind.HAZARD


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "1391234567", "11位"),
        ("phone", "23912345678", "11位"),
        ("id_number", "110105194912310021", "校验"),
        ("id_number", "110105194902300023", "出生日期"),
        ("id_number", "11010519491231", "18位"),
        ("name", "", "必填"),
        ("description", "吵架", "至少"),
        ("topic", "petition", "选择"),
        ("consent", "", "同意"),
        ("village", "610502100201", "不在您选择的镇"),
        ("occurred_on", "2999-01-01", "将来"),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(
    submit, field: str, value: str, message: str
) -> None:
    response, code, query = submit(**{field: value})

    assert response.status_code == 400 and not code and not query
    assert message in response.content.decode()
    assert not Case.objects.exists() and not Person.objects.exists()
    assert not PortalTicket.objects.exists()


def test_no_place_at_all_is_asked_for(submit) -> None:
    response, code, _query = submit(town="", village="", address="")
    assert response.status_code == 400 and not code
    assert "请选择镇（街道）" in response.content.decode()
    assert not Case.objects.exists()


def test_a_phone_number_may_be_written_the_way_people_write_it(submit) -> None:
    _response, code, _query = submit(phone="+86 139-1234-5678")
    person = Party.objects.get(case__code=code).person
    assert person.phone == PHONE


def test_a_robot_that_fills_the_hidden_field_gets_nothing(submit) -> None:
    response, code, _query = submit(website="http://spam.example")
    assert response.status_code == 400 and not code
    assert not Case.objects.exists()


def test_the_same_form_sent_twice_registers_one_case(submit) -> None:
    first, code, query = submit(form_token="f" * 32)
    again, again_code, again_query = submit(form_token="f" * 32)

    assert Case.objects.count() == 1
    assert first.status_code == again.status_code == 200
    assert not again_code and not again_query  # no fresh receipt
    # The case code is shown again; the query code never is.
    assert code in again.content.decode() and query not in again.content.decode()


def test_the_pages_answer_without_signing_in(client, world) -> None:
    for url in ("/public/", "/public/submit/", "/public/track/"):
        response = client.get(url)
        assert response.status_code == 200, url
    body = client.get("/public/submit/").content.decode()
    assert "下邽镇" in body and "东庆村" in body  # the region tree to choose from
    assert "个人信息" in body  # the privacy notice


def test_the_answer_with_the_codes_is_not_cached(submit) -> None:
    response, _code, _query = submit()
    assert "no-store" in response["Cache-Control"]
