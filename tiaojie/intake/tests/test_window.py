"""Window registration: walk-ins, visits, calls and letters become cases with the right
channel, place and parties; bad input is named on its field and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.models import Case, CaseEvent, Party, Person
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.core.enums import CaseKind, Category, Channel
from tiaojie.core.idnumber import check_digit

pytestmark = pytest.mark.django_db

URL = "/intake/window/"


def id_number(birth: str = "19850317", serial: str = "123") -> str:
    first17 = "610502" + birth + serial
    return first17 + check_digit(first17)


APPLICANT_ID = id_number()
RESPONDENT_ID = id_number("19790502", "246")


def form(**fields: Any) -> dict[str, Any]:
    """A complete window form: one applicant, one respondent, a neighbours' quarrel."""
    data: dict[str, Any] = {
        "channel": Channel.WINDOW,
        "kind": CaseKind.DISPUTE,
        "category": Category.NEIGHBOURHOOD,
        "title": "邻居装修噪音扰民",
        "description": "楼上邻居连续一个月夜间装修，多次协商无果。",
        "place": "下邽镇东庆村",
        "address": "",
        "people_count": "1",
        "risk_level": "blue",
        "review_of": "",
        "party-TOTAL_FORMS": "2",
        "party-INITIAL_FORMS": "0",
        "party-MIN_NUM_FORMS": "1",
        "party-MAX_NUM_FORMS": "50",
        "party-0-role": "applicant",
        "party-0-name": "王建国",
        "party-0-id_number": APPLICANT_ID,
        "party-0-phone": "13812341234",
        "party-0-address": "下邽镇东庆村三组",
        "party-1-role": "respondent",
        "party-1-name": "李四",
        "party-1-id_number": "",
        "party-1-phone": "",
        "party-1-address": "",
    }
    data.update(fields)
    return data


@pytest.fixture
def clerk(world):
    return world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)


def nothing_written() -> bool:
    return not (Case.objects.exists() or Person.objects.exists() or CaseEvent.objects.exists())


@pytest.mark.parametrize("channel", [Channel.WINDOW, Channel.VISIT, Channel.PHONE, Channel.LETTER])
def test_each_channel_registers_a_case_with_its_channel_place_and_parties(
    client, world, clerk, channel
) -> None:
    client.force_login(clerk)
    response = client.post(URL, form(channel=channel))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.code]) + "?registered=1"
    assert case.channel == channel
    assert case.region == world.village_a
    assert case.first_unit == world.center_a and case.registered_by == clerk
    parties = {(p.role, p.person.name) for p in Party.objects.select_related("person")}
    assert parties == {("applicant", "王建国"), ("respondent", "李四")}
    applicant = Person.objects.get(name="王建国")
    assert applicant.id_number == APPLICANT_ID and applicant.gender == "m"
    assert case.events.get().payload["channel"] == channel


def test_the_case_page_shows_the_code_big_enough_to_read_out(client, world, clerk) -> None:
    client.force_login(clerk)
    location = client.post(URL, form())["Location"]
    body = client.get(location).content.decode()
    code = Case.objects.get().code
    assert 'data-testid="case-code"' in body
    assert f"{code[:4]} {code[4:7]} {code[7:]}" in body
    assert "请向群众读出" in body


def test_the_place_is_read_from_the_address_when_none_is_chosen(client, world, clerk) -> None:
    client.force_login(clerk)
    client.post(URL, form(place="", address="临渭区下邽镇东庆村五组18号"))
    case = Case.objects.get()
    assert case.region == world.village_a
    assert case.address == "临渭区下邽镇东庆村五组18号"


def test_a_grid_is_chosen_by_its_full_name(client, world, clerk) -> None:
    client.force_login(clerk)
    client.post(URL, form(place="下邽镇东庆村东庆村第一网格"))
    assert Case.objects.get().region == world.grid_a


def test_a_phone_call_needs_no_id_number(client, world, clerk) -> None:
    client.force_login(clerk)
    client.post(
        URL, form(channel=Channel.PHONE, **{"party-0-id_number": "", "party-0-address": ""})
    )
    applicant = Case.objects.get().parties.get(role="applicant").person
    assert applicant.phone == "13812341234" and applicant.id_number == ""


def test_several_parties_of_each_role(client, world, clerk) -> None:
    client.force_login(clerk)
    data = form(
        **{
            "party-TOTAL_FORMS": "4",
            "party-2-role": "other",
            "party-2-name": "物业公司",
            "party-3-role": "respondent",
            "party-3-name": "",  # a row added and left empty is no party
        }
    )
    client.post(URL, data)
    roles = sorted(Case.objects.get().parties.values_list("role", flat=True))
    assert roles == ["applicant", "other", "respondent"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"party-0-id_number": APPLICANT_ID[:17] + "0"}, "party-0-id_number", "校验位"),
        ({"party-0-id_number": "6105021985031712"}, "party-0-id_number", "18位"),
        ({"party-0-id_number": "610502198502301230"}, "party-0-id_number", "出生日期"),
        ({"party-0-phone": "1381234123"}, "party-0-phone", "11位手机号码"),
        ({"party-0-phone": "", "party-0-id_number": ""}, "party-0-phone", "身份证号码或联系电话"),
        ({"party-0-name": ""}, "party-0-name", "必填"),
        ({"title": ""}, "title", "必填"),
        ({"category": ""}, "category", "必填"),
        ({"place": "不存在村"}, "place", "没有这个名称"),
        ({"place": "", "address": "某地某处"}, "place", "写明镇（街道）或村"),
        ({"people_count": "0"}, "people_count", "1"),
        ({"party-1-id_number": APPLICANT_ID}, "party-1-id_number", "已填写"),
    ],
)
def test_bad_input_is_named_on_its_field_in_chinese_and_nothing_is_written(
    client, world, clerk, fields, field, message
) -> None:
    client.force_login(clerk)
    response = client.post(URL, form(**fields))
    assert response.status_code == 400
    body = response.content.decode()
    error = body.split(f'data-testid="error-{field}">', 1)
    assert len(error) == 2, f"no error shown on {field}"
    assert message in error[1].split("</div>", 1)[0]
    assert nothing_written()


