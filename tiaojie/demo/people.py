"""Fake but real-looking personal data for the demo dataset.

Everything here is drawn from a caller-supplied ``random.Random`` so that one seed always
yields the same people: the demo database can be rebuilt byte for byte, and a test can name
the person it expects. Nothing reads global randomness, the clock or the environment.

The data only *looks* real: names are combined from common characters, ID numbers carry a
correct GB 11643 check digit over a random birth date and sequence, mobiles use real
operator prefixes with random subscriber digits, and companies are always "某" forms so
that no real enterprise is ever named in a complaint.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass

from tiaojie.core.idnumber import check_digit

__all__ = [
    "FakePerson",
    "fake_address",
    "fake_company",
    "fake_id_number",
    "fake_mobile",
    "fake_name",
    "fake_person",
]

# Surname weights loosely follow the national frequency ranking (per mille of population),
# with a tail of surnames that are locally common in 渭南 and the 关中 plain so that a demo
# for 临渭区 reads like a 临渭 ledger.
_SURNAME_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("王", 71),
    ("李", 70),
    ("张", 68),
    ("刘", 54),
    ("陈", 45),
    ("杨", 31),
    ("赵", 23),
    ("黄", 22),
    ("周", 21),
    ("吴", 20),
    ("徐", 17),
    ("孙", 15),
    ("胡", 13),
    ("朱", 13),
    ("高", 12),
    ("郭", 12),
    ("何", 12),
    ("马", 11),
    ("罗", 9),
    ("梁", 9),
    ("宋", 8),
    ("郑", 8),
    ("谢", 7),
    ("韩", 7),
    ("冯", 7),
    ("于", 6),
    ("董", 6),
    ("程", 5),
    ("曹", 5),
    ("袁", 5),
    ("许", 5),
    ("邓", 5),
    ("傅", 4),
    ("沈", 4),
    ("彭", 4),
    ("吕", 4),
    ("苏", 4),
    ("卢", 4),
    ("蒋", 4),
    ("蔡", 4),
    ("贾", 4),
    ("丁", 4),
    ("魏", 4),
    ("薛", 4),
    ("阎", 3),
    ("杜", 4),
    ("田", 4),
    ("任", 3),
    ("姚", 3),
    ("史", 3),
    ("侯", 3),
    ("段", 3),
    ("孟", 3),
    ("秦", 3),
    ("郝", 3),
    ("白", 3),
    ("武", 3),
    ("崔", 3),
    ("常", 2),
    ("乔", 2),
    ("贺", 2),
    ("樊", 2),
    ("屈", 2),
    ("雷", 3),
    ("党", 1.5),
    ("惠", 1),
    ("蔺", 0.8),
    ("拓", 0.5),
    ("同", 0.5),
    ("豆", 0.4),
    ("寇", 0.6),
    ("来", 0.4),
)
_SURNAMES = tuple(s for s, _ in _SURNAME_WEIGHTS)
_SURNAME_CUM = tuple(itertools.accumulate(w for _, w in _SURNAME_WEIGHTS))

# Whole given names as people of these generations actually carry them; combining random
# characters alone produces too many odd pairs.
_MALE_GIVEN = (
    "建国", "建军", "国强", "志刚", "志强", "文华", "永红", "红军", "卫东", "海涛",
    "俊杰", "宏伟", "明亮", "立新", "振华", "德胜", "春生", "新民", "家豪", "子轩",
    "浩然", "宇航", "天佑", "一鸣", "泽宇", "嘉乐", "晓东", "小龙", "鹏飞", "建平",
    "长安", "秦川", "宝成", "军利", "战胜", "拴劳", "存良", "拴柱", "满仓", "铁牛",
)  # fmt: skip
_FEMALE_GIVEN = (
    "秀兰", "桂英", "玉梅", "丽娟", "淑珍", "红霞", "春燕", "海燕", "晓丽", "小红",
    "雪梅", "美玲", "佳怡", "欣怡", "雨涵", "思琪", "诗雨", "梦瑶", "慧敏", "艳芳",
    "亚楠", "彩霞", "翠萍", "玉兰", "凤琴", "巧玲", "淑芳", "丽萍", "婷婷", "静怡",
)  # fmt: skip
_MALE_FIRST = "建国志文永海小晓俊宏明立振伟家子浩天宇泽嘉新卫继德春军红"
_MALE_SECOND = "军华平强伟勇刚斌杰涛鹏辉峰明林波超亮龙飞宇博阳鑫凯轩成东民荣"
_FEMALE_FIRST = "秀玉桂丽晓小雪春海美佳欣雨思诗梦慧淑艳红亚彩翠"
_FEMALE_SECOND = "芳娟敏静丽艳娜霞燕玲梅琳婷萍倩洁颖丹琴蓉英兰花凤珍媛怡彤雯"
_MALE_SINGLE = "伟强军磊勇杰涛斌鹏辉刚明峰波超亮龙飞浩鑫凯东"
_FEMALE_SINGLE = "芳娟敏静丽艳娜霞燕玲梅琳婷萍倩洁颖丹琴蓉英兰"

# Real county-level codes of 陕西. 610521 is 华县 before it became 华州区 (610503) in 2015:
# older residents of the neighbouring county still carry it on their cards.
_REGION_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("610502", 80),  # 临渭区
    ("610503", 3),  # 华州区
    ("610521", 2),  # 华县 (old code)
    ("610522", 1),  # 潼关县
    ("610523", 2),  # 大荔县
    ("610525", 1),  # 澄城县
    ("610526", 2),  # 蒲城县
    ("610528", 2),  # 富平县
    ("610581", 1),  # 韩城市
    ("610582", 1),  # 华阴市
    ("610102", 2),  # 西安 新城区
    ("610113", 2),  # 西安 雁塔区
    ("610402", 1),  # 咸阳 秦都区
)
_REGIONS = tuple(r for r, _ in _REGION_WEIGHTS)
_REGION_CUM = tuple(itertools.accumulate(w for _, w in _REGION_WEIGHTS))

# Mobile prefixes of 中国移动, 中国联通, 中国电信 and 中国广电 that are in wide use.
_MOBILE_PREFIXES = (
    "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158",
    "159", "178", "182", "183", "184", "187", "188", "198",  # 移动
    "130", "131", "132", "145", "155", "156", "166", "175", "176", "185", "186",  # 联通
    "133", "149", "153", "173", "177", "180", "181", "189", "191", "199",  # 电信
    "192",  # 广电
)  # fmt: skip

_CN_DIGITS = "零一二三四五六七八九十"

# Company kinds per dispute category. Every name is a "某" form so the demo never accuses a
# real enterprise; the extra keys serve templates that need a particular kind of company.
_COMPANY_PREFIXES = ("渭南市某", "临渭区某", "陕西某", "某")
_COMPANY_KINDS: dict[str, tuple[str, ...]] = {
    "labour": (
        "食品有限公司",
        "纺织厂",
        "物流有限公司",
        "机械制造有限公司",
        "餐饮管理有限公司",
        "保安服务有限公司",
        "包装材料厂",
        "汽车配件厂",
    ),
    "construction": ("建筑劳务有限公司", "建筑工程有限公司", "建设工程公司", "路桥工程公司"),
    "realty": ("房地产开发有限公司", "置业有限公司", "房地产开发公司"),
    "property_management": ("物业服务有限公司", "物业管理有限公司", "物业公司"),
    "consumer": ("商贸有限公司", "家电商场", "家具城", "通讯器材店", "电器销售有限公司"),
    "contract": ("装饰工程有限公司", "建材有限公司", "农业开发有限公司", "商贸有限公司"),
    "business": ("果品专业合作社", "农业专业合作社", "农资经销部", "果业有限公司"),
    "environment": ("化工有限公司", "建材有限公司", "混凝土有限公司", "石料加工厂", "砖厂"),
    "traffic": ("运输有限公司", "物流有限公司", "客运有限公司"),
    "damages": ("建筑工程有限公司", "装饰工程有限公司", "市政工程有限公司"),
    "housing_homestead": ("房地产开发有限公司", "建筑工程有限公司"),
    "land_requisition": ("房地产开发有限公司", "城市建设投资有限公司", "工业园建设公司"),
    "medical": ("医疗器械有限公司", "健康管理有限公司"),
}
_COMPANY_FALLBACK = ("商贸有限公司", "实业有限公司", "科技有限公司")


@dataclass(frozen=True, slots=True)
class FakePerson:
    """One consistent fake resident: the name's gender matches the ID number's parity."""

    name: str
    gender: str  # "m" or "f"
    id_number: str
    mobile: str
    address: str


def _check_gender(gender: str | None) -> None:
    if gender not in (None, "m", "f"):
        raise ValueError(f"gender must be 'm', 'f' or None, not {gender!r}")


def fake_name(rng: random.Random, gender: str | None = None) -> str:
    """A 2–3 character Chinese name; ``gender`` is "m", "f" or None (either)."""
    _check_gender(gender)
    if gender is None:
        gender = rng.choice(("m", "f"))
    surname = rng.choices(_SURNAMES, cum_weights=_SURNAME_CUM)[0]
    male = gender == "m"
    roll = rng.random()
    if roll < 0.45:
        given = rng.choice(_MALE_GIVEN if male else _FEMALE_GIVEN)
    elif roll < 0.82:
        first = rng.choice(_MALE_FIRST if male else _FEMALE_FIRST)
        second = rng.choice(_MALE_SECOND if male else _FEMALE_SECOND)
        given = first + second
    else:
        given = rng.choice(_MALE_SINGLE if male else _FEMALE_SINGLE)
    return surname + given


def fake_id_number(
    rng: random.Random,
    *,
    birth_year_range: tuple[int, int] = (1945, 2005),
    region_prefix: str | None = None,
    gender: str | None = None,
) -> str:
    """An 18-character GB 11643 resident ID number with a valid date and check digit.

    ``birth_year_range`` is inclusive. ``region_prefix`` None picks a mostly-临渭 mix of
    real 陕西 county codes; pass six digits to pin it. The 17th digit is odd for men and
    even for women, as the standard requires.
    """
    _check_gender(gender)
    low, high = birth_year_range
    if low > high:
        raise ValueError("birth_year_range must be (earliest, latest)")
    if region_prefix is None:
        region_prefix = rng.choices(_REGIONS, cum_weights=_REGION_CUM)[0]
    if len(region_prefix) != 6 or not region_prefix.isdigit():
        raise ValueError("region_prefix must be six digits")
    if gender is None:
        gender = rng.choice(("m", "f"))
    year = rng.randint(low, high)
    birth = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(_days_in_year(year)))
    # Sequence 000 is never issued; men get 001..999 odd, women 002..998 even.
    sequence = rng.randrange(0, 500) * 2 + 1 if gender == "m" else rng.randrange(1, 500) * 2
    first17 = f"{region_prefix}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)


def _days_in_year(year: int) -> int:
    return (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days


def fake_mobile(rng: random.Random) -> str:
    """An 11-digit mainland mobile number with a real operator prefix."""
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _cn_number(n: int) -> str:
    """Chinese numerals for 1..99, as written in 组 names (三组, 十二组)."""
    if not 0 < n < 100:
        raise ValueError("only 1..99 are written this way")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


def fake_address(rng: random.Random, *, town: str, village: str, district: str = "临渭区") -> str:
    """A household address inside ``village``.

    Villages are organised into 村民小组 and numbered courtyards; communities (names ending
    in 社区) into buildings, entrances and flats.
    """
    if village.endswith("社区"):
        building = rng.randint(1, 24)
        entrance = rng.randint(1, 4)
        floor = rng.randint(1, 18)
        flat = rng.randint(1, 3)
        return f"{district}{town}{village}{building}号楼{entrance}单元{floor}{flat:02d}室"
    group = _cn_number(rng.randint(1, 12))
    return f"{district}{town}{village}{group}组{rng.randint(1, 120)}号"


def fake_company(rng: random.Random, category: str) -> str:
    """A "某" company name of a kind that fits ``category`` (or a generic one)."""
    kinds = _COMPANY_KINDS.get(category, _COMPANY_FALLBACK)
    return rng.choice(_COMPANY_PREFIXES) + rng.choice(kinds)


def fake_person(
    rng: random.Random,
    *,
    town: str,
    village: str,
    gender: str | None = None,
    birth_year_range: tuple[int, int] = (1945, 2005),
) -> FakePerson:
    """A whole fake resident whose name, ID number and gender agree."""
    _check_gender(gender)
    if gender is None:
        gender = rng.choice(("m", "f"))
    return FakePerson(
        name=fake_name(rng, gender),
        gender=gender,
        id_number=fake_id_number(rng, birth_year_range=birth_year_range, gender=gender),
        mobile=fake_mobile(rng),
        address=fake_address(rng, town=town, village=village),
    )
