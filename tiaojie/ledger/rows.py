"""One ledger row → one past case, or the row's problems.

Every problem names its row and field and has a code; the page turns the code into a
sentence in the reader's language (``MESSAGES``). A problem may show the cell's value only
for fields that hold no personal data (dates, kinds, types, counts, codes), cut short and
with long digit runs hidden, so the report can never show an ID or phone number.

A row's fingerprint is a keyed hash of its values as understood (not as typed: 2024/3/1
and 2024-03-01 are the same date) and of the importing unit, so re-importing the same
ledger, or the same rows in another file or order, finds them already imported.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import Unit
from tiaojie.cases.bulk import Ending, PastCase, may_conclude
from tiaojie.cases.models import PartyRole
from tiaojie.cases.services import PartyInput
from tiaojie.core.crypto import blind_index
from tiaojie.core.enums import CaseKind, Category, Channel
from tiaojie.core.idnumber import id_number_problem, is_valid_mobile, normalize_id_number
from tiaojie.regions.locate import locate_id
from tiaojie.regions.models import Region

from .columns import LedgerField as F

MESSAGES = {
    "missing": _("%(field)s is missing."),
    "id_format": _("The ID number is not 18 digits (the last may be X)."),
    "id_birth_date": _("The date of birth in the ID number does not exist."),
    "id_check_digit": _("The check digit of the ID number is wrong."),
    "phone": _("The phone number is neither a mobile nor a landline number."),
    "date": _("%(field)s is not a date: “%(value)s”."),
    "future": _("%(field)s lies in the future: “%(value)s”."),
    "before_received": _("The case is concluded before it was received."),
    "kind": _("Unknown kind “%(value)s”."),
    "category": _("Unknown dispute type “%(value)s”."),
    "channel": _("Unknown channel “%(value)s”."),
    "status": _("Unknown status “%(value)s”."),
    "place": _("The place is not found in your unit's area."),
    "region_code": _("Division code “%(value)s” is not in your unit's area."),
    "people_count": _("People involved is not a whole number from 1 up: “%(value)s”."),
    "too_long": _("%(field)s is longer than %(value)s characters."),
    "conclude_role": _("A concluded case can only be imported by a dispatcher."),
}

# Fields whose values may be shown in a problem (no personal data in them).
_SHOWN = {F.KIND, F.CATEGORY, F.CHANNEL, F.STATUS, F.RECEIVED_AT, F.CONCLUDED_AT, F.REGION_CODE}
_SHOWN |= {F.PEOPLE_COUNT}
_LONG_DIGITS = re.compile(r"\d{7,}")
_LANDLINE = re.compile(r"^(\+?86-?)?0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})\s*[:时点]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2}))?\s*秒?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)

TITLE_MAX = 200
NAME_MAX = 50
TITLE_FROM_DESCRIPTION = 30


@dataclass(frozen=True)
class Problem:
    row: int
    field: str
    code: str
    value: str = ""

    def as_list(self) -> list[Any]:
        return [self.row, self.field, self.code, self.value]


@dataclass
class Parsed:
    row: int
    case: PastCase
    fingerprint: str


@dataclass
class Context:
    """What every row of one import is checked against."""

    unit: Unit
    mapping: dict[str, int]
    defaults: dict[str, str]
    may_conclude: bool
    root: Region
    regions: dict[int, Region]
    codes: dict[str, int]
    today: dt.date
    tz: dt.tzinfo
    places: dict[str, int | None] = field(default_factory=dict)

    @classmethod
    def build(
        cls, *, unit: Unit, user: Any, mapping: dict[str, int], defaults: dict[str, str]
    ) -> Context:
        root = unit.region
        regions = {r.pk: r for r in Region.objects.subtree(root)}
        return cls(
            unit=unit,
            mapping=mapping,
            defaults=defaults,
            may_conclude=may_conclude(user),
            root=root,
            regions=regions,
            codes={r.code: r.pk for r in regions.values()},
            today=timezone.localdate(),
            tz=timezone.get_current_timezone(),
        )

    def place(self, text: str) -> int | None:
        if text not in self.places:
            self.places[text] = locate_id(text, self.root)
        return self.places[text]


# --- values --------------------------------------------------------------------------------
def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def shown(value: Any) -> str:
    """A cell's value as a problem may show it: short, long digit runs hidden."""
    text = _LONG_DIGITS.sub("…", text_of(value))
    return text[:20] + ("…" if len(text) > 20 else "")


