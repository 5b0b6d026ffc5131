"""Reading ledgers: header under a title row, encodings, and workbook rows kept with types."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tiaojie.ledger import reading
from tiaojie.ledger.columns import propose
from tiaojie.ledger.rows import parse_date

from .samples import HEADER, TITLE_ROW


def test_a_workbooks_rows_read_again_from_the_kept_copy_are_the_same(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(TITLE_ROW)
    sheet.append(["登记时间", "当事人", "涉及人数", "办结时间", "备注"])
    sheet.append([dt.datetime(2024, 3, 1, 14, 30), "王某", 3, dt.date(2024, 3, 9), None])
    sheet.append([45352, "李某", 1.5, "2024年3月2日", "=1+1"])
    path = tmp_path / "ledger"  # stored without an extension
    book.save(path)

    layout = reading.inspect(path, reading.file_format(path.read_bytes()[:8], "x.xlsx"))
    assert layout.header_row == 2
    first = reading.all_rows(path, layout)
    assert reading.kept_rows_path(path).exists()
    again = reading.all_rows(path, layout)
    assert again == first
    when, concluded = dt.datetime(2024, 3, 1, 14, 30), dt.datetime(2024, 3, 9)
    assert first[0] == (3, [when, "王某", 3, concluded, None])


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_csv_in_utf8_or_gbk_finds_its_header(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "ledger"
    text = ",".join(TITLE_ROW) + "\n" + ",".join(HEADER) + "\n1,2024-03-01,邻里纠纷\n"
    path.write_bytes(text.encode("gb18030" if encoding == "gbk" else "utf-8-sig"))
    layout = reading.inspect(path, reading.CSV)
    assert (layout.encoding, layout.header_row, layout.header) == (encoding, 2, HEADER)
    assert next(iter(reading.data_rows(path, layout)))[0] == 3


def test_common_column_names_are_proposed() -> None:
    header = ["序号", "受理日期", "标题", "反映问题", "所属乡镇", "姓名", "身份证号码", "手机"]
    mapping = propose(header)
    assert mapping == {
        "title": 2,
        "description": 3,
        "received_at": 1,
        "town": 4,
        "applicant": 5,
        "id_number": 6,
        "phone": 7,
    }


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-03-01", dt.datetime(2024, 3, 1)),
        ("2024/3/1 14:30", dt.datetime(2024, 3, 1, 14, 30)),
        ("2024年3月1日", dt.datetime(2024, 3, 1)),
        ("2024.03.01", dt.datetime(2024, 3, 1)),
        ("20240301", dt.datetime(2024, 3, 1)),
        (45352, dt.datetime(2024, 3, 1)),
        (dt.date(2024, 3, 1), dt.datetime(2024, 3, 1)),
        ("2024-02-30", None),
        ("三月一日", None),
    ],
)
def test_dates_are_read_in_the_forms_ledgers_use(
    cell: object, expected: dt.datetime | None
) -> None:
    found = parse_date(cell)
    assert (found.replace(tzinfo=None) if found else None) == expected
