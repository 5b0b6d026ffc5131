"""Petitions under the 信访工作条例: collective visits, the written notice, 复查 and 复核."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tiaojie.cases import petitions, services
from tiaojie.cases.models import Case, ReviewStage
from tiaojie.cases.services import PartyInput
from tiaojie.cases.workflow import Status
from tiaojie.core.enums import CaseKind, Category, Channel, Tier
from tiaojie.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _petition(desk, *, actor=None, parties=None, **kw) -> Case:
    fields = {
        "kind": CaseKind.PETITION,
        "category": Category.LAND_REQUISITION,
        "channel": Channel.VISIT,
        "title": "征地补偿款未足额发放",
        "description": "村民反映征地补偿款被截留。",
        "region": desk.world.village_a,
        "parties": parties or [PartyInput(name="王建国", phone="13812341234")],
    }
    fields.update(kw)
    return services.register_case(actor=actor or desk.clerk, **fields)


def _representatives(n: int) -> list[PartyInput]:
    return [PartyInput(name=f"代表{i}", phone=f"1390000{i:04d}") for i in range(n)]


def _decided(desk, case: Case) -> Case:
    case = services.accept(case, actor=desk.clerk)
    case = services.assign(case, actor=desk.dispatcher, lead=desk.world.center_a)
    case = services.check_in(case, actor=desk.staff)
    return services.fail(case, actor=desk.staff, reason="诉求缺乏政策依据，不予支持。")


# --- collective visits ------------------------------------------------------------------------
def test_a_collective_visit_records_five_representatives_and_the_head_count(desk) -> None:
    case = _petition(desk, parties=_representatives(5), people_count=40)
    assert case.parties.filter(role="applicant").count() == 5
    assert case.people_count == 40 and petitions.is_collective(case)


def test_a_sixth_representative_is_refused_and_nothing_is_written(desk) -> None:
    with pytest.raises(DomainError) as refused:
        _petition(desk, parties=_representatives(6), people_count=40)
    assert refused.value.code == "too_many_representatives"
    assert not Case.objects.exists()


def test_fewer_people_than_representatives_is_refused(desk) -> None:
    with pytest.raises(DomainError) as refused:
        _petition(desk, parties=_representatives(3), people_count=2)
    assert refused.value.code == "people_count"


def test_a_letter_may_carry_many_signatures(desk) -> None:
    case = _petition(desk, channel=Channel.LETTER, parties=_representatives(8), people_count=8)
    assert case.parties.count() == 8


def test_the_window_form_names_the_representative_limit(client, desk) -> None:
    from tiaojie.intake.tests.test_window import form

    client.force_login(desk.clerk.user)
    data = form(kind=CaseKind.PETITION, channel=Channel.VISIT, people_count="30")
    data["party-TOTAL_FORMS"] = "6"
    data["party-1-role"] = "applicant"
    for i in range(2, 6):
        data |= {
            f"party-{i}-role": "applicant",
            f"party-{i}-name": f"代表{i}",
            f"party-{i}-phone": f"1390000{i:04d}",
        }
    response = client.post("/intake/window/", data)
    assert response.status_code == 400
    error = response.content.decode().split('data-testid="error-people_count">', 1)[1]
    assert "最多推选5名代表" in error
    assert not Case.objects.exists()


# --- the written notice --------------------------------------------------------------------------
def test_the_acceptance_notice_is_printable_after_accepting(client, desk, freeze) -> None:
    with freeze("2025-03-03 09:00:00+08:00"):
        case = _petition(desk)
    with freeze("2025-03-10 09:00:00+08:00"):
        case = services.accept(case, actor=desk.clerk)
    client.force_login(desk.clerk.user)
    page = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert reverse("cases:notice", args=[case.code]) in page
    body = client.get(reverse("cases:notice", args=[case.code])).content.decode()
    assert "受理告知书" in body and "不予受理" not in body
    assert "2025年3月10日依法受理" in body
    assert "60日内办结" in body
    assert "信访工作条例（2022）第二十三条" in body and "2025年3月18日前" in body
    assert "晚于法定告知期限" not in body


def test_a_late_decision_says_so_on_the_notice(client, desk, freeze) -> None:
    with freeze("2025-03-03 09:00:00+08:00"):
        case = _petition(desk)
    with freeze("2025-03-25 09:00:00+08:00"):
        case = services.accept(case, actor=desk.clerk)
    client.force_login(desk.clerk.user)
    body = client.get(reverse("cases:notice", args=[case.code])).content.decode()
    assert "晚于法定告知期限" in body


def test_the_decline_notice_names_the_legal_route(client, desk) -> None:
    case = services.decline(
        _petition(desk), actor=desk.clerk, route="litigation", reason="属于民事纠纷"
    )
    client.force_login(desk.clerk.user)
    body = client.get(reverse("cases:notice", args=[case.code])).content.decode()
    assert "不予受理告知书" in body and "属于民事纠纷" in body and "诉讼" in body


def test_before_the_decision_there_is_no_notice_yet(client, desk) -> None:
    case = _petition(desk)
    client.force_login(desk.clerk.user)
    body = client.get(reverse("cases:notice", args=[case.code])).content.decode()
    assert 'data-testid="no-decision"' in body


def test_another_towns_clerk_gets_no_notice(client, desk) -> None:
    case = services.accept(_petition(desk), actor=desk.clerk)
    client.force_login(desk.outsider)
    assert client.get(reverse("cases:notice", args=[case.code])).status_code == 404


# --- 复查 and 复核 ------------------------------------------------------------------------
def test_a_review_follows_the_decision_and_goes_a_level_up(desk) -> None:
    original = _decided(desk, _petition(desk))
    review = _petition(desk, actor=desk.district, review_of=original, channel=Channel.LETTER)
    assert review.review_of == original and review.review_stage == ReviewStage.REVIEW
    assert review.tier == Tier.DISTRICT
    assert review.events.get().payload["review_of"] == original.code
    review = services.accept(review, actor=desk.district)
    assert review.policy.code == "petition_review" and review.policy.days == 30


def test_a_re_review_follows_the_review_and_is_final(desk) -> None:
    original = _decided(desk, _petition(desk))
    review = _petition(desk, review_of=original)
    review.status, review.concluded_at = Status.CLOSED, review.received_at
    review.save()
    re_review = _petition(desk, review_of=review)
    assert re_review.review_stage == ReviewStage.RE_REVIEW
    re_review.status, re_review.concluded_at = Status.CLOSED, re_review.received_at
    re_review.save()
    with pytest.raises(DomainError) as refused:
        _petition(desk, review_of=re_review)
    assert refused.value.code == "review_final"


def test_no_review_before_the_decision(desk) -> None:
    original = services.accept(_petition(desk), actor=desk.clerk)
    with pytest.raises(DomainError) as refused:
        _petition(desk, review_of=original)
    assert refused.value.code == "review_undecided"
    assert Case.objects.count() == 1


def test_no_review_after_thirty_days(desk, freeze) -> None:
    with freeze("2025-03-03 09:00:00+08:00"):
        original = _decided(desk, _petition(desk))
    with freeze("2025-04-03 09:00:00+08:00"), pytest.raises(DomainError) as refused:
        _petition(desk, review_of=original)  # 31 days later
    assert refused.value.code == "review_too_late"
    with freeze("2025-04-01 09:00:00+08:00"):
        assert _petition(desk, review_of=original).review_stage == ReviewStage.REVIEW


def test_one_review_per_decision(desk) -> None:
    original = _decided(desk, _petition(desk))
    _petition(desk, review_of=original)
    with pytest.raises(DomainError) as refused:
        _petition(desk, review_of=original)
    assert refused.value.code == "review_exists"


def test_only_petitions_are_reviewed(desk) -> None:
    original = _decided(desk, _petition(desk))
    with pytest.raises(DomainError) as refused:
        _petition(desk, review_of=original, kind=CaseKind.DISPUTE)
    assert refused.value.code == "review_kind"


def test_the_window_links_a_review_by_code_and_both_pages_show_the_link(client, desk) -> None:
    from tiaojie.intake.tests.test_window import form

    original = _decided(desk, _petition(desk))
    client.force_login(desk.clerk.user)
    response = client.post("/intake/window/", form(kind=CaseKind.PETITION, review_of=original.code))
    assert response.status_code == 302
    review = Case.objects.get(review_of=original)
    page = client.get(reverse("cases:detail", args=[review.code])).content.decode()
    assert original.code in page.split('data-testid="review-of"', 1)[1]
    page = client.get(reverse("cases:detail", args=[original.code])).content.decode()
    assert review.code in page.split('data-testid="reviews"', 1)[1]


def test_the_window_refuses_a_review_of_an_undecided_case_on_the_field(client, desk) -> None:
    from tiaojie.intake.tests.test_window import form

    original = _petition(desk)
    client.force_login(desk.clerk.user)
    response = client.post("/intake/window/", form(kind=CaseKind.PETITION, review_of=original.code))
    assert response.status_code == 400
    error = response.content.decode().split('data-testid="error-review_of">', 1)[1]
    assert "尚未作出处理意见" in error
    assert Case.objects.count() == 1


def test_review_deadline_policy_cites_its_source() -> None:
    default = petitions.policies.DEFAULTS["petition_review_request"]
    assert default.days == 30 and "第三十五条" in default.source


def test_the_review_window_is_thirty_calendar_days(db) -> None:
    decided = dt.datetime(2025, 3, 3, 1, 0, tzinfo=dt.UTC)
    assert petitions.review_window_ends(decided).date() == dt.date(2025, 4, 2)
