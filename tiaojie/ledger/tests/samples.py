"""Ledger files made in code for the tests and bench/ledger.py: invented people, real layout.

A ledger as a town's office keeps it: a title row, then 序号, 登记时间, 当事人, 身份证号 …;
about a third of the cases concluded. ``BAD`` lists the mistakes clerks make, each breaking
one row in one way; ``ledger_rows(..., bad={row index: kind})`` puts them where a test wants.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tiaojie.demo.people import fake_id_number, fake_mobile, fake_name

HEADER = [
    "序号",
    "登记时间",
    "事项名称",
    "诉求内容",
    "事项类型",
    "纠纷类型",
    "来源",
    "所属镇街",
    "村（社区）",
    "当事人",
    "身份证号",
    "联系电话",
    "被申请人",
    "涉及人数",
    "办理状态",
    "办结时间",
    "办理结果",
]
TITLE_ROW = ["某镇矛盾纠纷排查化解工作台账（测试数据）"]

_SUBJECTS = [
    ("邻里", "邻里纠纷", "因{}排水问题与邻居发生争执，要求协调解决。"),
    ("婚姻家庭", "婚姻家庭纠纷", "夫妻因{}问题长期争吵，请求调解。"),
    ("劳动争议", "欠薪", "在{}务工被拖欠工资三个月，要求支付。"),
    ("房屋宅基地", "宅基地纠纷", "与邻户因{}宅基地界线发生争议。"),
    ("物业", "物业纠纷", "小区物业{}服务不到位，业主拒交物业费。"),
    ("土地", "土地承包纠纷", "{}承包地流转费用未按约支付。"),
]
_WORDS = ["院墙", "水渠", "工地", "巷道", "楼道", "地界", "果园", "厂房"]
_CHANNELS = ["来访", "来电", "来信", "网格上报", "12345热线"]

# What a clerk gets wrong, one per bad row: the field and what its cell then says.
BAD = {
    "check_digit": "身份证号",
    "date": "登记时间",
    "category": "纠纷类型",
    "place": "村（社区）",
    "applicant": "当事人",
    "phone": "联系电话",
    "people": "涉及人数",
    "concluded_before": "办结时间",
}


def _broken_id(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def ledger_rows(
    n: int,
    places: Sequence[tuple[str, str]],
    *,
    seed: int = 7,
    bad: dict[int, str] | None = None,
    start: dt.date = dt.date(2023, 1, 3),
) -> list[list[Any]]:
    """``n`` data rows (without header); ``places`` are (town, village) names to use.

    Row i (0-based) is spreadsheet row i + 3 (a title row, the header, then the data).
    """
    rng = random.Random(seed)
    bad = bad or {}
    rows = []
    for i in range(n):
        town, village = places[i % len(places)]
        category, title, text = _SUBJECTS[rng.randrange(len(_SUBJECTS))]
        word = rng.choice(_WORDS)
        received = start + dt.timedelta(days=rng.randrange(600))
        gender = rng.choice("mf")
        id_number = fake_id_number(rng, gender=gender)
        concluded = rng.random() < 0.35
        unresolved = concluded and rng.random() < 0.1
        row: dict[str, Any] = {
            "序号": i + 1,
            "登记时间": received.strftime(rng.choice(["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"])),
            "事项名称": f"{village}{word}{title}",
            "诉求内容": f"{town}{village}村民反映：" + text.format(word) + f"（第{i + 1}件）",
            "事项类型": "矛盾纠纷",
            "纠纷类型": category,
            "来源": rng.choice(_CHANNELS),
            "所属镇街": town,
            "村（社区）": village,
            "当事人": fake_name(rng, gender),
            "身份证号": id_number,
            "联系电话": fake_mobile(rng),
            "被申请人": fake_name(rng) if rng.random() < 0.6 else "",
            "涉及人数": rng.choice([1, 1, 1, 2, 3, 6]),
            "办理状态": ("未化解" if unresolved else "已化解") if concluded else "办理中",
            "办结时间": (received + dt.timedelta(days=rng.randrange(1, 40))).isoformat()
            if concluded
            else "",
            "办理结果": "经调解双方达成协议，已履行。" if concluded and not unresolved else "",
        }
        if unresolved:
            row["办理结果"] = "调解不成，引导当事人通过诉讼解决。"
        kind = bad.get(i)
        if kind == "check_digit":
            row["身份证号"] = _broken_id(id_number)
        elif kind == "date":
            row["登记时间"] = "2023年13月45日"
        elif kind == "category":
            row["纠纷类型"] = "外星人纠纷"
        elif kind == "place":
            row["所属镇街"], row["村（社区）"] = "火星镇", "环形山村"
        elif kind == "applicant":
            row["当事人"] = ""
        elif kind == "phone":
            row["联系电话"] = "12345"
        elif kind == "people":
            row["涉及人数"] = "很多"
        elif kind == "concluded_before":
            row["办理状态"] = "已化解"
            row["办结时间"] = (received - dt.timedelta(days=3)).isoformat()
            row["办理结果"] = "已化解。"
        rows.append([row[h] for h in HEADER])
    return rows


def spread_bad(n: int, count: int) -> dict[int, str]:
    """``count`` bad rows spread over ``n`` rows, cycling through every kind of mistake."""
    kinds = list(BAD)
    step = n // count
    return {i * step + step // 2: kinds[i % len(kinds)] for i in range(count)}


def csv_bytes(rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(TITLE_ROW)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("gb18030" if encoding == "gbk" else encoding)


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(TITLE_ROW)
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def spreadsheet_row(index: int) -> int:
    """The spreadsheet row number of data row ``index`` (a title row and the header above)."""
    return index + 3
