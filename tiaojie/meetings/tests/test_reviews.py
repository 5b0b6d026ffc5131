"""A tier reviews a case (研判) and its decision is carried out by the case services, or
nothing is written at all."""

from __future__ import annotations

import pytest

from tiaojie.cases import services as cases
from tiaojie.cases.models import Case, CaseEvent
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.cases.workflow import Status
from tiaojie.core.enums import CaseKind, Category, Channel, Tier
from tiaojie.core.errors import Conflict, DomainError
from tiaojie.meetings.models import Review, ReviewDecision
from tiaojie.meetings.services import NotPermitted, review_case

pytestmark = pytest.mark.django_db


def _register(cast) -> Case:
    return cases.register_case(
        actor=Actor(cast.clerk),
        kind=CaseKind.DISPUTE,
        category=Category.LABOUR,
        channel=Channel.WINDOW,
        title="某建筑公司拖欠工资",
        description="申请人在某工地务工三个月，工资未结。",
        region=cast.world.village_a,
        parties=[PartyInput(name="王建国")],
    )


def _in_progress(cast) -> Case:
    case = cases.accept(_register(cast), actor=Actor(cast.clerk))
    case = cases.assign(case, actor=Actor(cast.dispatcher), lead=cast.world.hrss)
    return cases.check_in(case, actor=Actor(cast.handler))


def _state(case: Case) -> tuple[int, int, str, str]:
    case.refresh_from_db()
    return (case.version, CaseEvent.objects.filter(case=case).count(), case.status, case.tier)


def test_keeping_records_the_review_and_leaves_the_case_as_it_is(cast) -> None:
    case = cases.accept(_register(cast), actor=Actor(cast.clerk))
    before = _state(case)
    review = review_case(
        case,
        user=cast.dispatcher,
        decision=ReviewDecision.KEEP,
        conclusion="镇级可以化解，继续调处。",
        expected_version=case.version,
    )
    assert (review.tier, review.decision, review.event_seq) == (Tier.TOWN, "keep", None)
    assert review.reviewer_unit == cast.world.center_a
    assert _state(case) == before


def test_the_town_escalates_and_the_district_center_takes_over(cast) -> None:
    case = _in_progress(cast)
    review = review_case(
        case,
        user=cast.dispatcher,
        decision=ReviewDecision.ESCALATE,
        conclusion="涉及多个部门，镇级无法协调。",
        expected_version=case.version,
    )
    case.refresh_from_db()
    assert (case.tier, case.lead_unit, case.status) == (
        Tier.DISTRICT,
        cast.world.center,
        Status.ACCEPTED,
    )
    event = case.events.get(seq=review.event_seq or 0)
    assert (event.action, event.reason) == ("escalate", "涉及多个部门，镇级无法协调。")
    assert review.tier == Tier.TOWN


def test_the_district_center_assigns_what_the_town_escalated(cast) -> None:
    case = _in_progress(cast)
    review_case(case, user=cast.dispatcher, decision="escalate", conclusion="提级。")
    case.refresh_from_db()
    review = review_case(
        case,
        user=cast.district,
        decision=ReviewDecision.ASSIGN,
        conclusion="交人社局牵头处理。",
        assign_to=cast.world.hrss,
        expected_version=case.version,
    )
    case.refresh_from_db()
    assert (case.status, case.lead_unit) == (Status.ASSIGNED, cast.world.hrss)
    assert (review.tier, review.assigned_unit) == (Tier.DISTRICT, cast.world.hrss)
    assert case.events.get(seq=review.event_seq or 0).action == "assign"


def test_the_leadership_group_is_reviewed_by_leaders_only(cast) -> None:
    case = _in_progress(cast)
    review_case(case, user=cast.dispatcher, decision="escalate", conclusion="提级至区。")
    case.refresh_from_db()
    review_case(case, user=cast.district, decision="escalate", conclusion="提请领导小组。")
    case.refresh_from_db()
    assert case.tier == Tier.LEADERSHIP
    with pytest.raises(NotPermitted):
        review_case(case, user=cast.district, decision="keep", conclusion="继续。")
    review = review_case(case, user=cast.leader, decision="keep", conclusion="领导小组督办。")
    assert review.tier == Tier.LEADERSHIP


def test_a_resolved_case_is_closed_by_the_review(cast) -> None:
    case = cases.resolve(_in_progress(cast), actor=Actor(cast.handler), outcome="工资已结清。")
    review = review_case(case, user=cast.dispatcher, decision="close", conclusion="已化解，办结。")
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closed_at is not None
    assert case.events.get(seq=review.event_seq or 0).action == "close"


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        ("close", "该事项当前不能执行“办结”。"),
        ("assign", "该事项当前不能执行“交办”。"),
    ],
)
def test_a_refused_decision_writes_nothing(cast, decision: str, message: str) -> None:
    case = _in_progress(cast)
    before = _state(case)
    with pytest.raises(DomainError) as refused:
        review_case(
            case,
            user=cast.dispatcher,
            decision=decision,
            conclusion="试图办结。",
            assign_to=cast.world.hrss,
        )
    assert refused.value.message == message
    assert not Review.objects.exists()
    assert _state(case) == before


