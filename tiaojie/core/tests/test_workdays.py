"""Working days follow the official calendar, and deadlines count whole Beijing days."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tiaojie.core import cache
from tiaojie.core.calendar_models import CalendarDay
from tiaojie.core.workdays import (
    CHINA_TZ,
    DeadlineRule,
    add_calendar_days,
    add_working_days,
    extend_for_pause,
    is_workday,
    working_days_between,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    # Rows vanish when each test's transaction rolls back, without a delete signal.
    cache.clear_all()
    yield
    cache.clear_all()


def beijing(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CHINA_TZ)


def end_of(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 23, 59, 59, 999999, tzinfo=CHINA_TZ)


# --- Which days are working days -------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [date(2025, 1, 28) + timedelta(days=n) for n in range(8)]  # 春节 2025-01-28 … 02-04
    + [date(2025, 10, 1) + timedelta(days=n) for n in range(8)],  # 国庆 2025-10-01 … 10-08
)
def test_the_2025_spring_festival_and_national_day_holidays_are_rest_days(day: date) -> None:
    assert not is_workday(day)


@pytest.mark.parametrize(
    "day",
    [date(2025, 1, 26), date(2025, 2, 8), date(2025, 9, 28), date(2025, 10, 11)],
    ids=["Sun 01-26", "Sat 02-08", "Sun 09-28", "Sat 10-11"],
)
def test_the_2025_make_up_weekends_are_working_days(day: date) -> None:
    assert day.weekday() >= 5
    assert is_workday(day)


def test_ordinary_weekdays_work_and_ordinary_weekends_rest() -> None:
    assert is_workday(date(2025, 3, 5))  # Wednesday
    assert not is_workday(date(2025, 3, 8))  # Saturday


def test_an_aware_datetime_is_judged_by_its_beijing_day() -> None:
    # Monday 2025-01-27 16:30 UTC is already Tuesday 01-28 00:30 in Beijing, a holiday.
    assert not is_workday(datetime(2025, 1, 27, 16, 30, tzinfo=UTC))


# --- Working-day deadlines -------------------------------------------------------------------


def test_five_working_days_from_friday_24_january_2025_end_on_friday_7_february() -> None:
    # Fri 01-24 → Sun 01-26 (make-up) 1, Mon 01-27 2, [01-28 … 02-04 holidays], 02-05 3, 02-06 4,
    # 02-07 5.
    assert add_working_days(beijing(2025, 1, 24, 15), 5) == end_of(2025, 2, 7)


def test_the_sixth_working_day_after_it_is_the_make_up_saturday() -> None:
    assert add_working_days(beijing(2025, 1, 24), 6) == end_of(2025, 2, 8)


def test_five_working_days_from_the_friday_before_national_day_end_on_october_10() -> None:
    # Fri 09-26 → Sun 09-28 1, 09-29 2, 09-30 3, [10-01 … 10-08], Thu 10-09 4, Fri 10-10 5.
    assert add_working_days(beijing(2025, 9, 26), 5) == end_of(2025, 10, 10)
    assert add_working_days(beijing(2025, 9, 26), 6) == end_of(2025, 10, 11)  # make-up Saturday
    assert add_working_days(beijing(2025, 9, 26), 7) == end_of(2025, 10, 13)  # Sunday rests


def test_the_start_day_is_not_counted_and_zero_days_end_with_it() -> None:
    assert add_working_days(beijing(2025, 3, 3), 1) == end_of(2025, 3, 4)
    assert add_working_days(beijing(2025, 3, 3), 0) == end_of(2025, 3, 3)


def test_the_start_day_is_the_beijing_day_not_the_utc_day() -> None:
    # 2025-01-26 16:30 UTC is Monday 01-27 00:30 in Beijing; the next working day is 02-05.
    assert add_working_days(datetime(2025, 1, 26, 16, 30, tzinfo=UTC), 1) == end_of(2025, 2, 5)


def test_naive_datetimes_and_negative_periods_are_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(datetime(2025, 3, 3, 9, 0), 1)
    with pytest.raises(ValueError):
        add_working_days(beijing(2025, 3, 3), -1)


# --- Calendar-day deadlines ------------------------------------------------------------------


def test_a_calendar_period_ending_on_a_spring_festival_holiday_rolls_over() -> None:
    # 2025-01-20 + 15 days = Tue 02-04, the last holiday; the next working day is Wed 02-05.
    assert add_calendar_days(beijing(2025, 1, 20), 15) == end_of(2025, 2, 5)
    assert add_calendar_days(beijing(2025, 1, 20), 15, roll_over_holidays=False) == end_of(
        2025, 2, 4
    )


def test_a_calendar_period_ending_in_the_national_day_week_rolls_over_past_it() -> None:
    # Sat 09-20 + 15 days = Sun 10-05; the first working day after it is Thu 10-09.
    assert add_calendar_days(beijing(2025, 9, 20), 15) == end_of(2025, 10, 9)
    assert add_calendar_days(beijing(2025, 9, 20), 15, roll_over_holidays=False) == end_of(
        2025, 10, 5
    )


def test_a_calendar_period_ending_on_an_ordinary_saturday_rolls_over_to_monday() -> None:
    assert add_calendar_days(beijing(2025, 3, 1), 14) == end_of(2025, 3, 17)


def test_a_calendar_period_ending_on_a_make_up_sunday_does_not_roll_over() -> None:
    assert add_calendar_days(beijing(2025, 9, 13), 15) == end_of(2025, 9, 28)


def test_a_deadline_rule_picks_its_unit() -> None:
    start = beijing(2025, 1, 24)
    assert DeadlineRule(5, working_days=True).due_from(start) == end_of(2025, 2, 7)
    assert DeadlineRule(15, working_days=False).due_from(start) == end_of(2025, 2, 8)
    with pytest.raises(ValueError):
        DeadlineRule(-1, working_days=True)


# --- Counting working days between two moments -----------------------------------------------


def test_working_days_between_counts_after_the_first_day_up_to_and_including_the_last() -> None:
    assert working_days_between(beijing(2025, 1, 24), beijing(2025, 2, 7, 18)) == 5
    assert working_days_between(beijing(2025, 2, 7), beijing(2025, 1, 24)) == -5
    assert working_days_between(beijing(2025, 3, 3, 8), beijing(2025, 3, 3, 20)) == 0
    assert working_days_between(beijing(2025, 1, 27), beijing(2025, 2, 4)) == 0  # all holiday
    assert working_days_between(beijing(2025, 9, 26), beijing(2025, 10, 13)) == 7


def test_working_days_between_undoes_add_working_days() -> None:
    start = beijing(2025, 9, 20)
    for n in range(25):
        assert working_days_between(start, add_working_days(start, n)) == n


# --- The calendar table overrides the package ------------------------------------------------


def test_a_row_turns_an_ordinary_wednesday_into_a_holiday_and_a_sunday_into_a_workday() -> None:
    wednesday, sunday = date(2025, 3, 5), date(2025, 3, 9)
    assert is_workday(wednesday) and not is_workday(sunday)  # cached now

    CalendarDay.objects.create(date=wednesday, is_workday=False, name="地方假日")
    CalendarDay.objects.create(date=sunday, is_workday=True, name="调休上班")

    assert not is_workday(wednesday)
    assert is_workday(sunday)
    assert add_working_days(beijing(2025, 3, 4), 1) == end_of(2025, 3, 6)
    assert add_working_days(beijing(2025, 3, 7), 1) == end_of(2025, 3, 9)


def test_bulk_updates_show_after_a_bump_of_the_calendar() -> None:
    CalendarDay.objects.create(date=date(2025, 3, 5), is_workday=False, name="地方假日")
    assert not is_workday(date(2025, 3, 5))

    CalendarDay.objects.filter(date=date(2025, 3, 5)).update(is_workday=True)  # no signal
    cache.bump("calendar")

    assert is_workday(date(2025, 3, 5))


def test_a_year_of_deadlines_costs_one_query(django_assert_num_queries: Any) -> None:
    is_workday(date(2024, 1, 2))  # the cache versions are read once per request
    with django_assert_num_queries(1):
        add_working_days(beijing(2025, 1, 2), 200)


# --- Years nobody has published --------------------------------------------------------------


def test_a_year_the_package_does_not_know_falls_back_to_monday_to_friday_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="tiaojie.core.workdays"):
        assert is_workday(date(2030, 1, 4))  # Friday
        assert not is_workday(date(2030, 1, 5))  # Saturday
        assert add_working_days(beijing(2030, 1, 4), 1) == end_of(2030, 1, 7)
    warnings = [r for r in caplog.records if r.name == "tiaojie.core.workdays"]
    assert len(warnings) == 1
    assert "2030" in warnings[0].getMessage()


def test_rows_for_an_unknown_year_win_and_silence_the_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    CalendarDay.objects.create(date=date(2030, 1, 1), is_workday=False, name="元旦")
    with caplog.at_level(logging.WARNING, logger="tiaojie.core.workdays"):
        assert not is_workday(date(2030, 1, 1))  # a Tuesday
        assert is_workday(date(2030, 1, 2))
    assert not [r for r in caplog.records if r.name == "tiaojie.core.workdays"]


# --- Suspensions ----------------------------------------------------------------------------


def test_a_working_day_deadline_moves_by_the_working_days_the_pause_touched() -> None:
    due = add_working_days(beijing(2025, 1, 24), 5)  # end of Fri 02-07
    # Paused Mon 01-27 10:00 → Wed 02-05 15:00: touches working days 01-27 and 02-05 only.
    moved = extend_for_pause(
        due, beijing(2025, 1, 27, 10), beijing(2025, 2, 5, 15), working_days=True
    )
    assert moved == end_of(2025, 2, 10)  # Sat 02-08 (make-up) and Mon 02-10


def test_a_pause_of_two_hours_costs_a_working_day_and_a_weekend_pause_costs_nothing() -> None:
    due = end_of(2025, 3, 14)  # Friday
    two_hours = extend_for_pause(
        due, beijing(2025, 3, 3, 10), beijing(2025, 3, 3, 12), working_days=True
    )
    assert two_hours == end_of(2025, 3, 17)
    weekend = extend_for_pause(
        due, beijing(2025, 3, 8, 9), beijing(2025, 3, 9, 18), working_days=True
    )
    assert weekend == due
    until_midnight = extend_for_pause(
        due, beijing(2025, 3, 3, 10), beijing(2025, 3, 4, 0), working_days=True
    )
    assert until_midnight == end_of(2025, 3, 17)  # Tuesday was not touched


def test_a_calendar_day_deadline_moves_by_exactly_the_time_paused() -> None:
    due = end_of(2025, 3, 10)  # Monday
    moved = extend_for_pause(
        due, beijing(2025, 3, 3, 10), beijing(2025, 3, 5, 15), working_days=False
    )
    assert moved == due + timedelta(days=2, hours=5)  # Thu 03-13 04:59:59.999999
    short = extend_for_pause(
        end_of(2025, 3, 12), beijing(2025, 3, 3, 10), beijing(2025, 3, 3, 13), working_days=False
    )
    assert short == end_of(2025, 3, 12) + timedelta(hours=3)


def test_a_calendar_day_deadline_pushed_into_the_holidays_rolls_over() -> None:
    due = end_of(2025, 9, 29)
    pause = (beijing(2025, 9, 1), beijing(2025, 9, 3))
    assert extend_for_pause(due, *pause, working_days=False) == end_of(2025, 10, 9)
    rule = DeadlineRule(15, working_days=False, roll_over_holidays=False)
    assert rule.extend_for_pause(due, *pause) == end_of(2025, 10, 1)


def test_a_pause_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        extend_for_pause(
            end_of(2025, 3, 10), beijing(2025, 3, 5), beijing(2025, 3, 3), working_days=True
        )


# --- tiaojie calendar import / show ---------------------------------------------------------


GOOD_CSV = """date,is_workday,name,source
2030-01-01,0,元旦,国务院办公厅关于2030年部分节假日安排的通知
2030-02-02,1,春节调休上班,国务院办公厅关于2030年部分节假日安排的通知
2030-02-04,休,春节,
"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "calendar.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("calendar", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_bad_file_is_reported_by_line_and_writes_nothing(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "date,is_workday,name\n"
        "2030-01-01,0,元旦\n"
        "2030-13-01,0,春节\n"
        "2030-02-04,maybe,春节\n"
        "2030-01-01,0,元旦\n"
        "2030-02-05,1,\n",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="4 problem"):
        call_command("calendar", "import", path, stdout=StringIO(), stderr=err)
    report = err.getvalue()
    assert len(report.splitlines()) == 4
    assert "line 3: date '2030-13-01'" in report
    assert "line 4: is_workday 'maybe'" in report
    assert "line 5: date 2030-01-01 is already on line 2" in report
    assert "line 6: name is empty" in report
    assert not CalendarDay.objects.exists()


def test_a_wrong_header_is_line_1(tmp_path: Path) -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "calendar", "import", write(tmp_path, "day,name\n2030-01-01,元旦\n"), stderr=err
        )
    assert err.getvalue().startswith("line 1:")


