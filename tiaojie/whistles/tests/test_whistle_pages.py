"""The whistle pages: a summoned department opens the case and checks in, everyone else out of
scope gets 404, the district sees who came late or not at all."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tiaojie.accounts.models import Unit, UnitKind
from tiaojie.accounts.roles import Role
from tiaojie.cases.models import Case, CaseEvent
from tiaojie.cases.workflow import Status
from tiaojie.whistles import services
from tiaojie.whistles.models import CallStatus, Whistle, WhistleCall

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(world):
    w = world
    police = Unit.objects.create(name="渭南市公安局临渭分局", kind=UnitKind.POLICE, region=w.county)
    court = Unit.objects.create(name="临渭区人民法院", kind=UnitKind.COURT, region=w.county)
    case = w.case(
        w.village_a,
        first_unit=w.center_a,
        lead_unit=w.center_a,
        status=Status.IN_PROGRESS,
        title="工地欠薪纠纷",
    )
    return SimpleNamespace(
        world=w,
        case=case,
        police=police,
        town_a=w.user("town_a", w.center_a, Role.TOWN_STAFF),
        officer=w.user("officer", police, Role.HANDLER),
        judge=w.user("judge", court, Role.MEDIATOR),
        district=w.user("district_dispatcher", w.center, Role.DISPATCHER),
        town_b=w.user("town_b", w.center_b, Role.TOWN_STAFF),
    )


def _blow(cast, *, hours: int = 2) -> Whistle:
    return services.raise_whistle(
        cast.case,
        actor=cast.town_a,
        units=[cast.police],
        reason="请公安到场维持秩序。",
        deadline_hours=hours,
    )


def _detail(case: Case) -> str:
    return reverse("cases:detail", args=[case.code])


def test_the_town_blows_the_whistle_from_the_case_page(cast, login) -> None:
    client = login(cast.town_a)
    page = client.get(_detail(cast.case))
    assert 'data-testid="blow-whistle"' in page.content.decode()
    url = reverse("whistles:raise", args=[cast.case.code])
    form = client.get(url).content.decode()
    assert "渭南市公安局临渭分局" in form and "临渭区人民法院" in form
    assert 'value="24"' in form  # the default for an ordinary case
    answer = client.post(
        url, {"units": [cast.police.pk], "reason": "请公安到场。", "deadline_hours": "3"}
    )
    assert answer.status_code == 302 and answer["Location"].endswith("#whistles")
    whistle = Whistle.objects.get()
    assert whistle.deadline_hours == 3 and whistle.calls.get().unit == cast.police
    panel = client.get(_detail(cast.case)).content.decode()
    assert 'data-testid="whistle"' in panel and "待报到" in panel


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "请到场", "deadline_hours": "2"}, "请至少点名一个要召集的部门。"),
        (
            {"units": "police", "reason": "请到场", "deadline_hours": "0"},
            "报到时限须在 1 至 72 小时之间。",
        ),
        (
            {"units": "police", "reason": "请到场", "deadline_hours": "100"},
            "报到时限须在 1 至 72 小时之间。",
        ),
        ({"units": "police", "reason": "", "deadline_hours": "2"}, "请写明需要部门做什么。"),
    ],
    ids=["no departments", "zero hours", "over 72 hours", "no reason"],
)
def test_the_form_refuses_bad_input_in_chinese(cast, login, data, message) -> None:
    if data.get("units") == "police":
        data = {**data, "units": [cast.police.pk]}
    answer = login(cast.town_a).post(reverse("whistles:raise", args=[cast.case.code]), data)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not Whistle.objects.exists() and not CaseEvent.objects.exists()


def test_the_summoned_department_opens_the_case_and_checks_in(cast, login) -> None:
    client = login(cast.officer)
    assert client.get(_detail(cast.case)).status_code == 404  # not yet summoned
    whistle = _blow(cast)
    page = client.get(_detail(cast.case))
    assert page.status_code == 200 and 'data-testid="check-in-form"' in page.content.decode()
    url = reverse("whistles:check_in", args=[cast.case.code, whistle.pk])
    empty = client.post(url, {"what_done": ""}, follow=True)
    assert "请填写本部门做了什么。" in empty.content.decode()
    assert WhistleCall.objects.get().status == CallStatus.PENDING
    client.post(url, {"what_done": "已派民警到场。"})
    call = WhistleCall.objects.get()
    assert call.status == CallStatus.ON_TIME and call.checked_in_by == cast.officer
    # After checking in the department still sees the case (its answer is on record).
    after = client.get(_detail(cast.case)).content.decode()
    assert "已派民警到场。" in after and 'data-testid="check-in-form"' not in after


def test_a_department_not_summoned_gets_404_everywhere(cast, login) -> None:
    whistle = _blow(cast)
    client = login(cast.judge)
    code = cast.case.code
    assert client.get(_detail(cast.case)).status_code == 404
    for name in ("check_in", "close"):
        url = reverse(f"whistles:{name}", args=[code, whistle.pk])
        assert client.post(url, {"what_done": "x"}).status_code == 404
    assert client.get(reverse("whistles:raise", args=[code])).status_code == 404
    listing = client.get(reverse("whistles:list") + "?status=").content.decode()
    assert code not in listing
    assert WhistleCall.objects.get().status == CallStatus.PENDING


def test_a_whistle_id_from_another_case_is_404(cast, login) -> None:
    whistle = _blow(cast)
    other = cast.world.case(cast.world.village_a, first_unit=cast.world.center_a)
    url = reverse("whistles:check_in", args=[other.code, whistle.pk])
    assert login(cast.officer).post(url, {"what_done": "x"}).status_code == 404


def test_the_whistler_closes_from_the_case_page(cast, login) -> None:
    whistle = _blow(cast, hours=48)
    client = login(cast.town_a)
    assert 'data-testid="close-whistle-form"' in client.get(_detail(cast.case)).content.decode()
    client.post(reverse("whistles:close", args=[cast.case.code, whistle.pk]), {"note": "已化解"})
    whistle.refresh_from_db()
    assert whistle.closed_at is not None and whistle.closing_note == "已化解"
    assert WhistleCall.objects.get().status == CallStatus.RELEASED


def test_the_district_lists_late_and_absent_check_ins_with_counts(cast, login) -> None:
    w = cast.world
    other_case = w.case(w.village_a, first_unit=w.center_a, lead_unit=w.center_a, status="accepted")
    with freeze_time("2025-03-03 09:00:00+08:00"):
        late = _blow(cast, hours=1)
        on_time = services.raise_whistle(
            other_case, actor=cast.town_a, units=[w.hrss], reason="请到场", deadline_hours=1
        )
        hrss = w.user("hrss", w.hrss, Role.HANDLER)
        services.check_in(on_time, actor=hrss, what_done="到场")
    with freeze_time("2025-03-03 11:00:00+08:00"):
        services.check_in(late, actor=cast.officer, what_done="迟到")
    client = login(cast.district)
    page = client.get(reverse("whistles:list"))
    body = page.content.decode()
    assert page.status_code == 200
    assert cast.case.code in body and other_case.code not in body  # late or absent only
    assert body.count('data-testid="call-row"') == 1
    tally = re.search(rf'data-unit="{cast.police.pk}">(.*?)</tr>', body).group(1)
    assert re.findall(r'class="text-end[^"]*"[^>]*>(\d+)<', tally) == ["1", "0", "1", "0", "0"]
    everything = client.get(reverse("whistles:list"), {"status": ""}).content.decode()
    assert everything.count('data-testid="call-row"') == 2
    by_unit = client.get(reverse("whistles:list"), {"status": "", "unit": w.hrss.pk})
    assert by_unit.content.decode().count('data-testid="call-row"') == 1
    by_town = client.get(reverse("whistles:list"), {"status": "", "town": w.town_b.code})
    assert by_town.content.decode().count('data-testid="call-row"') == 0
    march = {"status": "", "raised_from": "2025-03-01", "raised_to": "2025-03-31"}
    assert (
        client.get(reverse("whistles:list"), march).content.decode().count('data-testid="call-row"')
        == 2
    )
    april = {"status": "", "raised_from": "2025-04-01", "raised_to": "2025-04-30"}
    assert (
        'data-testid="call-row"' not in client.get(reverse("whistles:list"), april).content.decode()
    )
    # Town B's center sees nothing of town A's whistles.
    other_town = login(cast.town_b).get(reverse("whistles:list"), {"status": ""})
    assert cast.case.code not in other_town.content.decode()
