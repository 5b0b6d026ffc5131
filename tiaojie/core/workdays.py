"""Working days and deadlines (工作日与期限).

Which days are working days: a `CalendarDay` row decides first; otherwise the bundled
`chinese_calendar` package (the State Council's holidays and 调休 make-up workdays, 2004 to
the year of its release); for a year neither knows, Monday to Friday, with a warning in the
log once per year so that an administrator imports the new notice.

How deadlines count, following Chinese administrative practice:

- Days are Beijing days (Asia/Shanghai), whatever ``settings.TIME_ZONE`` or the user's time
  zone says: the official calendar is Beijing's.
- The day a period starts is not counted (期间开始的时和日不计算在期间内).
- A period ends at the end of its last day, 23:59:59.999999 Beijing time, because deadlines
  count whole days.
- A calendar-day period whose last day is a rest day ends at the end of the next working
  day (民事诉讼法 art. 85, applied by analogy in 信访 practice). "Rest day" means any day
  that is not a working day: official holidays and ordinary weekends alike, as courts read
  法定休假日; a Saturday that is a 调休 make-up workday is a working day.

Every function takes aware datetimes (a plain `date` means that Beijing day) and returns
aware datetimes in Beijing time.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
from django.db import transaction
from django.utils import timezone

from tiaojie.core import cache
from tiaojie.core.calendar_models import CalendarDay

logger = logging.getLogger(__name__)

CHINA_TZ = ZoneInfo("Asia/Shanghai")

Moment = datetime | date


# --- The calendar ----------------------------------------------------------------------------


def _read_year(year: int) -> dict[date, bool]:
    """The table's verdicts for one year: one query per year, not one per day."""
    return dict(
        CalendarDay.objects.filter(date__range=(date(year, 1, 1), date(year, 12, 31))).values_list(
            "date", "is_workday"
        )
    )


# Kept until a calendar day is saved or deleted anywhere (the "calendar" version moves).
_years = cache.register("core.calendar_years", _read_year, depends_on=("calendar",), maxsize=64)


def _overrides_for(year: int) -> dict[date, bool]:
    return _years.get(year)


def package_covers(year: int) -> bool:
    """Whether the bundled `chinese_calendar` knows this year's official holidays."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _warn(year: int) -> bool:
    logger.warning(
        "no official calendar for %s (chinese_calendar does not cover it and there are no "
        "calendar rows): counting Monday to Friday as working days; import the State Council "
        "notice with `tiaojie calendar import`",
        year,
    )
    return True


# Warn once per year and process, and again after the calendar changed.
_warned = cache.register("core.calendar_fallback_warned", _warn, depends_on=("calendar",))


def _warn_fallback(year: int) -> None:
    _warned.get(year)


def local_date(moment: Moment) -> date:
    """The Beijing calendar day of an aware datetime (a `date` is returned as it is)."""
    if isinstance(moment, datetime):
        if timezone.is_naive(moment):
            raise ValueError("deadline arithmetic needs an aware datetime")
        return timezone.localtime(moment, CHINA_TZ).date()
    return moment


def end_of_day(day: date) -> datetime:
    """23:59:59.999999 Beijing time on ``day``: the moment a period ending that day runs out."""
    return datetime.combine(day, clock_time.max, tzinfo=CHINA_TZ)


def is_workday(day: Moment) -> bool:
    """Whether ``day`` (a date, or the Beijing day of an aware datetime) is a working day."""
    day = local_date(day)
    overrides = _overrides_for(day.year)
    if day in overrides:
        return overrides[day]
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        # Rows for the year mean an administrator entered its notice: the days it does not
        # list are ordinary days, so there is nothing to warn about.
        if not overrides:
            _warn_fallback(day.year)
        return day.weekday() < 5


def next_workday(day: Moment) -> date:
    """The first working day after ``day`` (never ``day`` itself)."""
    current = local_date(day) + timedelta(days=1)
    while not is_workday(current):
        current += timedelta(days=1)
    return current


def _days_after(first: date, last: date) -> Iterator[date]:
    """The days after ``first`` up to and including ``last``."""
    current = first + timedelta(days=1)
    while current <= last:
        yield current
        current += timedelta(days=1)


# --- Deadline arithmetic ---------------------------------------------------------------------


def add_working_days(start: Moment, days: int) -> datetime:
    """The end of the ``days``-th working day after the start day (0: the end of the start day).

    Five working days from Friday 2025-01-24 end on Friday 2025-02-07: the Spring Festival
    holidays are skipped and Sunday 2025-01-26, a make-up workday, counts.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    current = local_date(start)
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return end_of_day(current)


