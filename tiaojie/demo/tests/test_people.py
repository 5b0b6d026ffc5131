"""Fake personal data: valid formats, gender consistency, determinism (no Django needed)."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from tiaojie.core.idnumber import is_valid_id_number, is_valid_mobile
from tiaojie.demo.people import (
    fake_address,
    fake_company,
    fake_id_number,
    fake_mobile,
    fake_name,
    fake_person,
)

HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def test_names_are_two_or_three_han_characters() -> None:
    rng = random.Random(1)
    for gender in ("m", "f", None):
        for _ in range(500):
            name = fake_name(rng, gender=gender)
            assert 2 <= len(name) <= 3
            assert HAN.match(name)


def test_names_favour_common_surnames_but_vary() -> None:
    rng = random.Random(2)
    names = [fake_name(rng) for _ in range(3000)]
    surnames = Counter(n[0] for n in names)
    top = {s for s, _ in surnames.most_common(5)}
    assert top <= {"王", "李", "张", "刘", "陈", "杨"}
    assert len(surnames) > 40
    assert len(set(names)) > 1500
    # Most given names have two characters, as they do in the population.
    assert sum(len(n) == 3 for n in names) > 0.7 * len(names)


def test_name_rejects_unknown_gender() -> None:
    with pytest.raises(ValueError):
        fake_name(random.Random(0), gender="x")


@pytest.mark.parametrize("gender", ["m", "f"])
def test_id_numbers_are_valid_and_encode_gender(gender: str) -> None:
    rng = random.Random(3)
    for _ in range(1000):
        number = fake_id_number(rng, gender=gender)
        assert is_valid_id_number(number), number
        assert 1945 <= int(number[6:10]) <= 2005
        assert int(number[16]) % 2 == (1 if gender == "m" else 0)
        assert number[14:17] != "000"


def test_id_number_check_digit_x_occurs() -> None:
    rng = random.Random(4)
    numbers = [fake_id_number(rng) for _ in range(2000)]
    assert all(is_valid_id_number(n) for n in numbers)
    assert any(n.endswith("X") for n in numbers)


def test_id_number_region_mostly_linwei_unless_pinned() -> None:
    rng = random.Random(5)
    regions = Counter(fake_id_number(rng)[:6] for _ in range(2000))
    assert regions["610502"] > 0.6 * 2000
    assert len(regions) > 3
    assert all(r.startswith("61") for r in regions)
    pinned = {fake_id_number(rng, region_prefix="610581")[:6] for _ in range(50)}
    assert pinned == {"610581"}


def test_id_number_birth_year_range_and_bad_arguments() -> None:
    rng = random.Random(6)
    for _ in range(200):
        number = fake_id_number(rng, birth_year_range=(2000, 2000))
        assert number[6:10] == "2000"
        assert is_valid_id_number(number)
    with pytest.raises(ValueError):
        fake_id_number(rng, region_prefix="6105")
    with pytest.raises(ValueError):
        fake_id_number(rng, birth_year_range=(2000, 1990))
    with pytest.raises(ValueError):
        fake_id_number(rng, gender="male")


def test_mobiles_are_valid_with_varied_prefixes() -> None:
    rng = random.Random(7)
    mobiles = [fake_mobile(rng) for _ in range(1000)]
    assert all(len(m) == 11 and is_valid_mobile(m) for m in mobiles)
    assert len({m[:3] for m in mobiles}) > 20


def test_village_address_uses_groups() -> None:
    rng = random.Random(8)
    pattern = re.compile(r"^临渭区下邽镇东庆村[一二三四五六七八九十]+组\d+号$")
    for _ in range(200):
        assert pattern.match(fake_address(rng, town="下邽镇", village="东庆村"))


def test_community_address_uses_buildings_and_flats() -> None:
    rng = random.Random(9)
    pattern = re.compile(r"^临渭区杜桥街道乐天社区\d+号楼\d单元\d{3,4}室$")
    for _ in range(200):
        assert pattern.match(fake_address(rng, town="杜桥街道", village="乐天社区"))
    other = fake_address(rng, town="某镇", village="某村", district="某县")
    assert other.startswith("某县某镇某村")


def test_companies_are_never_named() -> None:
    rng = random.Random(10)
    for category in ("labour", "property_management", "consumer", "unknown"):
        for _ in range(50):
            assert "某" in fake_company(rng, category)
    assert "物业" in fake_company(rng, "property_management")


def test_fake_person_is_consistent() -> None:
    rng = random.Random(11)
    for _ in range(300):
        person = fake_person(rng, town="下邽镇", village="东庆村")
        assert person.gender in ("m", "f")
        assert int(person.id_number[16]) % 2 == (1 if person.gender == "m" else 0)
        assert is_valid_id_number(person.id_number)
        assert is_valid_mobile(person.mobile)
        assert person.address.startswith("临渭区下邽镇东庆村")


def test_same_seed_same_people_and_no_global_randomness() -> None:
    state = random.getstate()

    def batch(seed: int) -> list[object]:
        rng = random.Random(seed)
        return [fake_person(rng, town="下邽镇", village="东庆村") for _ in range(50)]

    assert batch(42) == batch(42)
    assert batch(42) != batch(43)
    assert random.getstate() == state
