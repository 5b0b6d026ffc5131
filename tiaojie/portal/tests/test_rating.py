"""The applicant rates the handling once, after it is resolved; staff see it on the case page."""

from __future__ import annotations

import pytest

from tiaojie.cases import services
from tiaojie.cases.history import verify_case
from tiaojie.cases.models import Case, CaseEvent
from tiaojie.cases.workflow import Notice, Status
from tiaojie.core.errors import Conflict
from tiaojie.portal import services as portal_services
from tiaojie.portal.models import PortalTicket

from .conftest import resolve

pytestmark = pytest.mark.django_db


def _rate(client, code: str, query: str, satisfaction: str = "satisfied", comment: str = ""):
    data = {
        "case_code": code,
        "query_code": query,
        "satisfaction": satisfaction,
        "comment": comment,
    }
    return client.post("/public/rate/", data, REMOTE_ADDR="10.0.0.3")


def test_a_resolved_matter_is_rated_once_and_the_history_keeps_it(
    client, submit, staff, world
) -> None:
    _r, code, query = submit()
    case = resolve(Case.objects.get(code=code), staff, world)
    version = case.version

    first = _rate(client, code, query, "basically_satisfied", "处理及时，态度很好。")
    second = _rate(client, code, query, "dissatisfied", "改评")

    assert first.status_code == 200 and "感谢您的评价" in first.content.decode()
    assert second.status_code == 400 and "您已经评价过" in second.content.decode()
    ticket = PortalTicket.objects.get(case__code=code)
    assert (ticket.satisfaction, ticket.comment) == ("basically_satisfied", "处理及时，态度很好。")
    case.refresh_from_db()
    # The applicant's word is not the follow-up: status and follow-up result stay as they were.
    assert case.status == Status.RESOLVED and case.satisfaction == ""
    assert case.version == version + 1
    event = CaseEvent.objects.get(case=case, action=Notice.PUBLIC_RATING)
    assert event.actor_id is None and event.payload["satisfaction"] == "basically_satisfied"
    assert event.reason == "处理及时，态度很好。"
    assert verify_case(case) is None
    assert CaseEvent.objects.filter(case=case, action=Notice.PUBLIC_RATING).count() == 1


def test_staff_see_the_rating_on_the_case_page_and_still_follow_up(
    client, login, submit, staff, world
) -> None:
    _r, code, query = submit()
    case = resolve(Case.objects.get(code=code), staff, world)
    _rate(client, code, query, "satisfied", "谢谢调解员")

    page = login(staff.clerk.user).get(f"/cases/{code}/").content.decode()
    assert "群众网上评价" in page and "满意" in page and "谢谢调解员" in page
    assert "申请人（网上）" in page

    # A page opened before the rating is stale; the current one follows up as before.
    with pytest.raises(Conflict):
        services.follow_up(
            case, actor=staff.clerk, satisfaction="satisfied", expected_version=case.version
        )
    case = Case.objects.get(code=code)
    case = services.follow_up(case, actor=staff.clerk, satisfaction="satisfied")
    assert case.status == Status.CLOSED and case.satisfaction == "satisfied"
    assert verify_case(case) is None


def test_no_rating_before_the_matter_is_resolved(client, submit) -> None:
    _r, code, query = submit()

    progress = client.post(
        "/public/track/", {"case_code": code, "query_code": query}, REMOTE_ADDR="10.0.0.3"
    )
    response = _rate(client, code, query)

    assert 'data-testid="rate-form"' not in progress.content.decode()
    assert response.status_code == 400 and "化解后" in response.content.decode()
    assert not CaseEvent.objects.filter(action=Notice.PUBLIC_RATING).exists()
    assert PortalTicket.objects.get(case__code=code).rated_at is None


def test_a_closed_matter_may_still_be_rated(client, submit, staff, world) -> None:
    _r, code, query = submit()
    case = resolve(Case.objects.get(code=code), staff, world)
    services.follow_up(case, actor=staff.clerk, satisfaction="satisfied")
    assert _rate(client, code, query, "satisfied").status_code == 200


def test_a_wrong_code_cannot_rate(client, submit, staff, world) -> None:
    _r, code, _query = submit()
    resolve(Case.objects.get(code=code), staff, world)
    response = _rate(client, code, "ABCD-EFGH-JKMN")
    assert response.status_code == 400
    assert not CaseEvent.objects.filter(action=Notice.PUBLIC_RATING).exists()


def test_the_rating_service_refuses_unknown_ratings_and_long_comments(submit, staff, world) -> None:
    _r, code, _query = submit()
    resolve(Case.objects.get(code=code), staff, world)
    ticket = PortalTicket.objects.get(case__code=code)
    with pytest.raises(portal_services.DomainError):
        portal_services.rate(ticket, satisfaction="delighted")
    with pytest.raises(portal_services.DomainError):
        portal_services.rate(ticket, satisfaction="satisfied", comment="长" * 501)
    assert PortalTicket.objects.get(pk=ticket.pk).rated_at is None