def test_the_leadership_group_cannot_escalate_further_and_nothing_is_written(cast) -> None:
    case = _in_progress(cast)
    for user in (cast.dispatcher, cast.district):
        review_case(case, user=user, decision="escalate", conclusion="提级。")
        case.refresh_from_db()
    before, reviews = _state(case), Review.objects.count()
    with pytest.raises(DomainError) as refused:
        review_case(case, user=cast.leader, decision="escalate", conclusion="再提级。")
    assert refused.value.message == "该事项已提级至领导小组。"
    assert (_state(case), Review.objects.count()) == (before, reviews)


def test_assigning_needs_a_unit_and_a_conclusion_is_required(cast) -> None:
    case = cases.accept(_register(cast), actor=Actor(cast.clerk))
    with pytest.raises(DomainError, match="交办"):
        review_case(case, user=cast.dispatcher, decision="assign", conclusion="交办。")
    with pytest.raises(DomainError, match="结论"):
        review_case(case, user=cast.dispatcher, decision="keep", conclusion="  ")
    assert not Review.objects.exists()


def test_only_the_tier_holding_the_case_reviews_it(cast) -> None:
    case = _in_progress(cast)
    for outsider in (cast.town_b, cast.handler, cast.clerk, cast.district):
        with pytest.raises(NotPermitted):
            review_case(case, user=outsider, decision="keep", conclusion="看看。")
    review_case(case, user=cast.dispatcher, decision="escalate", conclusion="提级。")
    case.refresh_from_db()
    with pytest.raises(NotPermitted):  # the town no longer holds it
        review_case(case, user=cast.dispatcher, decision="keep", conclusion="继续。")
    assert Review.objects.count() == 1


def test_a_stale_page_cannot_record_a_review(cast) -> None:
    case = cases.accept(_register(cast), actor=Actor(cast.clerk))
    seen = case.version
    cases.supervise(Case.objects.get(pk=case.pk), actor=Actor(cast.dispatcher))
    case.refresh_from_db()
    for decision in ("keep", "escalate"):
        with pytest.raises(Conflict):
            review_case(
                case,
                user=cast.dispatcher,
                decision=decision,
                conclusion="旧页面。",
                expected_version=seen,
            )
    assert not Review.objects.exists()


# --- the case page ------------------------------------------------------------------------------
def test_the_case_page_offers_the_form_to_the_holding_tier_only(cast, login) -> None:
    case = _in_progress(cast)
    review_case(case, user=cast.dispatcher, decision="keep", conclusion="继续调处。")
    body = login(cast.dispatcher).get(f"/cases/{case.code}/").content.decode()
    assert 'data-testid="review-form"' in body and "继续调处。" in body
    body = login(cast.handler).get(f"/cases/{case.code}/").content.decode()
    assert 'data-testid="review-form"' not in body and "继续调处。" in body


def test_a_refused_review_on_the_page_says_why_in_chinese(cast, login) -> None:
    case = _in_progress(cast)
    client = login(cast.dispatcher)
    response = client.post(
        f"/meetings/cases/{case.code}/review/",
        {"review-version": case.version, "review-decision": "close", "review-conclusion": "办结。"},
        follow=True,
    )
    assert "该事项当前不能执行“办结”。" in response.content.decode()
    assert not Review.objects.exists()
    response = client.post(
        f"/meetings/cases/{case.code}/review/",
        {
            "review-version": case.version,
            "review-decision": "escalate",
            "review-conclusion": "提级。",
        },
    )
    assert response.status_code == 302
    assert Review.objects.get().decision == "escalate"


def test_reviewing_a_case_out_of_scope_is_not_found(cast, login) -> None:
    case = _in_progress(cast)
    response = login(cast.town_b).post(
        f"/meetings/cases/{case.code}/review/",
        {"review-version": case.version, "review-decision": "keep", "review-conclusion": "看看。"},
    )
    assert response.status_code == 404
    assert not Review.objects.exists()


def test_a_sensitive_case_shows_its_conclusions_to_cleared_staff_only(cast, login) -> None:
    case = _in_progress(cast)
    review_case(case, user=cast.dispatcher, decision="keep", conclusion="当事人有心理疏导需要。")
    Case.objects.filter(pk=case.pk).update(sensitivity="sensitive")
    body = login(cast.handler).get(f"/cases/{case.code}/").content.decode()
    assert 'data-testid="review"' in body and "当事人有心理疏导需要。" not in body
    cast.handler.sensitive_clearance = True
    cast.handler.save()
    body = login(cast.handler).get(f"/cases/{case.code}/").content.decode()
    assert "当事人有心理疏导需要。" in body