def test_a_good_file_imports_and_re_running_it_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_CSV)
    out, _ = run("import", path)
    assert out.strip() == "created 3, updated 0, unchanged 0"
    assert not is_workday(date(2030, 1, 1))
    assert is_workday(date(2030, 2, 2))  # a Saturday
    before = list(CalendarDay.objects.values())

    out, _ = run("import", path)

    assert out.strip() == "created 0, updated 0, unchanged 3"
    assert list(CalendarDay.objects.values()) == before


def test_re_importing_a_corrected_file_updates_by_date(tmp_path: Path) -> None:
    run("import", write(tmp_path, GOOD_CSV))
    out, _ = run("import", write(tmp_path, GOOD_CSV.replace("2030-02-04,休", "2030-02-04,班")))
    assert out.strip() == "created 0, updated 1, unchanged 2"
    assert is_workday(date(2030, 2, 4))


def test_show_lists_holidays_and_make_up_days_and_says_where_each_came_from() -> None:
    CalendarDay.objects.create(date=date(2025, 3, 5), is_workday=False, name="地方假日")
    out, _ = run("show", "2025")
    assert "2025-01-26 Sun  workday  春节调休上班  [package]" in out
    assert "2025-10-01 Wed  holiday  国庆节  [package]" in out
    assert "2025-03-05 Wed  holiday  地方假日  [table]" in out
    assert "2025-03-06" not in out


def test_show_says_when_a_year_has_no_official_calendar() -> None:
    out, _ = run("show", "2031")
    assert "no official calendar for 2031" in out