def parse_date(value: Any, tz: dt.tzinfo | None = None) -> dt.datetime | None:
    """An aware datetime (the site's time zone) from a cell, or None if it is not a date.

    Excel dates, ISO and Chinese forms (2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日 14:30,
    20240301) and Excel's day numbers. A date without a time is its midnight.
    """
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 100_000:
            return None
        moment = _EXCEL_EPOCH + dt.timedelta(days=float(value))
        moment = moment.replace(microsecond=0)
    else:
        text = text_of(value)
        match = _DATE.match(text) or _COMPACT_DATE.match(text)
        if not match:
            return None
        parts = [int(p) if p else 0 for p in match.groups()]
        parts += [0] * (6 - len(parts))
        try:
            year, month, day, hour, minute, second = parts[:6]
            moment = dt.datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
    if timezone.is_aware(moment):
        return moment
    # zoneinfo zones resolve the offset from the wall time itself: replace() is exact.
    return moment.replace(tzinfo=tz or timezone.get_current_timezone())


def _labels(choices: Any, extra: dict[str, str]) -> dict[str, str]:
    """Every way a value of ``choices`` is written → its stored value."""
    table = {}
    for value, label in choices.choices:
        table[value.lower()] = value
        table[str(label).lower()] = value
        with translation.override("zh-hans"):
            table[str(label)] = value
    table.update(extra)
    return table


@cache
def _kinds() -> dict[str, str]:
    return _labels(
        CaseKind,
        {
            "矛盾纠纷": CaseKind.DISPUTE,
            "纠纷": CaseKind.DISPUTE,
            "信访": CaseKind.PETITION,
            "信访事项": CaseKind.PETITION,
            "便民诉求": CaseKind.REQUEST,
            "诉求": CaseKind.REQUEST,
            "求助": CaseKind.REQUEST,
            "咨询": CaseKind.REQUEST,
            "风险隐患": CaseKind.HAZARD,
            "隐患": CaseKind.HAZARD,
        },
    )


@cache
def _categories() -> dict[str, str]:
    return _labels(
        Category,
        {
            "婚姻家庭": Category.MARRIAGE_FAMILY,
            "婚姻": Category.MARRIAGE_FAMILY,
            "家庭": Category.MARRIAGE_FAMILY,
            "继承": Category.MARRIAGE_FAMILY,
            "邻里": Category.NEIGHBOURHOOD,
            "房屋宅基地": Category.HOUSING_HOMESTEAD,
            "宅基地": Category.HOUSING_HOMESTEAD,
            "房屋": Category.HOUSING_HOMESTEAD,
            "合同": Category.CONTRACT,
            "借贷": Category.CONTRACT,
            "生产经营": Category.BUSINESS,
            "损害赔偿": Category.DAMAGES,
            "山林土地": Category.LAND_FOREST,
            "土地": Category.LAND_FOREST,
            "土地承包": Category.LAND_FOREST,
            "征地拆迁": Category.LAND_REQUISITION,
            "拆迁": Category.LAND_REQUISITION,
            "环境污染": Category.ENVIRONMENT,
            "环境": Category.ENVIRONMENT,
            "劳动争议": Category.LABOUR,
            "劳资": Category.LABOUR,
            "欠薪": Category.LABOUR,
            "消费": Category.CONSUMER,
            "医疗": Category.MEDICAL,
            "医患": Category.MEDICAL,
            "道路交通事故": Category.TRAFFIC,
            "交通事故": Category.TRAFFIC,
            "物业": Category.PROPERTY_MANAGEMENT,
            "物业服务": Category.PROPERTY_MANAGEMENT,
            "其他": Category.OTHER,
            "其它": Category.OTHER,
        },
    )


