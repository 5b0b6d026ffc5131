"""The applicant looks up progress with both codes; a wrong code tells nothing."""

from __future__ import annotations

import pytest

from tiaojie.cases import services
from tiaojie.cases.models import Case

from .conftest import PHONE, resolve

pytestmark = pytest.mark.django_db


def _track(client, case_code: str, query_code: str, ip: str = "10.0.0.2"):
    data = {"case_code": case_code, "query_code": query_code}
    return client.post("/public/track/", data, REMOTE_ADDR=ip)


def test_both_codes_show_the_progress_in_plain_words(client, submit, world) -> None:
    _r, code, query = submit()

    response = _track(client, code, query)

    body = response.content.decode()
    assert response.status_code == 200
    assert code in body and "已收到，等待受理" in body
    assert "下邽镇综治中心" in body  # the unit that has it
    assert "王**" in body and "王小明" not in body  # the applicant's own name, masked
    assert PHONE not in body and PHONE[-4:] not in body
    assert "no-store" in response["Cache-Control"]


def test_codes_may_be_typed_loosely(client, submit) -> None:
    _r, code, query = submit()
    response = _track(client, f" {code} ", query.replace("-", " ").lower())
    assert response.status_code == 200 and code in response.content.decode()


def test_the_progress_follows_the_case_without_staff_names_or_notes(
    client, submit, staff, world
) -> None:
    _r, code, query = submit()
    resolve(Case.objects.get(code=code), staff, world)

    body = _track(client, code, query).content.decode()

    assert "已化解" in body
    for step in ("已受理", "交由临渭区人力资源和社会保障局办理", "承办单位已开始办理"):
        assert step in body, step
    assert "临渭区人力资源和社会保障局" in body
    # Who on the staff did it, and what they noted, stays inside.
    for inside in ("handler_zhang", "clerk_a", "dispatcher_a", "内部备注", "双方达成一致"):
        assert inside not in body, inside


def test_a_wrong_query_code_and_an_unknown_case_get_the_same_answer(client, submit) -> None:
    _r, code, query = submit()
    wrong = "ABCD-EFGH-JKMN" if query != "ABCD-EFGH-JKMN" else "NMKJ-HGFE-DCBA"

    wrong_code = _track(client, code, wrong)
    no_case = _track(client, "2099999999", query)
    other_case = _track(client, str(int(code) + 1), query)

    message = "没有找到与该事项编号和查询码对应的事项"
    for response in (wrong_code, no_case, other_case):
        body = response.content.decode()
        assert response.status_code == 400 and message in body
        assert "王**" not in body and "已收到" not in body


def test_a_case_registered_at_the_window_cannot_be_looked_up(client, registered_case, limits):
    # It has no query code at all: there is nothing to guess.
    response = _track(client, registered_case.code, "")
    assert response.status_code == 400 and "请填写事项编号和查询码" in response.content.decode()
    response = _track(client, registered_case.code, "ABCD-EFGH-JKMN")
    assert response.status_code == 400 and registered_case.title not in response.content.decode()


def test_a_declined_matter_shows_the_legal_route(client, submit, staff, world) -> None:
    _r, code, query = submit()
    services.decline(
        Case.objects.get(code=code), actor=staff.clerk, route="litigation", reason="属于法院管辖"
    )
    body = _track(client, code, query).content.decode()
    assert "不予受理" in body and "诉讼" in body and "属于法院管辖" not in body
