"""The same matter twice: suggested on the case page, merged with both histories kept, and
counted once in lists and the workbench."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tiaojie.cases import duplicates, services
from tiaojie.cases.history import verify_case
from tiaojie.cases.models import Case
from tiaojie.cases.selectors import (
    CaseFilters,
    cases_for_user,
    countable,
    filter_cases,
    workbench_counts,
)
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.cases.workflow import Status
from tiaojie.core.enums import CaseKind, Category, Channel
from tiaojie.core.errors import Conflict
from tiaojie.regions.models import Region, RegionLevel

pytestmark = pytest.mark.django_db

TEXT = "楼上邻居连续一个月夜间装修，噪音扰民，多次协商无果。"
WANG = PartyInput(name="王建国", id_number="11010519491231002X")


def _case(desk, *, parties=None, region=None, title="装修噪音扰民", text=TEXT, at=None) -> Case:
    return services.register_case(
        actor=desk.clerk,
        kind=CaseKind.DISPUTE,
        category=Category.NEIGHBOURHOOD,
        channel=Channel.WINDOW,
        title=title,
        description=text,
        region=region or desk.world.village_a,
        parties=parties or [PartyInput(name="某人")],
        received_at=at,
    )


def _suggested(desk, case: Case, user=None) -> set[str]:
    return {m.case.code for m in duplicates.duplicates_of(user or desk.clerk.user, case)}


# --- the selector ---------------------------------------------------------------------------------
def test_the_same_person_is_suggested_by_blind_index_whatever_the_text(desk) -> None:
    first = _case(desk, parties=[WANG], title="宅基地纠纷", text="院墙位置争执。")
    second = _case(desk, parties=[WANG], region=desk.world.grid_a)
    (match,) = duplicates.duplicates_of(desk.clerk.user, second)
    assert match.case == first and match.same_person


def test_the_same_phone_counts_as_the_same_person(desk) -> None:
    first = _case(desk, parties=[PartyInput(name="王建国", phone="13812341234")], text="甲")
    second = _case(desk, parties=[PartyInput(name="王老汉", phone="13812341234")], text="乙")
    assert _suggested(desk, second) == {first.code}


def test_nearly_the_same_text_in_the_same_village_is_suggested(desk) -> None:
    first = _case(desk)
    # Another wording of the same complaint, from a grid of the same village.
    second = _case(
        desk,
        region=desk.world.grid_a,
        text="楼上邻居夜间装修一个月了，噪音扰民，协商多次无果。",
    )
    (match,) = duplicates.duplicates_of(desk.clerk.user, second)
    assert match.case == first and match.same_village and not match.same_person
    assert match.similarity >= duplicates.SIMILAR


def test_the_same_text_in_another_village_is_not_suggested(desk) -> None:
    other_village = Region.objects.create(
        code="610502103202", name="西庆村", level=RegionLevel.VILLAGE, parent=desk.world.town_a
    )
    _case(desk)
    assert _suggested(desk, _case(desk, region=other_village)) == set()


def test_a_different_matter_in_the_same_village_is_not_suggested(desk) -> None:
    _case(desk)
    other = _case(desk, title="土地承包合同纠纷", text="承包地租金三年未付，村委会不予处理。")
    assert _suggested(desk, other) == set()


def test_only_cases_within_the_time_window_are_suggested(desk) -> None:
    start = dt.datetime(2025, 1, 6, 1, 0, tzinfo=dt.UTC)
    _case(desk, parties=[WANG], at=start)
    late = _case(desk, parties=[WANG], at=start + dt.timedelta(days=duplicates.WINDOW_DAYS + 1))
    assert _suggested(desk, late) == set()
    near = _case(desk, parties=[WANG], at=start + dt.timedelta(days=duplicates.WINDOW_DAYS - 1))
    assert len(_suggested(desk, near)) == 2  # the first and the late one


def test_closed_and_merged_cases_are_not_suggested(desk) -> None:
    first = _case(desk, parties=[WANG])
    services.withdraw(first, actor=desk.clerk, reason="申请人撤回")
    assert _suggested(desk, _case(desk, parties=[WANG])) == set()


def test_suggestions_stay_inside_the_users_scope(desk) -> None:
    clerk_b = Actor(desk.outsider)
    hidden = services.register_case(
        actor=clerk_b,
        kind=CaseKind.DISPUTE,
        category=Category.NEIGHBOURHOOD,
        channel=Channel.WINDOW,
        title="装修噪音扰民",
        description=TEXT,
        region=desk.world.village_b,
        parties=[WANG],
    )
    mine = _case(desk, parties=[WANG])
    assert hidden.code not in _suggested(desk, mine)
    assert mine.code not in _suggested(desk, hidden, user=desk.outsider)


def test_the_case_page_lists_the_suggestions(client, desk) -> None:
    first = _case(desk, parties=[WANG])
    second = _case(desk, parties=[WANG])
    client.force_login(desk.dispatcher.user)
    body = client.get(reverse("cases:detail", args=[second.code])).content.decode()
    assert first.code in body.split('data-testid="duplicates"', 1)[1]


# --- merging --------------------------------------------------------------------------------------
def test_merging_keeps_both_histories_and_points_to_the_survivor(client, desk) -> None:
    survivor = services.accept(_case(desk, parties=[WANG]), actor=desk.clerk)
    duplicate = _case(desk, parties=[WANG])
    services.merge(duplicate, actor=desk.dispatcher, into=survivor, reason="同一事项")
    duplicate.refresh_from_db()
    survivor.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.merged_into == survivor
    assert list(duplicate.events.values_list("action", flat=True)) == ["register", "merge"]
    actions = list(survivor.events.order_by("seq").values_list("action", "payload"))
    assert actions == [
        ("register", {"channel": "window", "parties": 1}),
        ("accept", {"policy": "people_mediation"}),
        ("merge", {"absorbed": duplicate.code}),
    ]
    assert survivor.status == Status.ACCEPTED and survivor.version == 3
    assert verify_case(survivor) is None and verify_case(duplicate) is None
    client.force_login(desk.dispatcher.user)
    page = client.get(reverse("cases:detail", args=[survivor.code])).content.decode()
    assert duplicate.code in page.split('data-testid="merged-cases"', 1)[1]
    page = client.get(reverse("cases:detail", args=[duplicate.code])).content.decode()
    assert survivor.code in page


def test_a_stale_page_of_the_survivor_is_refused_after_a_merge(desk) -> None:
    survivor = _case(desk)
    shown = Case.objects.get(pk=survivor.pk)
    services.merge(_case(desk), actor=desk.dispatcher, into=survivor)
    with pytest.raises(Conflict):
        services.accept(shown, actor=desk.clerk, expected_version=shown.version)


def test_merged_cases_are_counted_once_in_lists_and_the_workbench(client, desk) -> None:
    survivor = _case(desk)
    duplicate = _case(desk)
    user = desk.dispatcher.user
    assert workbench_counts(user).registered == 2
    services.merge(duplicate, actor=desk.dispatcher, into=survivor)
    counts = workbench_counts(user)
    assert (counts.open, counts.registered) == (1, 1)
    scoped = cases_for_user(user)
    assert list(countable(scoped)) == [survivor]
    assert list(filter_cases(scoped, CaseFilters(), user=user)) == [survivor]
    # Asked for on purpose, the merged cases are still there.
    assert list(filter_cases(scoped, CaseFilters(status=Status.MERGED), user=user)) == [duplicate]
    client.force_login(user)
    listing = client.get(reverse("cases:list")).content.decode()
    assert survivor.code in listing and duplicate.code not in listing
    listing = client.get(reverse("cases:list"), {"status": "merged"}).content.decode()
    assert duplicate.code in listing
    api = client.get("/api/v1/cases").content.decode()
    assert survivor.code in api and duplicate.code not in api
