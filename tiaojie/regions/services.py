"""Writes to the region tree: importing division lists and adding grids."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from tiaojie.regions.models import PATH_SEPARATOR, Region, RegionLevel

# Statistical division codes (统计用区划代码): 2 province, 2 city, 2 county, 3 town, 3 village.
_LEVEL_SPANS = (
    (RegionLevel.PROVINCE, 2),
    (RegionLevel.CITY, 4),
    (RegionLevel.COUNTY, 6),
    (RegionLevel.TOWN, 9),
    (RegionLevel.VILLAGE, 12),
)
_LEVEL_ALIASES = {
    "province": RegionLevel.PROVINCE,
    "省": RegionLevel.PROVINCE,
    "1": RegionLevel.PROVINCE,
    "city": RegionLevel.CITY,
    "市": RegionLevel.CITY,
    "地": RegionLevel.CITY,
    "2": RegionLevel.CITY,
    "county": RegionLevel.COUNTY,
    "district": RegionLevel.COUNTY,
    "县": RegionLevel.COUNTY,
    "区": RegionLevel.COUNTY,
    "3": RegionLevel.COUNTY,
    "town": RegionLevel.TOWN,
    "乡": RegionLevel.TOWN,
    "镇": RegionLevel.TOWN,
    "街道": RegionLevel.TOWN,
    "4": RegionLevel.TOWN,
    "village": RegionLevel.VILLAGE,
    "村": RegionLevel.VILLAGE,
    "社区": RegionLevel.VILLAGE,
    "5": RegionLevel.VILLAGE,
}
# Within a town, 001–199 are residents' committees (社区) and 200–399 village committees (村).
_COMMUNITY_RANGE = range(1, 200)
_VILLAGE_RANGE = range(200, 400)


def normalize_code(raw: str) -> str:
    """6-, 9- and 12-digit codes all become 12 digits (610502 → 610502000000)."""
    code = raw.strip()
    if code.isdigit() and len(code) in (2, 4, 6, 9):
        return code.ljust(12, "0")
    return code


def level_of_code(code: str) -> RegionLevel:
    """The level a 12-digit code denotes by its trailing zeros."""
    for level, span in _LEVEL_SPANS:
        if code[span:] == "0" * (12 - span):
            return level
    return RegionLevel.VILLAGE


def parent_code_of(code: str) -> str | None:
    level = level_of_code(code)
    spans = dict(_LEVEL_SPANS)
    order = [lv for lv, _span in _LEVEL_SPANS]
    index = order.index(level)
    if index == 0:
        return None
    return code[: spans[order[index - 1]]].ljust(12, "0")


@dataclass
class ImportReport:
    """What an import did, or the problems that stopped it (by line number)."""

    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, line: int, problem: str) -> None:
        self.errors.append(_("line %(line)s: %(problem)s") % {"line": line, "problem": problem})


@dataclass
class _Row:
    line: int
    code: str
    name: str
    level: RegionLevel
    parent_code: str | None
    kind_label: str = ""
    code_generated: bool = False


def _read_csv(
    source: Path | str | io.TextIOBase,
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    if isinstance(source, (str, Path)):
        text = Path(source).read_text(encoding="utf-8-sig")
    else:
        text = source.read()
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    rows = []
    for row in reader:
        # Line numbers as a spreadsheet shows them: the header is line 1.
        rows.append(
            (reader.line_num, {k.strip().lower(): (v or "").strip() for k, v in row.items() if k})
        )
    return headers, rows


def _first(row: dict[str, str], *names: str) -> str:
    for name in names:
        if row.get(name):
            return row[name]
    return ""


def parse_divisions(source: Path | str | io.TextIOBase, report: ImportReport) -> list[_Row]:
    """Rows of a division-code list: code (or code12/code9), name, optional level and parent."""
    headers, raw_rows = _read_csv(source)
    if not {"code", "code12", "code9"} & set(headers) or "name" not in headers:
        report.add(1, _("the header must name a code column (code, code12 or code9) and name"))
        return []
    rows: list[_Row] = []
    for line, raw in raw_rows:
        code = normalize_code(_first(raw, "code12", "code", "code9"))
        name = raw.get("name", "")
        problems = []
        if not (code.isdigit() and len(code) == 12):
            problems.append(_("code %(code)r is not a 12-digit division code") % {"code": code})
        if not name:
            problems.append(_("name is empty"))
        level_text = raw.get("level", "")
        level = None
        if level_text:
            level = _LEVEL_ALIASES.get(level_text.lower())
            if level is None:
                problems.append(_("unknown level %(level)r") % {"level": level_text})
        if problems:
            for problem in problems:
                report.add(line, problem)
            continue
        level = level or level_of_code(code)
        if level != level_of_code(code):
            report.add(
                line,
                _("code %(code)s is not a %(level)s code") % {"code": code, "level": level.label},
            )
            continue
        parent_text = _first(raw, "parent", "parent_code")
        parent_code = normalize_code(parent_text) if parent_text else parent_code_of(code)
        if parent_text and parent_code != parent_code_of(code):
            report.add(
                line,
                _("code %(code)s does not belong under parent %(parent)s")
                % {"code": code, "parent": parent_code},
            )
            continue
        kind_label = raw.get("kind", "")
        if not kind_label and level == RegionLevel.TOWN:
            kind_label = (
                "街道" if name.endswith("街道") else ("乡" if name.endswith("乡") else "镇")
            )
        rows.append(_Row(line, code, name, level, parent_code, kind_label))
    return rows


def parse_villages(
    source: Path | str | io.TextIOBase, report: ImportReport, known: dict[str, str]
) -> list[_Row]:
    """Rows of a village list: town code, town name, village name (and an optional code).

    ``known`` maps town codes to town names, from the database and the division list, so a
    village list that names a town wrongly is caught. Missing village codes are assigned in
    the statistical ranges (communities 001–199, villages 200–399) and marked as generated;
    a village that already exists keeps its code, so re-running assigns nothing new.
    """
    headers, raw_rows = _read_csv(source)
    needed = {"town_code12", "village"}
    if not needed <= set(headers) and not {"town_code", "village"} <= set(headers):
        report.add(1, _("the header must name town_code12 (or town_code) and village"))
        return []
    existing = {
        (r.parent.code, r.name): r.code  # type: ignore[union-attr]
        for r in Region.objects.filter(level=RegionLevel.VILLAGE).select_related("parent")
    }
    used = set(existing.values())
    rows: list[_Row] = []
    seen: set[tuple[str, str]] = set()
    for line, raw in raw_rows:
        town_code = normalize_code(_first(raw, "town_code12", "town_code"))
        town_name = raw.get("town", "")
        name = raw.get("village", "")
        if town_code not in known:
            report.add(line, _("town %(code)s is not in the division list") % {"code": town_code})
            continue
        if town_name and town_name != known[town_code]:
            report.add(
                line,
                _("town %(code)s is %(known)s, not %(given)s")
                % {"code": town_code, "known": known[town_code], "given": town_name},
            )
            continue
        if not name:
            report.add(line, _("village name is empty"))
            continue
        if (town_code, name) in seen:
            report.add(line, _("%(name)s appears twice under the same town") % {"name": name})
            continue
        seen.add((town_code, name))
        code = normalize_code(raw.get("code", "")) if raw.get("code") else ""
        generated = False
        if code:
            if not (code.isdigit() and len(code) == 12 and code[:9] == town_code[:9]):
                report.add(
                    line,
                    _("code %(code)s is not a village code of town %(town)s")
                    % {"code": code, "town": town_code},
                )
                continue
        elif (town_code, name) in existing:
            code = existing[(town_code, name)]
            generated = Region.objects.filter(code=code, code_generated=True).exists()
        else:
            is_community = name.endswith("社区") or name.endswith("居委会")
            span = _COMMUNITY_RANGE if is_community else _VILLAGE_RANGE
            code = next((c for n in span if (c := f"{town_code[:9]}{n:03d}") not in used), "")
            if not code:
                report.add(
                    line, _("no free village code left under %(town)s") % {"town": town_code}
                )
                continue
            generated = True
        used.add(code)
        kind = "社区" if name.endswith("社区") else "村"
        rows.append(
            _Row(line, code, name, RegionLevel.VILLAGE, town_code, kind, code_generated=generated)
        )
    return rows


def _apply(rows: Iterable[_Row], report: ImportReport) -> None:
    by_code = {r.code: r for r in Region.objects.all()}
    # Parents first, so every row finds its parent saved.
    order = {level.value: i for i, level in enumerate(RegionLevel)}
    for row in sorted(rows, key=lambda r: (order[r.level.value], r.code)):
        parent = by_code.get(row.parent_code) if row.parent_code else None
        region = by_code.get(row.code)
        if region is None:
            region = Region(code=row.code)
            changed, created = True, True
        else:
            created = False
            changed = (
                region.name != row.name
                or region.level != row.level
                or region.parent_id != (parent.pk if parent else None)
                or bool(row.kind_label and region.kind_label != row.kind_label)
            )
        if not changed:
            report.unchanged += 1
            continue
        old_path = region.path
        region.name = row.name
        region.level = row.level
        region.parent = parent
        region.kind_label = row.kind_label or region.kind_label
        region.code_generated = row.code_generated
        region.save()
        if not created and old_path != region.path:
            _rewrite_descendant_paths(old_path, region.path)
        by_code[region.code] = region
        if created:
            report.created += 1
        else:
            report.updated += 1


def _rewrite_descendant_paths(old: str, new: str) -> None:
    for child in Region.objects.filter(path__startswith=old).exclude(path=new):
        child.path = new + child.path[len(old) :]
        child.depth = child.path.count(PATH_SEPARATOR) - 1
        Region.objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)


def import_regions(
    divisions: Path | str | io.TextIOBase | None = None,
    villages: Path | str | io.TextIOBase | None = None,
    *,
    root_code: str | None = None,
    root_name: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Load a county's divisions; all or nothing, and safe to run again with the same files.

    ``root_code``/``root_name`` name the county itself when the division list holds only its
    towns (as the statistical town list does).
    """
    report = ImportReport()
    rows: list[_Row] = []
    if root_code:
        code = normalize_code(root_code)
        if not (code.isdigit() and len(code) == 12):
            report.errors.append(
                _("root code %(code)r is not a division code") % {"code": root_code}
            )
        elif not root_name and not Region.objects.filter(code=code).exists():
            report.errors.append(_("a new root needs a name (--root-name)"))
        else:
            existing = Region.objects.filter(code=code).first()
            rows.append(
                _Row(
                    0,
                    code,
                    root_name or (existing.name if existing else ""),
                    level_of_code(code),
                    None,
                )
            )
    if divisions is not None:
        rows.extend(parse_divisions(divisions, report))
    known_codes = set(Region.objects.values_list("code", flat=True)) | {r.code for r in rows}
    for row in rows:
        # The topmost row of an import may hang under nothing (a new root) or under a region
        # already present; anything else must find its parent in the file or the database.
        if row.parent_code and row.parent_code not in known_codes:
            if row.level in (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY):
                row.parent_code = None  # the top of this import: a new root
            else:
                report.add(
                    row.line,
                    _("parent %(parent)s of %(code)s is not known")
                    % {"parent": row.parent_code, "code": row.code},
                )
    if villages is not None:
        towns = {r.code: r.name for r in Region.objects.filter(level=RegionLevel.TOWN)}
        towns.update({r.code: r.name for r in rows if r.level == RegionLevel.TOWN})
        rows.extend(parse_villages(villages, report, towns))
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        _apply(rows, report)
    return report


@transaction.atomic
def ensure_grids(village: Region, names: list[str]) -> list[Region]:
    """Grids under a village, coded village code + 3 digits, names marked as generated."""
    grids = []
    for n, name in enumerate(names, start=1):
        grid, _created = Region.objects.get_or_create(
            code=f"{village.code}{n:03d}",
            defaults={
                "name": name,
                "level": RegionLevel.GRID,
                "parent": village,
                "kind_label": "网格",
                "code_generated": True,
                "name_generated": True,
            },
        )
        grids.append(grid)
    return grids