@cache
def _channels() -> dict[str, str]:
    return _labels(
        Channel,
        {
            "窗口": Channel.WINDOW,
            "窗口受理": Channel.WINDOW,
            "来访": Channel.VISIT,
            "走访": Channel.VISIT,
            "来信": Channel.LETTER,
            "来电": Channel.PHONE,
            "电话": Channel.PHONE,
            "12345": Channel.HOTLINE,
            "热线": Channel.HOTLINE,
            "12345热线": Channel.HOTLINE,
            "网上": Channel.ONLINE,
            "网络": Channel.ONLINE,
            "网上信访": Channel.ONLINE,
            "网格": Channel.GRID,
            "网格上报": Channel.GRID,
            "排查": Channel.GRID,
            "视频": Channel.VIDEO,
            "视频监控": Channel.VIDEO,
            "部门移送": Channel.REFERRAL,
            "移送": Channel.REFERRAL,
            "转办": Channel.REFERRAL,
            "交办": Channel.REFERRAL,
            "法院": Channel.COURT,
            "法院委派": Channel.COURT,
            "诉前调解": Channel.COURT,
        },
    )


# Unresolved words first: 未化解 contains 化解.
_UNRESOLVED = ("未化解", "调解不成功", "调解失败", "不成功", "未解决", "失败", "否")
_OPEN = ("办理中", "处理中", "在办", "未办结", "待办", "化解中", "正在", "已受理", "受理", "登记")
_RESOLVED = ("已化解", "化解", "调解成功", "已办结", "办结", "已解决", "解决", "成功", "结案", "是")


def ending_of(text: str) -> str | None:
    """Ending.* for a status cell, or None if it says nothing we know."""
    if not text:
        return Ending.OPEN
    for words, ending in ((_UNRESOLVED, Ending.UNRESOLVED), (_OPEN, Ending.OPEN)):
        if any(w in text for w in words):
            return ending
    if any(w in text for w in _RESOLVED):
        return Ending.RESOLVED
    return None


def _strip_suffix(text: str) -> str:
    for suffix in ("纠纷", "类", "问题", "事项"):
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def _lookup(table: dict[str, str], text: str) -> str | None:
    key = text.strip()
    return table.get(key) or table.get(key.lower()) or table.get(_strip_suffix(key))


# --- one row -------------------------------------------------------------------------------
class _Row:
    def __init__(self, number: int, cells: Sequence[Any], ctx: Context) -> None:
        self.number = number
        self.ctx = ctx
        self.problems: list[Problem] = []
        width = len(cells)
        self.values = {name: cells[i] for name, i in ctx.mapping.items() if i < width}
        self.texts = {name: text_of(value) for name, value in self.values.items()}

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str) -> str:
        return self.texts.get(name, "")

    def problem(self, name: str, code: str, value: Any = "") -> None:
        shown_value = shown(value) if name in _SHOWN or code == "too_long" else ""
        self.problems.append(Problem(self.number, name, code, shown_value))

    def choice(self, name: str, table: dict[str, str], code: str) -> str:
        text = self.text(name)
        if not text:
            if not (default := self.ctx.defaults.get(name, "")):
                self.problem(name, "missing")
            return default
        found = _lookup(table, text)
        if found is None:
            self.problem(name, code, text)
            return ""
        return found

    def date(self, name: str, *, required: bool) -> dt.datetime | None:
        value = self.raw(name)
        if value is None or text_of(value) == "":
            if required:
                self.problem(name, "missing")
            return None
        moment = parse_date(value, self.ctx.tz)
        if moment is None:
            self.problem(name, "date", value)
        elif moment.astimezone(self.ctx.tz).date() > self.ctx.today:
            self.problem(name, "future", value)
            return None
        return moment


