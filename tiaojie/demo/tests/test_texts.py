"""Demo case texts: every kind × category composes, within bounds, deterministically."""

from __future__ import annotations

import itertools
import random

import pytest

from tiaojie.demo.people import fake_name
from tiaojie.demo.texts import (
    CATEGORIES,
    KINDS,
    RISK_PHRASES,
    TEMPLATES,
    append_risk,
    compose,
    outcome_text,
    privacy_name,
)

PAIRS = list(itertools.product(KINDS, CATEGORIES))

# Real town/village pairs of 临渭区, including the longest ordinary names, so the length
# bounds hold for real registrations.
PLACES = (
    ("下邽镇", "东庆村"),
    ("桥南镇", "洛村"),
    ("崇业路街道", "朝阳西路社区"),
    ("站南街道", "渭南师院社区"),
    ("杜桥街道", "乐天社区"),
)

# Words staff type into the search box, and a category whose templates must contain them.
SEARCH_WORDS = {
    "噪音": "neighbourhood",
    "漏水": "neighbourhood",
    "垃圾": "environment",
    "彩礼": "marriage_family",
    "赡养": "marriage_family",
    "抚养": "marriage_family",
    "宅基地": "housing_homestead",
    "拖欠": "contract",
    "欠薪": "labour",
    "工伤": "labour",
    "物业费": "property_management",
    "停车": "property_management",
    "电梯": "property_management",
    "补偿款": "land_requisition",
    "医疗费": "damages",
    "误工费": "traffic",
    "退款": "consumer",
    "承包地": "land_forest",
    "信号灯": "traffic",
}


def _compose_many(kind: str, category: str, seed: int, count: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        town, village = PLACES[i % len(PLACES)]
        out.append(
            compose(
                kind,
                category,
                rng,
                applicant=fake_name(rng),
                respondent=fake_name(rng),
                town=town,
                village=village,
            )
        )
    return out


def test_kinds_and_categories_match_the_design() -> None:
    assert set(KINDS) == {"dispute", "petition", "request", "hazard"}
    assert len(CATEGORIES) == 15
    assert set(TEMPLATES) == set(KINDS)
    for kind in KINDS:
        assert set(TEMPLATES[kind]) == set(CATEGORIES)


@pytest.mark.parametrize(
    ("kind", "minimum"), [("dispute", 6), ("petition", 3), ("request", 2), ("hazard", 2)]
)
def test_enough_templates_per_category(kind: str, minimum: int) -> None:
    for category, templates in TEMPLATES[kind].items():
        assert len(templates) >= minimum, category
        assert len({d for _t, d in templates}) == len(templates), category


@pytest.mark.parametrize(("kind", "category"), PAIRS)
def test_every_pair_composes_within_bounds(kind: str, category: str) -> None:
    # 200 draws cover every template of a pair with overwhelming probability.
    for title, description in _compose_many(
        kind, category, seed=PAIRS.index((kind, category)), count=200
    ):
        assert 8 <= len(title) <= 25, title
        assert 60 <= len(description) <= 200, description
        assert "{" not in title + description and "}" not in title + description
        assert description.endswith("。")


def test_parties_and_place_appear_masked_in_title_and_full_in_description() -> None:
    rng = random.Random(5)
    for kind, category in PAIRS:
        for _ in range(20):
            title, description = compose(
                kind,
                category,
                rng,
                applicant="张建国",
                respondent="李秀兰",
                town="下邽镇",
                village="东庆村",
            )
            assert "张建国" in description
            assert "张建国" not in title and "李秀兰" not in title
            assert "下邽镇" in description or "东庆村" in description or "小区" in description
            if kind == "dispute":
                assert "张某某" in title


def test_same_seed_same_output_different_seed_different_output() -> None:
    for kind, category in PAIRS:
        first = _compose_many(kind, category, seed=7, count=20)
        assert first == _compose_many(kind, category, seed=7, count=20)
        assert first != _compose_many(kind, category, seed=8, count=20)


def test_compose_touches_no_global_randomness() -> None:
    state = random.getstate()
    _compose_many("dispute", "labour", seed=1, count=50)
    outcome_text("dispute", "labour", random.Random(1), resolved=True)
    assert random.getstate() == state


@pytest.mark.parametrize(("word", "category"), sorted(SEARCH_WORDS.items()))
def test_search_words_appear_in_their_category(word: str, category: str) -> None:
    texts = [t + d for kind in KINDS for t, d in TEMPLATES[kind][category]]
    assert any(word in text for text in texts)


def test_unknown_kind_or_category_is_rejected() -> None:
    rng = random.Random(0)
    kwargs = {"applicant": "张三", "respondent": "李四", "town": "下邽镇", "village": "东庆村"}
    with pytest.raises(ValueError):
        compose("complaint", "labour", rng, **kwargs)
    with pytest.raises(ValueError):
        compose("dispute", "tax", rng, **kwargs)
    with pytest.raises(ValueError):
        outcome_text("dispute", "tax", rng, resolved=True)


@pytest.mark.parametrize(("kind", "category"), PAIRS)
def test_outcomes_exist_for_every_pair(kind: str, category: str) -> None:
    rng = random.Random(3)
    for resolved in (True, False):
        texts = {outcome_text(kind, category, rng, resolved=resolved) for _ in range(30)}
        for text in texts:
            assert 10 <= len(text) <= 120, text
            assert text.endswith("。")
            assert "{" not in text
        assert len(texts) >= 2


def test_outcome_follows_the_description() -> None:
    rng = random.Random(11)
    seen = 0
    for title, description in _compose_many("dispute", "marriage_family", seed=4, count=200):
        if "彩礼" in description:
            seen += 1
            assert "彩礼" in outcome_text(
                "dispute", "marriage_family", rng, resolved=True, description=description
            ), title
    assert seen
    text = outcome_text("dispute", "labour", rng, resolved=False)
    assert "仲裁" in text


def test_outcome_is_deterministic() -> None:
    def run(seed: int) -> list[str]:
        rng = random.Random(seed)
        return [outcome_text(k, c, rng, resolved=bool(i % 2)) for i, (k, c) in enumerate(PAIRS)]

    assert run(1) == run(1)
    assert run(1) != run(2)


def test_risk_phrases_and_append_risk() -> None:
    assert set(RISK_PHRASES) == {"threat", "group", "repeat", "criminal"}
    assert "扬言" in "".join(RISK_PHRASES["threat"])
    rng = random.Random(2)
    for signal in sorted(RISK_PHRASES):
        for _ in range(10):
            text = append_risk("申请人反映问题。", signal, rng)
            assert text.startswith("申请人反映问题。")
            assert len(text) > len("申请人反映问题。") + 10
            assert "{" not in text
    with pytest.raises(ValueError):
        append_risk("x", "weather", rng)


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张建国", "张某某"),
        ("李伟", "李某某"),
        ("欧阳建国", "欧阳某"),
        ("某建筑劳务公司", "某建筑劳务公司"),
        ("王某某", "王某某"),
        ("Zhang", "Zhang"),
    ],
)
def test_privacy_name(name: str, masked: str) -> None:
    assert privacy_name(name) == masked
