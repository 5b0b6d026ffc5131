"""Reading a ledger file: Excel (.xlsx, openpyxl in read-only mode) or CSV in UTF-8 or GBK.

Chinese offices export CSV in GBK (GB18030 is its superset, so that is what is tried after
UTF-8), with commas, tabs or semicolons. Many ledgers put a title row or two above the
header (某某镇矛盾纠纷排查化解台账); the header is the row among the first ten whose cells
name most of our fields. Row numbers are the spreadsheet's own (1 = the first row), so a
clerk finds row 37 where Excel shows row 37.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .columns import looks_like_header

XLSX = "xlsx"
CSV = "csv"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEADER_SEARCH_ROWS = 10


class UnreadableFile(Exception):
    """The file is not a ledger we can read; ``code`` says why (format, xls, empty, encoding)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Layout:
    """What we learnt from a first look: format, encoding, where the header is."""

    file_format: str
    encoding: str
    header: list[str]
    header_row: int


def file_format(head: bytes, name: str) -> str:
    """xlsx or csv, decided from the bytes (an .xlsx is a zip); old .xls is refused."""
    if head.startswith(_ZIP):
        return XLSX
    if head.startswith(_OLE):
        raise UnreadableFile("xls")
    if b"\x00" in head:
        raise UnreadableFile("format")
    return CSV


def _decode(raw: bytes) -> tuple[str, str]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding), "gbk" if encoding == "gb18030" else "utf-8"
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("encoding")


def _csv_rows(path: Path, encoding: str = "") -> tuple[Iterator[list[str]], str]:
    raw = path.read_bytes()
    if encoding:
        text = raw.decode("utf-8-sig" if encoding == "utf-8" else "gb18030")
    else:
        text, encoding = _decode(raw)
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), encoding


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    # A file object, not the path: stored files have no extension for openpyxl to check.
    with path.open("rb") as stream:
        try:
            book = load_workbook(stream, read_only=True, data_only=True)
        except Exception as exc:  # a broken zip or a zip that is no workbook
            raise UnreadableFile("format") from exc
        try:
            sheet = book.worksheets[0]
            for row in sheet.iter_rows(values_only=True):
                yield list(row)
        finally:
            book.close()


def _rows(path: Path, fmt: str, encoding: str = "") -> tuple[Iterator[list[Any]], str]:
    if fmt == XLSX:
        return _xlsx_rows(path), ""
    return _csv_rows(path, encoding)


def _blank(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def inspect(path: Path, fmt: str) -> Layout:
    """Find the encoding and the header row."""
    rows, encoding = _rows(path, fmt)
    first: list[tuple[int, list[Any]]] = []
    for number, cells in enumerate(rows, start=1):
        if not _blank(cells):
            first.append((number, cells))
        if number >= HEADER_SEARCH_ROWS:
            break
    if not first:
        raise UnreadableFile("empty")
    number, cells = max(first, key=lambda r: (looks_like_header(r[1]), -r[0]))
    if not looks_like_header(cells):
        number, cells = first[0]
    header = [str(c).strip() if c is not None else "" for c in cells]
    while header and not header[-1]:
        header.pop()
    return Layout(fmt, encoding, header, number)


def data_rows(path: Path, layout: Layout) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) for every non-blank row under the header."""
    rows, _encoding = _rows(path, layout.file_format, layout.encoding)
    for number, cells in enumerate(rows, start=1):
        if number <= layout.header_row or _blank(cells):
            continue
        yield number, cells


def all_rows(path: Path, layout: Layout) -> list[tuple[int, list[Any]]]:
    """Every data row; a workbook's are also kept beside it the first time, as JSON lines.

    openpyxl takes about three times as long as the CSV reader, and a ledger is read twice
    (dry run, import): the second time reads the kept rows instead, with the cells' types
    (dates, numbers) as openpyxl gave them. The kept rows hold what the file holds, so they
    live and go with it (same folder, same permissions).
    """
    if layout.file_format != XLSX:
        return list(data_rows(path, layout))
    kept = kept_rows_path(path)
    if kept.exists():
        with kept.open(encoding="utf-8") as f:
            return [(number, cells) for number, cells in map(_load_row, f)]
    rows = list(data_rows(path, layout))
    fd = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, default=_tag) + "\n")
    return rows


def kept_rows_path(path: Path) -> Path:
    return path.with_name(path.name + ".rows")


_TYPES: dict[str, Any] = {
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "seconds": lambda v: dt.timedelta(seconds=float(v)),
}


def _tag(value: Any) -> dict[str, str]:
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"time": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"seconds": str(value.total_seconds())}
    return {"text": str(value)}


def _untag(value: Any) -> Any:
    if isinstance(value, dict):
        ((kind, text),) = value.items()
        return _TYPES.get(kind, str)(text)
    return value


def _load_row(line: str) -> tuple[int, list[Any]]:
    number, cells = json.loads(line)
    return int(number), [_untag(c) for c in cells]
