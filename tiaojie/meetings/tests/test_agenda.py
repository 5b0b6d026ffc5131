"""The monthly meeting's agenda, drawn up from a known month of cases."""

from __future__ import annotations

import pytest

from tiaojie.cases.models import Case
from tiaojie.meetings import agenda
from tiaojie.meetings.models import AgendaHeading, AgendaItem
from tiaojie.meetings.services import open_meeting, refresh_agenda

from .dataset import MONTH, NOW, build

pytestmark = pytest.mark.django_db


def _codes(made: dict[str, Case], *keys: str) -> list[str]:
    return [made[k].code for k in keys]


def _by_heading(drawn: agenda.Agenda) -> dict[str, list[agenda.Draft]]:
    found: dict[str, list[agenda.Draft]] = {h.value: [] for h in AgendaHeading}
    for item in drawn.items:
        found[item.heading.value].append(item)
    return found


def test_the_district_agenda_lists_exactly_the_cases_under_each_heading(world) -> None:
    made = build(world)
    drawn = _by_heading(agenda.build(world.county, MONTH, now=NOW))
    codes = {h: [i.case_code for i in items] for h, items in drawn.items()}
    assert codes["red_orange"] == _codes(made, "c1", "c2", "c11")
    assert codes["overdue"] == _codes(made, "c5", "c7")
    assert [i.figures["days_overdue"] for i in drawn["overdue"]] == [11, 1]
    assert codes["escalated"] == _codes(made, "c13", "c9")
    assert [(i.figures["from_tier"], i.figures["to_tier"]) for i in drawn["escalated"]] == [
        ("town", "leadership"),
        ("town", "district"),
    ]
    petitioners = drawn["repeat_petitioners"]
    assert [(i.title, i.figures["petitions"], i.figures["this_month"]) for i in petitioners] == [
        ("赵*", 2, 2),
        ("张**", 2, 1),
    ]
    assert [i.figures["cases"] for i in petitioners] == [
        _codes(made, "p4a", "p4b"),
        _codes(made, "p1a", "p1b"),
    ]
    assert codes["repeat_petitioners"] == _codes(made, "p4b", "p1b")
    rises = [
        (
            i.figures["town"],
            i.figures["category"],
            i.figures["this"],
            i.figures["previous"],
            i.figures["rise"],
        )
        for i in drawn["rises"]
    ]
    assert rises == [
        ("610502100000", "consumer", 4, 1, 3),
        ("610502103000", "labour", 3, 1, 2),
        ("610502100000", "labour", 2, 0, 2),
        ("610502100000", "other", 2, 0, 2),
    ]


def test_a_town_agenda_holds_only_its_own_town(world) -> None:
    made = build(world)
    drawn = _by_heading(agenda.build(world.town_a, MONTH, now=NOW))
    codes = {h: [i.case_code for i in items] for h, items in drawn.items()}
    assert codes == {
        "red_orange": _codes(made, "c1", "c11"),
        "overdue": _codes(made, "c5"),
        "escalated": _codes(made, "c13", "c9"),
        "repeat_petitioners": _codes(made, "p1b"),
        "rises": [""],
    }
    (rise,) = drawn["rises"]
    assert (rise.figures["town"], rise.figures["category"], rise.figures["rise"]) == (
        "610502103000",
        "labour",
        2,
    )


def test_the_stored_agenda_is_a_snapshot_until_drawn_up_again(world, cast, freeze) -> None:
    made = build(world)
    with freeze(NOW):
        meeting = open_meeting(user=cast.dispatcher, month=MONTH)
    assert meeting.agenda_totals == {
        "red_orange": 2,
        "overdue": 1,
        "escalated": 2,
        "repeat_petitioners": 1,
        "rises": 1,
    }
    item = meeting.agenda.get(heading="red_orange", position=1)
    assert (item.case, item.title) == (made["c1"], "事项c1")
    Case.objects.filter(pk=made["c1"].pk).update(title="改过的标题", status="closed")
    item.refresh_from_db()
    assert item.title == "事项c1"
    with freeze(NOW):
        refresh_agenda(meeting, user=cast.dispatcher)
    assert list(
        AgendaItem.objects.filter(meeting=meeting, heading="red_orange").values_list(
            "case_code", flat=True
        )
    ) == _codes(made, "c11")


def test_the_meeting_page_shows_masked_petitioners_only(world, cast, login, freeze) -> None:
    made = build(world)
    with freeze(NOW):
        meeting = open_meeting(user=cast.district, month=MONTH)
    body = login(cast.district).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "张**" in body and "赵*" in body
    assert "张三丰" not in body and "赵六" not in body
    assert made["c13"].code in body
    assert "?town=610502100000&amp;category=consumer&amp;received_from=2025-03-01" in body
