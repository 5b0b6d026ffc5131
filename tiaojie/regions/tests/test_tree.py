"""The region tree: the real 临渭区 divisions, the subtree query, and the importer."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tiaojie.regions import linwei
from tiaojie.regions.models import Region, RegionLevel
from tiaojie.regions.services import import_regions, level_of_code, parent_code_of

pytestmark = pytest.mark.django_db


def _import_linwei() -> None:
    report = linwei.import_linwei()
    assert report.ok, report.errors


def test_linwei_has_27_towns_with_their_real_codes() -> None:
    _import_linwei()
    root = Region.objects.get(code="610502000000")
    towns = Region.objects.filter(parent=root)
    assert towns.count() == 27
    assert all(t.level == RegionLevel.TOWN for t in towns)
    with linwei.TOWNS.open(encoding="utf-8") as f:
        expected = {row["code12"]: row["name"] for row in csv.DictReader(f)}
    assert {t.code: t.name for t in towns} == expected
    assert Region.objects.get(code="610502103000").name == "下邽镇"


def test_every_village_lies_under_its_town_with_a_generated_code() -> None:
    _import_linwei()
    villages = Region.objects.filter(level=RegionLevel.VILLAGE).select_related("parent")
    assert villages.count() == 399
    for village in villages:
        assert village.parent is not None
        assert village.code[:9] == village.parent.code[:9]
        assert village.code_generated
        # Statistical convention: communities 001–199, villages 200–399.
        number = int(village.code[9:])
        assert (number < 200) == village.name.endswith("社区"), village.name


def test_importing_twice_changes_nothing() -> None:
    _import_linwei()
    before = list(Region.objects.values_list("code", "name", "path"))
    report = linwei.import_linwei()
    assert report.ok and report.created == 0 and report.updated == 0
    assert list(Region.objects.values_list("code", "name", "path")) == before


def test_subtree_holds_exactly_the_descendants(world) -> None:
    subtree = set(Region.objects.subtree(world.town_a).values_list("code", flat=True))
    assert subtree == {world.town_a.code, world.village_a.code, world.grid_a.code}
    below = set(
        Region.objects.subtree(world.town_a, include_self=False).values_list("code", flat=True)
    )
    assert world.town_a.code not in below
    assert Region.objects.subtree(world.county).count() == Region.objects.count()


def test_subtree_is_one_query_without_recursion(world) -> None:
    with CaptureQueriesContext(connection) as queries:
        list(Region.objects.subtree(world.county))
    assert len(queries) == 1
    assert "LIKE" in queries[0]["sql"].upper()


def test_a_sibling_town_with_a_code_prefix_in_common_is_not_in_the_subtree(world) -> None:
    # 610502103000 and 610502103201 share "610502103"; paths separate codes with "/".
    other = Region.objects.create(
        code="6105021030", name="假", level=RegionLevel.TOWN, parent=world.county
    )
    assert not Region.objects.subtree(other).filter(pk=world.village_a.pk).exists()


def test_code_arithmetic() -> None:
    assert level_of_code("610502000000") == RegionLevel.COUNTY
    assert level_of_code("610502103000") == RegionLevel.TOWN
    assert level_of_code("610502103201") == RegionLevel.VILLAGE
    assert parent_code_of("610502103201") == "610502103000"
    assert parent_code_of("610502103000") == "610502000000"
    assert parent_code_of("610500000000") == "610000000000"


DIVISIONS_WITH_ERRORS = """code,name,level
610502000000,临渭区,county
610502103000,下邽镇,town
61050210300,短码镇,town
610502104000,,town
610502105000,错级镇,village
610502106000,怪镇,planet
610602107000,别县镇,town
"""


def test_bad_rows_are_reported_by_line_and_nothing_is_written(db) -> None:
    with translation.override("en"):
        report = import_regions(io.StringIO(DIVISIONS_WITH_ERRORS))
    assert not report.ok
    lines = sorted({e.split(":")[0] for e in report.errors})
    assert lines == ["line 4", "line 5", "line 6", "line 7", "line 8"]
    assert Region.objects.count() == 0


def test_a_county_loads_from_a_generic_division_list_with_parents(db) -> None:
    text = (
        "code,name,parent\n"
        "610521000000,华州区,\n"
        "610521100000,杏林镇,610521000000\n"
        "610521100200,杏林村,610521100000\n"
    )
    report = import_regions(io.StringIO(text))
    assert report.ok, report.errors
    assert report.created == 3
    village = Region.objects.get(code="610521100200")
    assert village.path == "610521000000/610521100000/610521100200/"
    assert village.full_name() == "华州区杏林镇杏林村"


def test_village_list_naming_the_wrong_town_is_refused(db) -> None:
    import_regions(
        io.StringIO("code,name\n610502103000,下邽镇\n"), root_code="610502", root_name="临渭区"
    )
    villages = "town_code12,town,village\n610502103000,桥南镇,东庆村\n"
    with translation.override("en"):
        report = import_regions(villages=io.StringIO(villages))
    assert report.errors == ["line 2: town 610502103000 is 下邽镇, not 桥南镇"]
    with translation.override("zh-hans"):
        report = import_regions(villages=io.StringIO(villages))
    assert report.errors == ["第2行：镇街 610502103000 是下邽镇，不是桥南镇"]


def test_the_command_reports_errors_and_fails(tmp_path: Path, db) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(DIVISIONS_WITH_ERRORS, encoding="utf-8")
    with pytest.raises(CommandError, match="5 problem"):
        call_command("regions", "import", str(bad))
    assert Region.objects.count() == 0


def test_the_command_imports_and_shows(db, capsys) -> None:
    call_command(
        "regions",
        "import",
        str(linwei.TOWNS),
        "--villages",
        str(linwei.VILLAGES),
        "--root-code",
        "610502",
        "--root-name",
        "临渭区",
    )
    assert "created 427" in capsys.readouterr().out
    call_command("regions", "show", "610502", "--depth", "1")
    out = capsys.readouterr().out
    assert "610502103000 下邽镇" in out


def test_without_a_file_the_command_loads_the_shipped_lists_of_linwei(
    db, settings, tmp_path: Path, capsys
) -> None:
    settings.TIAOJIE_DATA_DIR = tmp_path  # a bare clone: no research data beside it
    call_command("regions", "import", "--dry-run")
    assert "nothing written" in capsys.readouterr().out
    assert not Region.objects.exists()
    call_command("regions", "import")
    assert "created 427" in capsys.readouterr().out
    assert Region.objects.filter(level=RegionLevel.TOWN).count() == 27
    assert Region.objects.filter(level=RegionLevel.VILLAGE).count() == 399
    call_command("regions", "import")
    assert "created 0, updated 0, unchanged 427" in capsys.readouterr().out


def test_a_county_name_without_its_lists_is_refused(db) -> None:
    with pytest.raises(CommandError, match="root-name"):
        call_command("regions", "import", "--root-name", "临渭区")


def test_the_shipped_lists_name_their_sources() -> None:
    readme = (linwei.DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert "Administrative-divisions-of-China" in readme
    assert "jionlp" in readme and "Apache-2.0" in readme