def add_calendar_days(start: Moment, days: int, *, roll_over_holidays: bool = True) -> datetime:
    """The end of the ``days``-th day after the start day.

    With ``roll_over_holidays`` (the default, 民事诉讼法 art. 85), a last day that is not a
    working day (holiday or weekend) moves to the next working day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    last = local_date(start) + timedelta(days=days)
    if roll_over_holidays and not is_workday(last):
        last = next_workday(last)
    return end_of_day(last)


def working_days_between(a: Moment, b: Moment) -> int:
    """Working days after ``a``'s day up to and including ``b``'s day; negative if b < a.

    ``working_days_between(start, add_working_days(start, n)) == n`` for every n >= 0, so
    ``working_days_between(now, due)`` is the number of working days left.
    """
    first, last = local_date(a), local_date(b)
    if last < first:
        return -working_days_between(b, a)
    return sum(1 for day in _days_after(first, last) if is_workday(day))


def extend_for_pause(
    due: datetime,
    paused_from: datetime,
    paused_to: datetime,
    *,
    working_days: bool,
    roll_over_holidays: bool = True,
) -> datetime:
    """The due time after a suspension (中止) from ``paused_from`` until ``paused_to``.

    The paused span is counted in the unit of the deadline's policy:

    - Calendar days: the due time moves by exactly the elapsed time (a two-hour pause gives
      two hours back). With ``roll_over_holidays``, a new due time that falls on a rest day
      moves to the end of the next working day, as for the original deadline.
    - Working days: the due time moves by the number of working days the pause touched,
      counting a working day once if any part of it was paused. Deadlines end at day
      boundaries, so part of a day cannot be given back; giving the whole day back keeps
      the handling unit from losing time to a clock the law stopped. Rest days inside the
      pause give nothing back, because the clock does not run on them anyway. The result
      is the end of a working day.

    Pass each suspension once, as a whole: splitting one pause into pieces that share a day
    would count that day twice.
    """
    if timezone.is_naive(due) or timezone.is_naive(paused_from) or timezone.is_naive(paused_to):
        raise ValueError("deadline arithmetic needs aware datetimes")
    if paused_to < paused_from:
        raise ValueError("a pause cannot end before it starts")
    if paused_to == paused_from:
        return timezone.localtime(due, CHINA_TZ)
    if working_days:
        # The pause is the half-open span [from, to): ending at midnight touches no new day.
        first = local_date(paused_from)
        last = local_date(paused_to - timedelta(microseconds=1))
        touched = sum(1 for day in _days_after(first - timedelta(days=1), last) if is_workday(day))
        if not touched:
            return timezone.localtime(due, CHINA_TZ)
        return add_working_days(due, touched)
    moved = timezone.localtime(due + (paused_to - paused_from), CHINA_TZ)
    if roll_over_holidays and not is_workday(moved):
        return end_of_day(next_workday(moved))
    return moved


@dataclass(frozen=True)
class DeadlineRule:
    """A period of ``days`` calendar or working days, e.g. 15 days or 30 working days."""

    days: int
    working_days: bool
    roll_over_holidays: bool = True  # calendar-day rules only; working days never end on rest

    def __post_init__(self) -> None:
        if self.days < 0:
            raise ValueError("days must not be negative")

    def due_from(self, start: Moment) -> datetime:
        """When a period of this rule starting at ``start`` runs out."""
        if self.working_days:
            return add_working_days(start, self.days)
        return add_calendar_days(start, self.days, roll_over_holidays=self.roll_over_holidays)

    def extend_for_pause(
        self, due: datetime, paused_from: datetime, paused_to: datetime
    ) -> datetime:
        """``due`` moved later by a suspension, counted in this rule's unit."""
        return extend_for_pause(
            due,
            paused_from,
            paused_to,
            working_days=self.working_days,
            roll_over_holidays=self.roll_over_holidays,
        )


# --- The calendar table: import and listing --------------------------------------------------

CSV_COLUMNS = ("date", "is_workday", "name", "source")
_REQUIRED_COLUMNS = ("date", "is_workday", "name")
_TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "workday", "是", "班", "上班", "工作日"})
_FALSE_WORDS = frozenset({"0", "false", "f", "no", "n", "holiday", "否", "休", "休息", "节假日"})
# ISO dates, and the 2025/1/28 form spreadsheets like to turn them into.
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