def parse_row(number: int, cells: Sequence[Any], ctx: Context) -> Parsed | list[Problem]:
    """The past case a ledger row describes, or every problem the row has."""
    row = _Row(number, cells, ctx)
    title, description = row.text(F.TITLE), row.text(F.DESCRIPTION)
    if not title and not description:
        row.problem(F.TITLE, "missing")
    title = title or description[:TITLE_FROM_DESCRIPTION]
    description = description or title
    if len(title) > TITLE_MAX:
        row.problem(F.TITLE, "too_long", TITLE_MAX)
    kind = row.choice(F.KIND, _kinds(), "kind")
    category = row.choice(F.CATEGORY, _categories(), "category")
    channel = row.choice(F.CHANNEL, _channels(), "channel")
    received = row.date(F.RECEIVED_AT, required=True)
    region_id = _region(row)
    applicant = _applicant(row)
    respondent = row.text(F.RESPONDENT)
    if len(respondent) > NAME_MAX:
        row.problem(F.RESPONDENT, "too_long", NAME_MAX)
    people = _people(row)
    status_text = row.text(F.STATUS)
    ending = ending_of(status_text)
    concluded_text = row.text(F.CONCLUDED_AT)
    if ending is None:
        row.problem(F.STATUS, "status", status_text)
        ending = Ending.OPEN
    elif not status_text and concluded_text:
        ending = Ending.RESOLVED  # a date it was concluded on says it was
    concluded = row.date(F.CONCLUDED_AT, required=bool(ending)) if ending else None
    if ending and not ctx.may_conclude:
        row.problem(F.STATUS, "conclude_role")
    if received and concluded and concluded < received:
        row.problem(F.CONCLUDED_AT, "before_received")
    outcome = (row.text(F.OUTCOME) or status_text) if ending else ""
    if row.problems:
        return row.problems
    assert received is not None and region_id is not None and applicant is not None
    parties = [applicant]
    if respondent:
        parties.append(PartyInput(name=respondent, role=PartyRole.RESPONDENT))
    case = PastCase(
        kind=kind,
        category=category,
        channel=channel,
        title=title,
        description=description,
        region=ctx.regions[region_id],
        parties=parties,
        received_at=received,
        address=row.text(F.ADDRESS),
        people_count=people,
        ending=ending,
        concluded_at=concluded,
        outcome=outcome,
    )
    return Parsed(number, case, fingerprint(ctx.unit, case))


def _region(row: _Row) -> int | None:
    code = row.text(F.REGION_CODE)
    if code:
        if code not in row.ctx.codes:
            row.problem(F.REGION_CODE, "region_code", code)
            return None
        return row.ctx.codes[code]
    place = "".join(row.text(f) for f in (F.TOWN, F.VILLAGE, F.ADDRESS))
    found = row.ctx.place(place) if place else None
    if found is None:
        row.problem(F.TOWN if F.TOWN in row.ctx.mapping else F.ADDRESS, "place")
    return found


def _applicant(row: _Row) -> PartyInput | None:
    name = row.text(F.APPLICANT)
    if not name:
        row.problem(F.APPLICANT, "missing")
    elif len(name) > NAME_MAX:
        row.problem(F.APPLICANT, "too_long", NAME_MAX)
    id_number = normalize_id_number(row.text(F.ID_NUMBER))
    if id_number and (problem := id_number_problem(id_number)):
        row.problem(F.ID_NUMBER, f"id_{problem}")
    phone = re.sub(r"[\s()（）]", "", row.text(F.PHONE))
    if phone and not (is_valid_mobile(phone) or _LANDLINE.match(phone)):
        row.problem(F.PHONE, "phone")
    return PartyInput(name=name, id_number=id_number, phone=phone) if name else None


def _people(row: _Row) -> int:
    text = row.text(F.PEOPLE_COUNT).removesuffix("人")
    if not text:
        return 1
    if not text.isdigit() or int(text) < 1:
        row.problem(F.PEOPLE_COUNT, "people_count", text)
        return 1
    return int(text)


def fingerprint(unit: Unit, case: PastCase) -> str:
    """The keyed hash that recognises this row in any later import by the same unit."""
    values = [
        unit.pk,
        case.kind,
        case.category,
        case.channel,
        case.title,
        case.description,
        case.region.pk,
        case.address,
        [[p.role, p.name, p.id_number, p.phone] for p in case.parties],
        case.received_at.isoformat(),
        case.people_count,
        case.ending,
        case.concluded_at.isoformat() if case.concluded_at else "",
        case.outcome,
    ]
    return blind_index(json.dumps(values, ensure_ascii=False), purpose="ledger_row")


def message(problem: Sequence[Any]) -> str:
    """The sentence for a stored problem ``[row, field, code, value]``."""
    _row, name, code, value = problem
    label = F(name).label if name in F.values else name
    return str(MESSAGES[code]) % {"field": label, "value": value}
