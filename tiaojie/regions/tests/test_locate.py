"""An address in words finds its region, with or without the county and suffixes."""

from __future__ import annotations

import pytest

from tiaojie.regions.locate import locate, short_name
from tiaojie.regions.models import Region, RegionLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(world):
    # A second 桥南村-like twin: the same village name in both towns.
    twin_a = Region.objects.create(
        code="610502103202", name="新庄村", level=RegionLevel.VILLAGE, parent=world.town_a
    )
    twin_b = Region.objects.create(
        code="610502100202", name="新庄村", level=RegionLevel.VILLAGE, parent=world.town_b
    )
    return world, twin_a, twin_b


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("陕西省渭南市临渭区下邽镇东庆村三组12号", "village_a"),
        ("下邽镇东庆村三组", "village_a"),  # no county
        ("下邽东庆村", "village_a"),  # no town suffix
        ("东庆村委会门口", "village_a"),  # only the village
        ("桥南镇街上", "town_b"),
        ("临渭区人民路", "county"),
        ("", None),
        ("西安市雁塔区", None),
    ],
)
def test_addresses_find_their_region(tree, text: str, expected: str | None) -> None:
    world, _a, _b = tree
    found = locate(text, world.county)
    assert found == (getattr(world, expected) if expected else None)


def test_a_village_name_in_two_towns_needs_its_town(tree) -> None:
    world, twin_a, twin_b = tree
    assert locate("下邽镇新庄村", world.county) == twin_a
    assert locate("桥南新庄村五组", world.county) == twin_b
    assert locate("新庄村", world.county) == world.county  # ambiguous: the common ancestor


def test_short_names() -> None:
    assert [short_name(n) for n in ("下邽镇", "人民街道", "东庆村", "临渭区", "区")] == [
        "下邽",
        "人民",
        "东庆",
        "临渭",
        "区",
    ]