@dataclass
class ImportReport:
    """What an import did, or why it did nothing (``errors``, one per problem, by line)."""

    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_date(text: str) -> date | None:
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _parse_rows(path: Path, report: ImportReport) -> dict[date, dict[str, Any]]:
    """Read and check the whole file before anything is written; line 1 is the header."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            report.errors.append(
                "line 1: the file is empty; expected date,is_workday,name[,source]"
            )
            return {}
        columns = [name.strip().lower() for name in header]
        unknown = [name for name in columns if name not in CSV_COLUMNS]
        missing = [name for name in _REQUIRED_COLUMNS if name not in columns]
        if unknown or missing or len(set(columns)) != len(columns):
            report.errors.append(
                f"line 1: the header must be date,is_workday,name[,source]; got {','.join(header)}"
            )
            return {}
        max_name = CalendarDay._meta.get_field("name").max_length or 0
        max_source = CalendarDay._meta.get_field("source").max_length or 0
        seen: dict[date, int] = {}
        parsed: dict[date, dict[str, Any]] = {}
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(columns):
                report.errors.append(
                    f"line {line}: expected {len(columns)} columns, found {len(record)}"
                )
                continue
            values = {name: cell.strip() for name, cell in zip(columns, record, strict=True)}
            problems = []
            day = _parse_date(values["date"])
            if day is None:
                problems.append(f"date {values['date']!r} is not a date like 2027-01-01")
            elif day in seen:
                problems.append(f"date {day.isoformat()} is already on line {seen[day]}")
            flag = values["is_workday"].lower()
            if flag not in _TRUE_WORDS | _FALSE_WORDS:
                problems.append(
                    f"is_workday {values['is_workday']!r} is not 1/0, true/false or 班/休"
                )
            if not values["name"]:
                problems.append("name is empty")
            elif len(values["name"]) > max_name:
                problems.append(f"name is longer than {max_name} characters")
            source = values.get("source", "")
            if len(source) > max_source:
                problems.append(f"source is longer than {max_source} characters")
            if problems:
                report.errors.append(f"line {line}: " + "; ".join(problems))
            if day is not None and day not in seen:
                seen[day] = line
            if not problems and day is not None:
                parsed[day] = {
                    "is_workday": flag in _TRUE_WORDS,
                    "name": values["name"],
                    "source": source,
                }
        if not seen and not report.errors:
            report.errors.append("line 1: the file has a header but no days")
    return parsed


def import_calendar(path: str | Path) -> ImportReport:
    """Load a CSV of official days (date,is_workday,name[,source]) into the calendar table.

    All or nothing: any problem, reported by line with the header as line 1, writes
    nothing. Re-runnable: rows are matched by date, and rows that already say the same
    are left untouched. Raises OSError or UnicodeDecodeError when the file cannot be read.
    """
    report = ImportReport()
    parsed = _parse_rows(Path(path), report)
    if not report.ok:
        return report
    with transaction.atomic():
        existing = {row.date: row for row in CalendarDay.objects.filter(date__in=list(parsed))}
        for day, values in sorted(parsed.items()):
            row = existing.get(day)
            if row is not None and all(getattr(row, k) == v for k, v in values.items()):
                report.unchanged += 1
                continue
            _, created = CalendarDay.objects.update_or_create(date=day, defaults=values)
            if created:
                report.created += 1
            else:
                report.updated += 1
        # Saves bump the calendar's version by their signals; updates that changed nothing
        # send none, and an import of unchanged days needs no bump.
    return report


@dataclass(frozen=True)
class CalendarEntry:
    """One official day of a year: a holiday, or a make-up workday."""

    day: date
    is_workday: bool
    name: str
    origin: str  # "table" (a CalendarDay row) or "package" (chinese_calendar)
    source: str = ""


def _chinese_name(english: str) -> str:
    # The package keys its tables by the English names of its Holiday enum.
    for holiday in chinese_calendar.Holiday:
        if holiday.value == english:
            return str(holiday.chinese)
    return english


def year_calendar(year: int) -> list[CalendarEntry]:
    """The holidays and make-up workdays of ``year``: table rows win over the package."""
    entries: dict[date, CalendarEntry] = {}
    for day, english in chinese_calendar.holidays.items():
        if day.year == year:
            entries[day] = CalendarEntry(day, False, _chinese_name(english), "package")
    for day, english in chinese_calendar.workdays.items():
        if day.year == year:
            name = f"{_chinese_name(english)}调休上班"
            entries[day] = CalendarEntry(day, True, name, "package")
    for row in CalendarDay.objects.filter(date__year=year):
        entries[row.date] = CalendarEntry(row.date, row.is_workday, row.name, "table", row.source)
    return [entries[day] for day in sorted(entries)]