def test_a_letter_needs_the_applicants_address(client, world, clerk) -> None:
    client.force_login(clerk)
    response = client.post(
        URL,
        form(channel=Channel.LETTER, **{"party-0-address": "", "party-0-phone": ""}),
    )
    assert response.status_code == 400
    assert "书面答复" in response.content.decode()
    assert nothing_written()


def test_a_place_outside_the_clerks_town_is_not_found(client, world, clerk) -> None:
    client.force_login(clerk)
    response = client.post(URL, form(place="桥南镇桥南村"))
    assert response.status_code == 400
    assert nothing_written()


def test_only_the_desk_registers(client, world) -> None:
    handler = world.user("hrss_handler", world.hrss, Role.HANDLER)
    client.force_login(handler)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form()).status_code == 403
    assert nothing_written()


def test_the_form_page_is_keyboard_ready(client, world, clerk) -> None:
    client.force_login(clerk)
    body = client.get(URL).content.decode()
    assert "autofocus" in body
    for shortcut in ("Alt+A", "Alt+R", "Alt+O", "Ctrl+Enter"):
        assert shortcut in body
    assert "下邽镇东庆村" in body  # the place suggestions
    assert "桥南村" not in body  # another town's villages are not offered


# --- while typing: repeat visitors and look-alikes -----------------------------------------------
MATCHES = "/intake/window/matches/"


def _earlier_case(world, clerk, **fields: Any) -> Case:
    values: dict[str, Any] = {
        "kind": CaseKind.DISPUTE,
        "category": Category.NEIGHBOURHOOD,
        "channel": Channel.WINDOW,
        "title": "邻居装修噪音扰民",
        "description": "楼上邻居连续一个月夜间装修，多次协商无果。",
        "region": world.village_a,
        "parties": [PartyInput(name="王建国", id_number=APPLICANT_ID)],
    }
    values.update(fields)
    return services.register_case(actor=Actor(clerk), **values)


def test_a_repeat_visitor_is_recognised_by_id_number(client, world, clerk) -> None:
    earlier = _earlier_case(world, clerk, title="宅基地界线纠纷", description="院墙位置争执。")
    client.force_login(clerk)
    body = client.post(MATCHES, form()).content.decode()
    assert earlier.code in body.split('data-testid="earlier-cases"', 1)[1]
    assert APPLICANT_ID not in body


def test_a_repeat_caller_is_recognised_by_phone(client, world, clerk) -> None:
    earlier = _earlier_case(world, clerk, parties=[PartyInput(name="王建国", phone="13812341234")])
    client.force_login(clerk)
    body = client.post(MATCHES, form(**{"party-0-id_number": ""})).content.decode()
    assert earlier.code in body


def test_earlier_cases_elsewhere_stay_hidden(client, world, clerk) -> None:
    clerk_b = world.user("clerk_b", world.center_b, Role.WINDOW_CLERK)
    elsewhere = _earlier_case(world, clerk_b, region=world.village_b)
    client.force_login(clerk)
    body = client.post(MATCHES, form()).content.decode()
    assert elsewhere.code not in body
    assert "您所在区域没有" in body


def test_an_open_case_with_nearly_the_same_text_in_the_village_is_shown(
    client, world, clerk
) -> None:
    same = _earlier_case(
        world,
        clerk,
        parties=[PartyInput(name="赵六", phone="13900001111")],
        description="楼上邻居连续一个月夜间装修，多次协商未果。",
    )
    other = _earlier_case(
        world,
        clerk,
        parties=[PartyInput(name="钱七", phone="13900002222")],
        title="土地承包合同纠纷",
        description="承包地租金三年未付。",
    )
    client.force_login(clerk)
    body = client.post(
        MATCHES, form(**{"party-0-id_number": "", "party-0-phone": ""})
    ).content.decode()
    similar = body.split('data-testid="similar-cases"', 1)[1]
    assert same.code in similar and other.code not in similar
    assert "东庆村" in body.split('data-testid="resolved-place"', 1)[1]


def test_the_lookup_is_a_post_so_numbers_never_travel_in_a_url(client, world, clerk) -> None:
    client.force_login(clerk)
    assert client.get(MATCHES).status_code == 405


def test_registration_time_is_now(client, world, clerk, freeze) -> None:
    client.force_login(clerk)
    with freeze("2025-06-02 10:00:00+08:00"):
        client.post(URL, form())
    assert Case.objects.get().received_at == dt.datetime(2025, 6, 2, 2, 0, tzinfo=dt.UTC)
