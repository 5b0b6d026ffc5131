"""Case titles, descriptions and outcomes in Simplified Chinese for the demo dataset.

The texts are written the way a window clerk (窗口受理员) or grid worker records a matter:
who, where, what happened, and what the applicant asks for (诉求). They are original
templates with slots ({a} applicant, {r} respondent, {place}, {m_wage} …) filled from a
caller-supplied ``random.Random``, so one seed always yields the same dataset. Slots are
filled in the order they first appear in the template, which keeps the output a pure
function of the rng state and the arguments.

Categories carry the two-character words staff type into the search box (噪音, 欠薪, 漏水,
彩礼, 赡养, 宅基地, 物业费 …) so that searching the demo finds what a real ledger would.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from tiaojie.demo.people import _cn_number, fake_company

__all__ = [
    "CATEGORIES",
    "KINDS",
    "RISK_PHRASES",
    "TEMPLATES",
    "append_risk",
    "compose",
    "outcome_text",
    "privacy_name",
]

KINDS: tuple[str, ...] = ("dispute", "petition", "request", "hazard")

CATEGORIES: Mapping[str, str] = MappingProxyType(
    {
        "marriage_family": "婚姻家庭",
        "neighbourhood": "邻里",
        "housing_homestead": "房屋宅基地",
        "contract": "合同",
        "business": "生产经营",
        "damages": "损害赔偿",
        "land_forest": "山林土地",
        "land_requisition": "征地拆迁",
        "environment": "环境污染",
        "labour": "劳动争议",
        "consumer": "消费",
        "medical": "医疗",
        "traffic": "道路交通事故",
        "property_management": "物业",
        "other": "其他",
    }
)

Template = tuple[str, str]  # (title, description)


# --------------------------------------------------------------------------------------
# Slots
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    """What a slot may depend on besides the rng."""

    category: str = "other"
    town: str = ""
    village: str = ""

    @property
    def is_community(self) -> bool:
        return self.village.endswith("社区")


_Slot = Callable[[random.Random, _Context], str]


def _yuan(value: int) -> str:
    # Ledgers write large round sums in 万元 and everything else in 元.
    if value >= 10000 and value % 1000 == 0:
        return f"{value / 10000:g}万元"
    return f"{value}元"


def _money(low: int, high: int, step: int) -> _Slot:
    def slot(rng: random.Random, _ctx: _Context) -> str:
        return _yuan(rng.randrange(low, high + 1, step))

    return slot


def _number(low: int, high: int, fmt: str = "{}", step: int = 1) -> _Slot:
    def slot(rng: random.Random, _ctx: _Context) -> str:
        return fmt.format(rng.randrange(low, high + 1, step))

    return slot


def _tenths(low: int, high: int, unit: str, divisor: int = 10) -> _Slot:
    # Decimal quantities are drawn as integers so no float noise reaches the text.
    def slot(rng: random.Random, _ctx: _Context) -> str:
        return f"{rng.randint(low, high) / divisor:g}{unit}"

    return slot


def _choice(*options: str) -> _Slot:
    def slot(rng: random.Random, _ctx: _Context) -> str:
        return rng.choice(options)

    return slot


def _company(category: str | None = None) -> _Slot:
    def slot(rng: random.Random, ctx: _Context) -> str:
        return fake_company(rng, category or ctx.category)

    return slot


def _date(rng: random.Random, _ctx: _Context) -> str:
    return f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"


def _place(_rng: random.Random, ctx: _Context) -> str:
    return ctx.town + ctx.village


def _home(rng: random.Random, ctx: _Context) -> str:
    if ctx.is_community:
        return f"{ctx.village}{rng.randint(1, 24)}号楼"
    return f"{ctx.village}{_cn_number(rng.randint(1, 12))}组"


def _zu(rng: random.Random, _ctx: _Context) -> str:
    return f"{_cn_number(rng.randint(1, 12))}组"


def _resident(_rng: random.Random, ctx: _Context) -> str:
    return "居民" if ctx.is_community else "村民"


def _entrance(_rng: random.Random, ctx: _Context) -> str:
    return "小区门口" if ctx.is_community else "村口"


def _lane(_rng: random.Random, ctx: _Context) -> str:
    return "小区道路" if ctx.is_community else "村道"


def _edge(_rng: random.Random, ctx: _Context) -> str:
    return "周边" if ctx.is_community else "村边"


def _gov(_rng: random.Random, ctx: _Context) -> str:
    return "街道办事处" if ctx.town.endswith("街道") else "镇政府"


def _committee(_rng: random.Random, ctx: _Context) -> str:
    return ctx.village + ("居委会" if ctx.is_community else "村委会")


_SLOTS: Mapping[str, _Slot] = MappingProxyType(
    {
        # where
        "place": _place,
        "home": _home,
        "zu": _zu,
        "resident": _resident,
        "committee": _committee,
        "gov": _gov,
        "entrance": _entrance,
        "lane": _lane,
        "edge": _edge,
        # when and how many
        "date": _date,
        "date2": _date,
        "month": _number(1, 12, "{}月"),
        "year": _number(2010, 2023, "{}"),
        "year_recent": _number(2021, 2024, "{}"),
        "years": _number(2, 15),
        "days": _number(3, 45),
        "n": _number(2, 5),
        "n_months": _number(2, 18),
        "crowd": _number(6, 60),
        "households": _number(5, 40),
        "workers": _number(6, 60),
        "age_old": _number(68, 92),
        "kid_age": _number(3, 16),
        "school_age": _number(7, 15),
        "floor": _number(2, 26),
        "building": _number(1, 24),
        "unit": _number(1, 4),
        "times": _number(3, 9),
        "n_trees": _number(50, 400, step=10),
        "n_cut": _number(10, 60),
        "truckloads": _number(5, 40),
        "jin": _number(2000, 30000, step=500),
        "sqm": _number(8, 60),
        "cm": _number(20, 60, step=5),
        "meters": _number(3, 15),
        "depth": _number(2, 8),
        "n_bottles": _number(10, 40),
        "mu": _tenths(1, 24, "亩", divisor=2),
        "small_mu": _tenths(1, 8, "亩"),
        "width": _tenths(3, 15, "米"),
        "dist": _number(50, 800, "{}米", step=10),
        "grade": _choice("七", "八", "九", "十"),
        # money, in realistic ranges per use
        "m_bride": _money(60000, 188000, 2000),
        "m_bride_part": _money(30000, 100000, 5000),
        "m_support": _money(300, 1500, 100),
        "m_small": _money(500, 5000, 100),
        "m_small2": _money(500, 5000, 100),
        "m_mid": _money(5000, 48000, 500),
        "m_large": _money(60000, 680000, 1000),
        "m_wage": _money(6000, 68000, 100),
        "m_wage_month": _money(2400, 6000, 100),
        "m_daily": _money(150, 350, 10),
        "m_rent": _money(3000, 36000, 100),
        "m_medical": _money(4000, 150000, 100),
        "m_comp": _money(30000, 480000, 100),
        "m_card": _money(800, 12000, 100),
        "m_appliance": _money(900, 8800, 10),
        "m_ebike": _money(1800, 4600, 100),
        "m_fee": _money(600, 6000, 10),
        "m_park": _money(100, 300, 10),
        "m_loan": _money(10000, 300000, 1000),
        "m_crop": _money(2000, 36000, 100),
        "m_deposit": _money(1000, 5000, 500),
        "m_per_mu": _money(50, 90, 5),
        "m_rent_mu": _money(500, 1200, 50),
        "m_per_acre": _money(30000, 80000, 1000),
        # who and what
        "company": _company(),
        "builder": _company("construction"),
        "developer": _company("realty"),
        "property_co": _company("property_management"),
        "child": _choice("儿子", "女儿"),
        "relative": _choice("父亲", "母亲", "爱人", "孩子", "哥哥", "姐姐"),
        "crop": _choice("小麦", "玉米", "辣椒", "大葱", "蔬菜", "红薯", "花生", "西瓜"),
        "fruit": _choice("苹果", "葡萄", "猕猴桃", "冬枣", "桃", "梨", "樱桃"),
        "trees": _choice("杨树", "泡桐树", "核桃树", "椿树", "柿子树", "槐树"),
        "livestock": _choice("养猪场", "养鸡场", "养牛场", "养羊场"),
        "factory": _choice(
            "石料加工厂", "木材加工厂", "预制板厂", "塑料加工厂", "面粉厂", "混凝土搅拌站"
        ),
        "biz": _choice(
            "小饭馆", "便利店", "理发店", "农家乐", "建材门市", "早餐店", "五金店", "快递驿站"
        ),
        "prepaid": _choice(
            "健身房", "美容美发店", "游泳馆", "课外培训机构", "洗车店", "母婴店"
        ),
        "appliance": _choice(
            "冰箱", "空调", "洗衣机", "热水器", "电视机", "燃气灶", "油烟机"
        ),
        "goods": _choice("羽绒服", "农产品礼盒", "护肤品", "手机", "家用净水器"),
        "job": _choice("钢筋工", "木工", "瓦工", "小工", "架子工", "油漆工"),
        "job_any": _choice("搬运工", "保安", "司机", "保洁员", "仓库管理员", "厨师"),
        "estate": _choice(
            "渭河花园小区", "金色家园小区", "阳光新城小区", "锦绣苑小区", "东方丽景小区",
            "翠苑小区", "和谐家园小区", "滨河佳苑小区", "书香门第小区", "幸福里小区",
        ),
        "hospital": _choice("镇卫生院", "区某医院", "某民营医院", "市某专科医院", "某骨科医院"),
        "surgery": _choice("阑尾切除", "胆囊切除", "剖宫产", "骨折内固定", "白内障", "疝气修补"),
        "injury": _choice(
            "左腿骨折", "右臂骨折", "肋骨骨折", "头部外伤", "多处软组织挫伤", "锁骨骨折",
            "腰椎压缩性骨折",
        ),
        "body": _choice("小腿", "右手", "左臂", "大腿"),
        "vehicle": _choice("小型轿车", "面包车", "货车", "电动三轮车", "摩托车", "农用三轮车"),
        "road": _choice("东环路", "西环路", "南塬路", "北塬路", "渭清路", "新区大道", "迎宾路"),
        "road2": _choice("育才路", "建设路", "文化路", "府前路", "民生路", "农科路"),
        "project": _choice("工业园区", "高速公路", "物流园", "城市道路", "安置小区"),
        "purpose": _choice("土地流转", "惠农补贴申领", "银行贷款"),
        "problem": _choice("电梯故障", "楼道灯不亮", "绿化荒废", "门禁损坏", "管道漏水"),
        "night_shop": _choice("烧烤店", "歌厅", "棋牌室", "酒吧"),
    }
)  # fmt: skip

_FORMATTER = string.Formatter()


def _fields(*templates: str) -> list[str]:
    """Slot names in order of first appearance, each once."""
    seen: dict[str, None] = {}
    for template in templates:
        for _literal, name, _spec, _conv in _FORMATTER.parse(template):
            if name is not None:
                seen.setdefault(name, None)
    return list(seen)


def _render(
    templates: tuple[str, ...], rng: random.Random, ctx: _Context, given: Mapping[str, str]
) -> tuple[str, ...]:
    values = dict(given)
    for name in _fields(*templates):
        if name not in values:
            values[name] = _SLOTS[name](rng, ctx)
    return tuple(t.format_map(values) for t in templates)


# Compound surnames keep their two characters in the 某 form (欧阳某).
_COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "令狐", "夏侯", "司徒", "宇文", "轩辕", "端木", "独孤", "南宫", "西门", "百里",
    "呼延", "澹台", "公羊", "万俟", "闻人", "钟离", "第五",
))  # fmt: skip


def privacy_name(name: str) -> str:
    """The 张某某 form used in titles; anything that is not a personal name is kept."""
    if "某" in name or not 2 <= len(name) <= 4 or not all("一" <= c <= "鿿" for c in name):
        return name
    if name[:2] in _COMPOUND_SURNAMES and len(name) >= 3:
        return name[:2] + "某"
    return name[0] + "某某"


# --------------------------------------------------------------------------------------
# Templates. Titles 8–25 characters, descriptions 60–200 once filled.
# --------------------------------------------------------------------------------------

_DISPUTES: dict[str, tuple[Template, ...]] = {
    "marriage_family": (
        (
            "{A}与{R}离婚纠纷",
            "{a}来窗口反映：其与{r}系夫妻，现居{place}，双方婚后常因家庭琐事争吵，"
            "近{n_months}个月来{r}长期不回家，夫妻感情已破裂。{a}要求与{r}离婚，"
            "并对婚后共同财产分割及子女抚养问题一并作出处理。",
        ),
        (
            "{A}与{R}婚约彩礼返还纠纷",
            "{place}{resident}{a}之子与{r}之女经人介绍于{year}年订婚，{a}家按当地习俗给付彩礼{m_bride}"
            "及“三金”首饰。后双方感情不和解除婚约，{r}家以已筹办酒席为由拒绝退还彩礼。"
            "{a}要求{r}返还全部彩礼。",
        ),
        (
            "{A}与{R}赡养纠纷",
            "{a}（{age_old}岁）系{town}{home}{resident}，育有子女{n}人。其{child}{r}"
            "自{year}年起以家庭困难为由不再支付赡养费，也不照料{a}生活起居，{a}现患病"
            "无人照顾。{a}要求{r}每月支付赡养费{m_support}并分担医疗费用。",
        ),
        (
            "{A}与{R}抚养费纠纷",
            "{a}（{place}{resident}）与{r}于{year}年协议离婚，约定婚生{child}（现{kid_age}岁）随{a}生活，"
            "{r}每月支付抚养费{m_support}。自{month}起{r}以收入减少为由拒付，已累计拖欠"
            "{n_months}个月。{a}要求{r}补交拖欠的抚养费并按时支付。",
        ),
        (
            "{A}与{R}家庭矛盾纠纷",
            "{a}反映：其与{r}系夫妻，住{place}。{date}晚双方因孩子上学问题发生争吵，"
            "{r}酒后动手推搡，致{a}面部轻微擦伤，已报警处理。{a}要求{r}书面保证不再动手，"
            "并由调委会跟踪回访，维护家庭和睦。",
        ),
        (
            "{A}与{R}家庭财产分割纠纷",
            "{a}与{r}系兄弟姐妹，父母去世后在{place}遗留房屋一院及承包地{mu}。{r}长期居住"
            "并单独耕种，拒绝分割。{a}要求依法分割父母遗产，或由{r}给予适当折价补偿。",
        ),
        (
            "{A}与{R}婆媳矛盾纠纷",
            "{a}与儿媳{r}同住{place}，双方因做饭、带孩子等家庭琐事长期不和，近日发生激烈"
            "争吵，{r}带孩子回娘家已{days}天。{a}请求调委会出面调解，缓和家庭关系，"
            "劝{r}回家共同生活。",
        ),
    ),
    "neighbourhood": (
        (
            "{A}与{R}邻里噪音纠纷",
            "{a}反映：其居住在{town}{home}，楼上住户{r}家经常在深夜拖动桌椅、大声播放"
            "音乐，噪音严重影响其一家休息，{a}多次上门沟通无果。{a}要求{r}晚十点后控制"
            "噪音，并当面道歉。",
        ),
        (
            "{A}与{R}楼上漏水纠纷",
            "{a}（{place}{resident}）反映：{date}起其家卫生间顶棚持续渗水，经查系楼上{r}家防水层破损所致，"
            "造成{a}家吊顶、墙面发霉，损失约{m_small}。{r}以房屋老旧为由拒绝维修。"
            "{a}要求{r}尽快修复漏水并赔偿装修损失。",
        ),
        (
            "{A}与{R}通行纠纷",
            "{a}与{r}系{place}{zu}邻居。{r}在两家之间的公共巷道堆放柴草、砖块，巷道宽度"
            "仅剩{width}，{a}家农用三轮车无法通行，双方多次争吵。{a}要求{r}清除堆放物，"
            "恢复巷道通行。",
        ),
        (
            "{A}与{R}排水纠纷",
            "{a}（{place}{resident}）反映：邻居{r}今年翻修院落时将地面垫高约{cm}厘米，下雨时雨水倒灌进{a}家"
            "院内，已造成墙根受潮开裂。{a}要求{r}修建排水沟，将雨水改道排放，并赔偿"
            "修缮费用{m_small}。",
        ),
        (
            "{A}与{R}犬只伤人纠纷",
            "{a}反映：{date}下午其在{place}{lane}行走时被邻居{r}家散养的狗咬伤{body}，"
            "在镇卫生院注射狂犬疫苗等花费医疗费{m_small}。{r}称狗平时拴养，不愿承担费用。"
            "{a}要求{r}赔偿医疗费、误工费，并拴养犬只。",
        ),
        (
            "{A}与{R}树木遮光纠纷",
            "{a}与{r}系{place}前后院邻居，{r}在院墙边种植的{trees}已长至十余米高，遮挡"
            "{a}家采光，落叶堵塞房顶排水，树根顶裂院墙。{a}要求{r}砍伐或修剪树木，"
            "并修复院墙。",
        ),
        (
            "{A}与{R}空调外机噪音纠纷",
            "{a}反映：其住{town}{home}，邻居{r}将空调外机安装在{a}家卧室窗户正下方，"
            "夏季夜间运行噪音大、热风直吹，冷凝水滴落在窗台上。{a}要求{r}将空调外机"
            "移位安装，双方协商未果。",
        ),
        (
            "{A}与{R}门前垃圾堆放纠纷",
            "{a}反映：{place}邻居{r}长期将生活垃圾、废旧物品堆放在{a}家门前空地，夏季"
            "气味难闻、蚊蝇滋生，双方为此多次发生口角。{a}要求{r}清理垃圾，"
            "不再占用其门前空地。",
        ),
    ),
    "housing_homestead": (
        (
            "{A}与{R}宅基地边界纠纷",
            "{a}与{r}系{place}{zu}相邻{resident}。{r}翻建房屋时将山墙向{a}家一侧推移约{width}，"
            "占用了{a}家宅基地。{a}以宅基地使用证记载的四至为据提出异议，双方争执不下。"
            "{a}要求{r}按原界线拆除越界部分。",
        ),
        (
            "{A}与{R}房屋买卖纠纷",
            "{a}于{year}年购买{r}位于{place}的房屋一院，已付房款{m_large}，但{r}至今未"
            "协助办理不动产过户手续，近期又以房价上涨为由要求加价。{a}要求{r}按约定"
            "协助办理过户。",
        ),
        (
            "{A}与{R}房屋租赁纠纷",
            "{a}将其位于{place}的房屋出租给{r}经营使用，租期{years}年。{r}自{month}起拖欠"
            "房租共计{m_rent}，且擅自改建隔断。{a}要求{r}支付拖欠房租、恢复房屋原状，"
            "并解除租赁合同。",
        ),
        (
            "{A}与{R}建房滴水纠纷",
            "{a}反映：邻居{r}在{place}新建二层楼房，屋檐伸出两家分界线，雨天屋檐滴水直接"
            "落入{a}家院内，且新房高出{a}家房屋，严重影响采光。{a}要求{r}改造屋檐，"
            "并对采光影响给予补偿。",
        ),
        (
            "{A}与{R}宅基地使用权纠纷",
            "{a}反映：其祖辈留下的宅基地位于{place}{zu}，多年闲置未建房。{r}近期未经同意"
            "在该宅基地上堆放建材准备建房，称该地已由村组调整给其使用。{a}要求{r}停止"
            "施工，确认宅基地使用权归其所有。",
        ),
        (
            "{A}与{R}装修损坏房屋纠纷",
            "{a}反映：其住{town}{home}，楼上{r}家装修时拆改墙体并凿开地面，导致{a}家"
            "天花板多处开裂、卫生间漏水。经物业查看属实，{r}只同意赔偿{m_small}。"
            "{a}要求{r}修复房屋并赔偿损失{m_mid}。",
        ),
        (
            "{A}与{R}共用院落纠纷",
            "{a}与{r}系叔侄关系，两家在{place}共用一个院落和大门。{r}近日在院内加盖"
            "房屋，占用公共通道，{a}家进出受阻，双方多次发生争吵。{a}要求{r}停止加盖，"
            "重新划定院落界线。",
        ),
    ),
    "contract": (
        (
            "{A}与{R}民间借贷纠纷",
            "{a}（{place}{resident}）反映：{r}于{year}年以做生意周转为由向其借款{m_loan}，约定一年内归还，"
            "并出具了借条。到期后{a}多次催要，{r}以资金紧张为由一直拖欠不还。{a}要求"
            "{r}归还借款本金并支付利息。",
        ),
        (
            "{A}与{R}装修合同纠纷",
            "{a}（{place}{resident}）与{company}负责人{r}签订房屋装修合同，合同价{m_mid}，已付款七成。完工后"
            "出现墙面开裂、地砖空鼓等质量问题，{r}拒绝返工并催要尾款。{a}要求对方整改"
            "质量问题后再支付尾款。",
        ),
        (
            "{A}与{R}农资买卖合同纠纷",
            "{a}（{place}{resident}）从{r}经营的农资店购买化肥、农药用于{crop}种植，共计{m_mid}，约定收获后"
            "付清余款{m_small}。{r}现上门催要，{a}称因减产暂无力支付，双方多次争吵。"
            "双方请求调解，确定分期还款计划。",
        ),
        (
            "{A}与{R}土地流转合同纠纷",
            "{a}（{place}{resident}）将其{mu}承包地流转给{r}种植{crop}，约定每亩每年租金{m_rent_mu}，"
            "合同期{years}年。{r}已连续两年未支付流转费，共计拖欠{m_mid}。{a}要求{r}"
            "支付拖欠的流转费，否则解除合同收回土地。",
        ),
        (
            "{A}与{R}车辆买卖合同纠纷",
            "{a}（{place}{resident}）从{r}处购买二手{vehicle}一辆，价款{m_mid}，{r}承诺车况良好无事故。使用"
            "不到{n_months}个月即发现该车曾发生重大事故，发动机存在故障。{a}要求{r}"
            "退车退款或赔偿维修费用。",
        ),
        (
            "{A}与{R}承揽合同纠纷",
            "{a}（{place}{resident}）为{r}加工定做门窗一批，约定总价{m_mid}，已安装完毕。{r}以部分门窗尺寸"
            "不符为由拒绝支付剩余货款{m_small}，{a}称尺寸系按{r}提供的数据制作。"
            "{a}要求{r}支付剩余货款。",
        ),
        (
            "{A}与{R}合伙协议纠纷",
            "{a}（{place}{resident}）与{r}于{year}年合伙经营{biz}，各出资{m_mid}。因经营不善于{month}停业，"
            "{r}掌管账目和剩余设备，拒绝清算分配。{a}要求{r}公开账目，依法清算合伙财产"
            "并返还其应得份额。",
        ),
    ),
    "business": (
        (
            "{A}与{R}农药药害纠纷",
            "{a}（{place}{resident}）反映：其在{r}经营的农资店购买除草剂，按说明喷洒后，{mu}{crop}出现大面积"
            "叶片枯黄、死苗，估计损失{m_crop}。{r}认为是使用不当所致。{a}要求{r}赔偿"
            "损失，并申请农业部门进行药害鉴定。",
        ),
        (
            "{A}与{R}果品收购款纠纷",
            "{a}（{place}{resident}）反映：{month}其将自家{fruit}约{jin}斤卖给收购商{r}，货款共计{m_mid}，"
            "{r}当时只付了部分定金，剩余货款以销路不畅为由拖欠至今。{a}要求{r}尽快"
            "结清货款。",
        ),
        (
            "{A}与{R}养殖废水纠纷",
            "{a}反映：其在{place}承包的鱼塘与{r}的{livestock}相邻，{r}将养殖废水直接排入"
            "沟渠流入鱼塘，{date}鱼塘出现大量死鱼，损失约{m_crop}。{a}要求{r}赔偿损失，"
            "并停止向沟渠排放废水。",
        ),
        (
            "{A}与{R}灌溉用水纠纷",
            "{a}与{r}均在{place}种植{crop}，共用一眼机井灌溉。今年天旱，双方因浇地先后和"
            "电费分摊发生争执，{r}将井房上锁，导致{a}家{mu}作物无法按时浇水。{a}要求"
            "恢复轮流灌溉并合理分摊电费。",
        ),
        (
            "{A}与{R}店铺转让纠纷",
            "{a}以转让费{m_mid}接手{r}在{town}经营的{biz}，{r}隐瞒了店铺即将拆迁的情况，"
            "{a}接手经营{n_months}个月后即被通知搬离。{a}认为{r}存在欺诈，要求返还转让费"
            "并赔偿装修损失。",
        ),
        (
            "{A}与{R}农机作业纠纷",
            "{a}（{place}{resident}）雇请{r}驾驶收割机为其收割{mu}小麦，约定每亩作业费{m_per_mu}。收割时"
            "损失率过高，大量麦粒遗落田间，{a}估计损失{m_small}，要求从作业费中扣除，"
            "{r}不同意，双方争执不下。",
        ),
        (
            "{A}与{R}种子质量纠纷",
            "{a}（{place}{resident}）从{r}处购买{crop}种子，播种后出苗率不足五成，导致{mu}地减产，损失约"
            "{m_crop}。{a}认为种子质量存在问题，要求{r}赔偿损失；{r}称系天气原因，"
            "不同意赔偿。",
        ),
    ),
    "damages": (
        (
            "{A}与{R}人身损害赔偿纠纷",
            "{a}（{place}{resident}）反映：{date}其与{r}因琐事发生口角继而厮打，被{r}打伤致{injury}，住院治疗"
            "{days}天，花费医疗费{m_medical}。派出所已出具伤情鉴定。{a}要求{r}赔偿"
            "医疗费、误工费、护理费等各项损失。",
        ),
        (
            "{A}与{R}雇工受伤赔偿纠纷",
            "{a}受{r}雇请在{place}为其家翻修房屋，{date}施工中从脚手架上摔下，造成{injury}，"
            "花去医疗费{m_medical}。{r}仅支付了部分医药费，对误工费、护理费不愿承担。"
            "{a}要求{r}赔偿全部损失。",
        ),
        (
            "{A}与{R}财产损坏赔偿纠纷",
            "{a}反映：{r}驾驶挖掘机在{place}施工时，挖断{a}家自来水管和电缆，又推倒院墙"
            "约{meters}米，造成财产损失约{m_small}。{r}承认施工不慎，但对赔偿数额有异议。"
            "{a}要求{r}照价赔偿并修复院墙。",
        ),
        (
            "{A}与{R}高空坠物损害纠纷",
            "{a}反映：{date}其停放在{town}{home}楼下的小型轿车被楼上坠落的花盆砸坏，"
            "前挡风玻璃碎裂，维修费用{m_small}。经查花盆系{r}家阳台摆放。{a}要求{r}"
            "赔偿车辆维修费和误工费。",
        ),
        (
            "{A}与{R}牲畜损害庄稼纠纷",
            "{a}反映：{place}邻居{r}家散养的{n}头牛多次进入{a}家承包地，啃食踩踏{crop}"
            "约{mu}，损失约{m_crop}，{a}多次提醒未果。{a}要求{r}赔偿庄稼损失，"
            "并将牲畜圈养。",
        ),
        (
            "{A}与{R}失火损失赔偿纠纷",
            "{a}反映：{date}{r}在{place}田间焚烧秸秆时引燃了{a}家的柴草垛和{trees}，"
            "火势蔓延至院墙边，造成财产损失约{m_mid}。{r}只愿意赔偿{m_small}。"
            "{a}要求按实际损失赔偿。",
        ),
        (
            "{A}与{R}校园伤害赔偿纠纷",
            "{a}（{place}{resident}）反映：其{child}（{school_age}岁）在学校课间活动时被同学推倒，造成{injury}，"
            "花去医疗费{m_medical}。对方家长{r}及学校对责任划分分歧较大，{a}要求{r}"
            "和学校共同承担医疗费、护理费等损失。",
        ),
    ),
    "land_forest": (
        (
            "{A}与{R}承包地边界纠纷",
            "{a}与{r}的承包地在{place}{zu}相邻。{r}耕种时多次越过地界，将两家之间的地埂"
            "铲平，侵占{a}家承包地约{small_mu}。双方均称以二轮延包时的地界为准，"
            "但说法不一。{a}要求重新丈量确定地界。",
        ),
        (
            "{A}与{R}林木权属纠纷",
            "{a}反映：其在{place}集体荒坡上栽植的{n_trees}棵{trees}已成材，{r}称该荒坡为其家"
            "自留山，于{date}擅自砍伐{n_cut}棵出售。{a}要求{r}停止砍伐，赔偿林木损失"
            "{m_mid}。",
        ),
        (
            "{A}与{R}土地承包经营权纠纷",
            "{a}反映：其家于{year}年外出务工，将{place}的{mu}承包地交由亲戚{r}代耕，"
            "未约定期限。现{a}返乡要求收回土地自种，{r}以多年耕种投入为由拒不归还。"
            "{a}要求{r}返还承包地。",
        ),
        (
            "{A}与{R}坟地纠纷",
            "{a}反映：{r}家在{a}家位于{place}的承包地边上新修坟墓一座，占地约{sqm}平方米，"
            "事先未与其协商，还毁坏了地里的{crop}。{a}要求{r}迁坟或给予补偿，"
            "双方争执激烈。",
        ),
        (
            "{A}与{R}果园地界纠纷",
            "{a}与{r}在{place}的{fruit}园相邻，{r}栽植的果树树冠伸入{a}家果园，遮挡阳光，"
            "树根抢占养分，{a}家临界{n}行果树长势明显变差。{a}要求{r}修剪越界枝条，"
            "或对减产给予补偿。",
        ),
        (
            "{A}与{R}集体土地调整纠纷",
            "{a}反映：{place}{zu}于{year}年调整土地时，因其家户口暂时迁出，未分到土地，"
            "现户口已迁回，组里仍不予补分。{a}认为组长{r}处理不公，要求按人口"
            "重新调整土地。",
        ),
    ),
    "land_requisition": (
        (
            "{A}与{R}征地补偿款分配纠纷",
            "{a}反映：{place}{zu}集体土地被征收用于道路建设，组里分配补偿款时以{a}系外嫁女"
            "为由不予分配，但{a}户口仍在本组且未在婆家分得土地。{a}要求组长{r}依法分给"
            "其应得的补偿款{m_comp}。",
        ),
        (
            "{A}与{R}拆迁补偿款分配纠纷",
            "{a}与{r}系兄弟，父母名下位于{place}的房屋被列入棚户区改造范围，获拆迁补偿款"
            "{m_comp}及安置房一套。双方对分配比例分歧较大，{r}已领取补偿款拒不分配。"
            "{a}要求按份额分配。",
        ),
        (
            "{A}与{R}青苗补偿纠纷",
            "{a}反映：其家在{place}的{mu}承包地被征用，地上{fruit}树按普通青苗标准补偿，"
            "补偿款仅{m_mid}。{a}认为果园属经济林，应按经济林标准补偿，与组长{r}协商"
            "未果。{a}要求重新评估补偿。",
        ),
        (
            "{A}拆迁过渡费纠纷",
            "{a}反映：其位于{place}的房屋于{year_recent}年被征收拆除，协议约定安置房交付前"
            "每月发放过渡费{m_support}，但自{month}起停发，已拖欠{n_months}个月，"
            "项目负责人{r}避而不见。{a}要求补发过渡费并明确交房时间。",
        ),
        (
            "{A}与{R}地上附着物补偿纠纷",
            "{a}反映：{town}某项目征地时，其在{village}地里建的机井、看护房和围墙未被列入"
            "补偿清单，而相邻{r}家同类附着物获得补偿{m_mid}。{a}认为补偿不公，"
            "要求重新核查登记其地上附着物并予以补偿。",
        ),
        (
            "{A}与{R}拆迁面积认定纠纷",
            "{a}反映：其在{place}的房屋被列入拆迁范围，测量时将其{year}年加盖的二层约"
            "{sqm}平方米认定为违建，不予补偿。{a}称加盖时已经村组同意，负责测量的{r}"
            "不予理睬，{a}要求重新认定面积。",
        ),
    ),
    "environment": (
        (
            "{A}与{R}养殖场异味纠纷",
            "{a}等{resident}反映：{r}在{place}{edge}开办的{livestock}距离居民区仅约{dist}，"
            "粪污露天堆放，异味刺鼻，夏季蚊蝇成群，污水流入{edge}沟渠。{a}要求{r}整改"
            "粪污处理设施，或将养殖场搬离居民区。",
        ),
        (
            "{A}与{R}厂房噪音纠纷",
            "{a}反映：{r}在{place}开办的{factory}紧邻其住宅，机器昼夜运转，噪音和震动严重"
            "影响家人休息，老人因此失眠就医。{a}要求{r}采取隔音降噪措施并限制夜间生产，"
            "赔偿相应损失。",
        ),
        (
            "{A}与{R}粉尘污染纠纷",
            "{a}反映：{r}在{place}经营的{factory}生产时粉尘较大，{a}家{fruit}园的叶片和"
            "果面落满灰尘，今年果品品相差、收购价低，估计损失{m_crop}。{a}要求{r}"
            "安装除尘设施并赔偿果园损失。",
        ),
        (
            "{A}与{R}油烟污染纠纷",
            "{a}反映：其所住{town}{home}楼下{r}开办的餐馆将排烟管道通到居民楼窗户下，"
            "油烟直排，{a}家常年不敢开窗，墙面发黑。{a}要求{r}加装油烟净化设备"
            "并改造排烟管道。",
        ),
        (
            "{A}与{R}污水渗漏纠纷",
            "{a}反映：{place}邻居{r}家新建的化粪池紧挨{a}家水井，近期井水浑浊有异味，"
            "经检测大肠杆菌超标，家人已无法饮用。{a}要求{r}将化粪池迁移并做防渗处理，"
            "赔偿打新井费用{m_small}。",
        ),
        (
            "{A}与{R}建筑垃圾倾倒纠纷",
            "{a}反映：{r}在清理拆迁房屋时，将建筑垃圾倾倒在{a}家位于{place}的{crop}地里，"
            "堆积约{truckloads}车，压毁庄稼，影响耕种。{a}要求{r}清运建筑垃圾、恢复土地原状，"
            "并赔偿作物损失{m_crop}。",
        ),
    ),
    "labour": (
        (
            "{A}与{R}拖欠工资纠纷",
            "{a}反映：其于{year_recent}年在{r}承包的{place}建筑工地做{job}，工作"
            "{n_months}个月，约定日工资{m_daily}。工程结束后{r}以发包方未结算为由拖欠"
            "其工资{m_wage}。{a}要求{r}立即支付欠薪。",
        ),
        (
            "{A}工伤待遇纠纷",
            "{a}（{place}{resident}）系{company}员工，{date}在车间操作设备时右手被机器绞伤，经鉴定为{grade}级"
            "伤残。公司未为其缴纳工伤保险，负责人{r}只同意一次性补偿{m_mid}。{a}要求公司"
            "依法支付工伤待遇。",
        ),
        (
            "{A}与{R}解除劳动关系纠纷",
            "{a}（{place}{resident}）反映：其在{company}工作{years}年，{month}公司负责人{r}以经营困难为由口头"
            "通知其不用再来上班，未支付任何经济补偿，也未出具解除劳动合同证明。"
            "{a}要求公司依法支付经济补偿金，并补缴社会保险。",
        ),
        (
            "{A}等{workers}人欠薪纠纷",
            "{a}等{workers}名农民工反映：其受雇于{builder}负责人{r}，在{town}某项目从事"
            "{job}工作，工程已完工，{r}拖欠工资共计{m_large}，多次讨要未果。{a}等人要求"
            "{r}在春节前结清全部欠薪。",
        ),
        (
            "{A}与{R}劳务费纠纷",
            "{a}反映：其受{r}雇请在{place}为其果园修剪、套袋，共干活{days}天，约定每天"
            "{m_daily}，{r}只支付了一半，剩余{m_small}以果子卖价低为由拖欠不付。"
            "{a}要求{r}付清劳务费。",
        ),
        (
            "{A}与{R}未签劳动合同纠纷",
            "{a}反映：其自{year}年起在{r}于{town}经营的{biz}打工，至今未签订书面劳动合同，"
            "也未缴纳社会保险。近期{r}以生意不好为由将其辞退。{a}要求{r}支付未签"
            "劳动合同的二倍工资差额及经济补偿。",
        ),
        (
            "{A}与{R}加班费纠纷",
            "{a}（{place}{resident}）反映：其在{company}从事{job_any}工作，每天工作十二小时，每月仅休息{n}天，"
            "公司从未支付加班费，{month}离职时负责人{r}还扣押其当月工资{m_wage_month}。"
            "{a}要求支付被扣工资和加班费。",
        ),
    ),
    "consumer": (
        (
            "{A}与{R}预付卡退款纠纷",
            "{a}反映：其在{r}于{town}经营的{prepaid}办理预付卡，充值{m_card}，使用不久"
            "门店即停业，商家称只能转到其他门店使用。{a}不同意，要求{r}退还卡内余额，"
            "全额退款。",
        ),
        (
            "{A}与{R}家电质量纠纷",
            "{a}（{place}{resident}）于{month}在{r}经营的家电门店购买{appliance}一台，价格{m_appliance}，"
            "使用不足{n_months}个月多次出现故障，维修后仍无法正常使用。{a}要求商家按"
            "“三包”规定退货退款，商家只同意再次维修。",
        ),
        (
            "{A}与{R}电动车质量纠纷",
            "{a}（{place}{resident}）在{r}的车行购买电动自行车一辆，价格{m_ebike}，商家承诺续航六十公里，"
            "实际骑行不到二十公里就没电，电池鼓包。{a}要求{r}更换电池或退车退款，"
            "{r}称属正常损耗。",
        ),
        (
            "{A}与{R}建材买卖纠纷",
            "{a}（{place}{resident}）从{r}经营的建材店购买瓷砖约{sqm}平方米，货款{m_mid}。铺贴后发现瓷砖"
            "色差明显、部分开裂，与样品不符。{a}要求{r}更换瓷砖并承担重新铺贴的人工费，"
            "{r}拒绝。",
        ),
        (
            "{A}与{R}餐饮消费纠纷",
            "{a}（{place}{resident}）反映：{date}其一家在{r}经营的饭馆聚餐后，{n}人出现腹痛、腹泻症状，到镇卫生院"
            "就诊花去医疗费{m_small}。{a}认为系食物不洁所致，要求{r}赔偿医疗费、误工费，"
            "并申请市场监管部门调查。",
        ),
        (
            "{A}与{R}婚纱摄影合同纠纷",
            "{a}（{place}{resident}）在{r}经营的婚纱摄影店预订婚纱照套餐，支付全款{m_card}，拍摄后店家以选片"
            "为由另行加价，成片质量与样片差距较大。{a}要求{r}重拍或退还部分款项，"
            "双方协商未果。",
        ),
        (
            "{A}与{R}保健品退款纠纷",
            "{a}（{place}{resident}）反映：其父母（{age_old}岁）在{r}组织的“健康讲座”中被诱导购买保健品，"
            "花费{m_card}，商家宣称能治高血压。{a}认为商家虚假宣传，要求{r}退款，"
            "并请求市场监管部门查处。",
        ),
    ),
    "medical": (
        (
            "{A}与{R}医疗损害纠纷",
            "{a}（{place}{resident}）反映：{date}其{relative}在{hospital}接受{surgery}手术，术后出现感染并发症，"
            "转院治疗花费{m_medical}。{a}认为院方术前告知不充分、术后处置不及时，要求"
            "医院承担赔偿责任，院方代表为{r}。",
        ),
        (
            "{A}与{R}误诊纠纷",
            "{a}（{place}{resident}）反映：其{relative}因腹痛到{hospital}就诊，接诊医生{r}诊断为胃肠炎，输液"
            "两天后病情加重，转至市级医院确诊为急性阑尾炎穿孔，多花治疗费用{m_medical}。"
            "{a}要求医院赔偿医疗费和误工费。",
        ),
        (
            "{A}与{R}诊所医疗纠纷",
            "{a}反映：其在{place}{r}开办的卫生室输液时出现过敏反应，经送医抢救脱险，"
            "住院{days}天花去医疗费{m_medical}。{a}认为{r}未做皮试、用药不规范，要求"
            "赔偿医疗费、误工费及营养费。",
        ),
        (
            "{A}与{R}口腔治疗纠纷",
            "{a}（{place}{resident}）在{r}开办的口腔诊所种植牙{n}颗，支付费用{m_mid}，半年后种植体松动脱落，"
            "反复治疗无效。{a}认为手术存在过错，要求{r}退还治疗费用并赔偿后续修复费用。",
        ),
        (
            "{A}与{R}住院摔伤纠纷",
            "{a}（{place}{resident}）反映：其{relative}（{age_old}岁）在{hospital}住院期间，夜间如厕时在卫生间"
            "滑倒致{injury}，医院未设防滑措施，护理不到位。{a}要求医院承担摔伤后的"
            "医疗费{m_medical}及护理费，院方联系人为{r}。",
        ),
        (
            "{A}与{R}医疗美容纠纷",
            "{a}（{place}{resident}）反映：其在{r}经营的美容店做双眼皮手术，花费{m_small}，术后双眼明显不对称、"
            "留疤。经了解该店无医疗美容资质。{a}要求{r}退还费用、赔偿修复费用，"
            "并请求卫健部门查处。",
        ),
        (
            "{A}与{R}新生儿损害纠纷",
            "{a}（{place}{resident}）反映：其家人在{hospital}分娩时，因产程处理不当导致新生儿缺氧，出院后诊断"
            "为脑损伤，已花费治疗费{m_medical}。{a}要求医院承担责任，赔偿后续康复费用，"
            "并申请医疗损害鉴定，院方代表为{r}。",
        ),
    ),
    "traffic": (
        (
            "{A}与{R}交通事故赔偿纠纷",
            "{a}（{place}{resident}）反映：{date}其骑电动自行车行至{road}时，被{r}驾驶的小型轿车撞倒，造成"
            "{injury}，住院{days}天，花去医疗费{m_medical}。交警认定{r}负主要责任。"
            "{a}要求{r}及保险公司赔偿医疗费、误工费、护理费。",
        ),
        (
            "{A}与{R}农用车事故纠纷",
            "{a}反映：{date}{r}驾驶农用三轮车在{place}{lane}倒车时，将{a}家{age_old}岁老人"
            "撞倒致{injury}。{r}车辆未投保，支付了部分医疗费后不再承担。{a}要求{r}"
            "赔偿剩余医疗费{m_medical}及护理费。",
        ),
        (
            "{A}与{R}车辆剐蹭纠纷",
            "{a}（{place}{resident}）反映：{date}其驾驶小型轿车在{road}正常行驶，{r}驾驶{vehicle}变道时与其"
            "车辆剐蹭，造成前保险杠和大灯损坏，维修费{m_small}。交警认定{r}全责，"
            "{r}对维修金额有异议。{a}要求按定损金额赔偿。",
        ),
        (
            "{A}与{R}交通事故死亡赔偿纠纷",
            "{a}（{place}{resident}）反映：其{relative}于{date}在{road}步行时被{r}驾驶的货车撞击，经抢救无效"
            "死亡。{r}所驾车辆仅投保交强险，双方就死亡赔偿金、丧葬费数额分歧较大。"
            "{a}要求{r}依法足额赔偿。",
        ),
        (
            "{A}与{R}电动车相撞纠纷",
            "{a}与{r}各自骑电动自行车在{place}{entrance}十字路口相撞，双方均受轻伤，{a}花去"
            "医疗费{m_small}，{r}花去医疗费{m_small2}。交警认定双方同等责任，"
            "双方对损失分担有争议，请求调解。",
        ),
        (
            "{A}与{R}事故理赔款纠纷",
            "{a}（{place}{resident}）反映：{date}{r}驾车将其撞伤后，{a}家属垫付了全部医疗费{m_medical}。保险"
            "理赔款已打到{r}账户，{r}拒不转交，称还需扣除车辆维修费。{a}要求{r}返还"
            "理赔款中的医疗费部分。",
        ),
    ),
    "property_management": (
        (
            "{A}与{R}物业费纠纷",
            "{a}系{estate}业主，以物业服务差、小区{problem}长期无人处理为由，拒缴{n}年"
            "物业费共计{m_fee}。{property_co}负责人{r}多次催缴，并以停水停电相威胁。"
            "{a}要求物业先整改服务问题。",
        ),
        (
            "{A}与{R}停车位纠纷",
            "{a}系{estate}业主，反映小区地面停车位被物业出租给外来车辆，业主停车困难，"
            "物业经理{r}还要求业主每月缴纳停车费{m_park}。{a}要求物业公开停车收费依据，"
            "优先保障业主停车。",
        ),
        (
            "{A}与{R}屋面漏水维修纠纷",
            "{a}反映：其家位于{estate}{building}号楼顶层，雨天屋顶漏水，墙面发霉，多次"
            "找物业经理{r}维修，{r}以需动用专项维修资金为由推诿。{a}要求物业尽快维修"
            "并赔偿损失{m_small}。",
        ),
        (
            "{A}与{R}电梯停运纠纷",
            "{a}等业主反映：{estate}{building}号楼电梯停运已{days}天，楼内多位老人上下楼"
            "困难。物业经理{r}称电梯需大修，费用应由业主分摊。{a}等要求物业立即维修，"
            "维修资金使用按规定公示。",
        ),
        (
            "{A}与{R}装修押金纠纷",
            "{a}反映：其在{estate}装修房屋时，物业收取装修押金{m_deposit}，装修完成已"
            "{n_months}个月，物业经理{r}以装修垃圾未清运为由拒绝退还。{a}称垃圾已自行"
            "清理，要求物业退还押金。",
        ),
        (
            "{A}与{R}电动车被盗赔偿纠纷",
            "{a}反映：其停放在{estate}车棚内的电动自行车被盗，价值{m_ebike}，小区监控"
            "已损坏多时。{a}认为物业安保失职，要求{property_co}赔偿损失，物业经理{r}"
            "称物业不承担保管责任。",
        ),
        (
            "{A}与{R}物业交接纠纷",
            "{a}系{estate}业主委员会成员，业主大会已决定更换物业公司，原{property_co}"
            "负责人{r}拒不撤场，不移交小区图纸和公共收益账目。{a}要求原物业按规定办理"
            "交接手续并公开公共收益。",
        ),
    ),
    "other": (
        (
            "{A}与{R}名誉权纠纷",
            "{a}反映：{r}在{village}{resident}微信群中多次发布针对{a}的不实言论，称其偷拿"
            "集体财物，造成{a}名誉受损，精神压力大。{a}要求{r}在群内公开道歉、澄清"
            "事实，并赔偿精神损失。",
        ),
        (
            "{A}与{R}村务纠纷",
            "{a}反映：{committee}修建道路时占用了其家门前自留地约{sqm}平方米，当时村干部"
            "{r}口头承诺调地补偿，至今未兑现。{a}要求村委会兑现承诺，调整等量土地"
            "或给予补偿。",
        ),
        (
            "{A}与{R}遗失物返还纠纷",
            "{a}反映：{date}其在{town}集市上遗失钱包一个，内有现金{m_small}及身份证、"
            "银行卡，经调取监控发现被{r}捡拾，{r}承认捡到但称现金数额不符。{a}要求{r}"
            "返还全部财物。",
        ),
        (
            "{A}与{R}丧葬费用分担纠纷",
            "{a}与{r}系同胞兄弟，住{place}。父亲去世后，两人因丧葬费用分担和礼金分配发生"
            "争执，{r}拒绝承担丧葬费{m_mid}中应由其负担的份额。{a}请求调委会主持"
            "分担丧葬费用。",
        ),
        (
            "{A}与{R}集体分红纠纷",
            "{a}反映：{place}集体经济组织年底分红时，以其户口系婚后迁入为由不予分配。"
            "{a}认为自己已是本村集体经济组织成员，要求享有同等分红权利，与村干部{r}"
            "协商未果。",
        ),
        (
            "{A}与{R}供水纠纷",
            "{a}反映：{r}负责管理{place}供水站，以{a}家未交水费为由停止供水{days}天，"
            "{a}称已按时缴纳水费并有收据。{a}要求立即恢复供水，并核对收费账目。",
        ),
        (
            "{A}与{R}肖像权纠纷",
            "{a}反映：{r}在{town}经营的{biz}未经同意，将{a}的照片用于店铺宣传海报和"
            "短视频，{a}多次要求删除未果。{a}要求{r}停止使用其肖像、删除相关视频"
            "并赔礼道歉。",
        ),
    ),
}

_PETITIONS: dict[str, tuple[Template, ...]] = {
    "marriage_family": (
        (
            "{A}反映离婚财产判决未履行问题",
            "{a}（住{town}{home}）来访反映：其于{year}年与{r}离婚，法院判决{r}支付其房屋折价款{m_mid}，"
            "至今未履行。{a}多次申请执行无果，要求相关部门督促执行，保障其合法权益。",
        ),
        (
            "{A}反映子女不履行赡养义务问题",
            "{a}（{age_old}岁）来信反映：其子女{n}人互相推诿，均不履行赡养义务，本人"
            "无固定收入，生活困难。{a}要求{committee}和{gov}协调子女履行赡养义务，"
            "并帮助申请低保救助。",
        ),
        (
            "{A}反映探望权受阻问题",
            "{a}（住{town}{home}）来访反映：离婚后婚生{child}随{r}生活，{r}阻挠其探望已达{n_months}个月，"
            "并擅自将孩子转学。{a}要求妇联、司法所协调保障其探望权，必要时依法变更"
            "抚养关系。",
        ),
    ),
    "neighbourhood": (
        (
            "{A}等反映夜间经营噪音扰民问题",
            "{a}等{households}户居民来信反映：{place}附近一家{night_shop}每天营业至凌晨，"
            "音响噪音和人员喧哗严重影响周边居民休息，多次拨打12345未解决。要求相关部门"
            "依法查处，限制营业时间。",
        ),
        (
            "{A}反映邻里纠纷处理不公问题",
            "{a}来访反映：其与邻居{r}因院墙滴水问题发生纠纷，{committee}调解时偏向对方，"
            "处理不公。{a}要求{gov}重新组织调查，依法公正处理。",
        ),
        (
            "{A}反映邻居私搭乱建问题",
            "{a}来信反映：其住{town}{home}，邻居{r}在公共楼道及屋顶私自搭建彩钢房约"
            "{sqm}平方米，占用消防通道并遮挡其窗户采光，多次反映无人处理。要求有关部门"
            "依法拆除违建。",
        ),
    ),
    "housing_homestead": (
        (
            "{A}反映宅基地审批问题",
            "{a}来访反映：其家{n}口人仅有一处老旧宅基地，{year}年已向{committee}提出新"
            "宅基地申请，至今未获审批，而同组其他{resident}已获批建房。{a}要求{gov}依法依规"
            "审批，公开审批结果。",
        ),
        (
            "{A}反映危房改造补助未落实问题",
            "{a}来信反映：其家位于{place}的房屋经鉴定为C级危房，{year}年列入危房改造计划，"
            "已自筹资金完成改造，但补助资金{m_mid}至今未发放。要求相关部门核实并尽快"
            "兑现补助。",
        ),
        (
            "{A}等反映商品房逾期交房问题",
            "{a}等{crowd}户购房人来访反映：其在{town}购买{developer}开发的{estate}商品房，"
            "合同约定{year_recent}年交房，至今逾期未交付，开发商以资金困难为由推脱。"
            "要求住建部门督促复工交房，并按合同支付违约金。",
        ),
    ),
    "contract": (
        (
            "{A}反映工程款被拖欠问题",
            "{a}来访反映：其承包{committee}{lane}硬化工程，已于{year}年验收合格，但发包方"
            "至今拖欠工程款{m_large}，多次催要无果，导致其无力支付工人工资。要求{gov}"
            "督促尽快结算支付。",
        ),
        (
            "{A}反映借款纠纷执行难问题",
            "{a}（住{town}{home}）来信反映：其与{r}借款纠纷一案法院已判决{r}还款{m_loan}，但{r}转移财产、"
            "拒不履行，执行至今无进展。{a}要求法院加大执行力度，依法追究{r}拒不执行"
            "判决的责任。",
        ),
        (
            "{A}反映承包合同被单方解除问题",
            "{a}来访反映：其于{year}年承包{committee}集体荒地{mu}，合同期{years}年，现村委会"
            "换届后单方面要求提前收回土地另行发包，且不给予地上附着物补偿。要求依法维护"
            "其承包经营权。",
        ),
    ),
    "business": (
        (
            "{A}等反映农产品货款被拖欠问题",
            "{place}{a}等{households}户果农来访反映：{year_recent}年秋季将{fruit}卖给外地客商{r}，"
            "{r}承诺一个月内付清货款，至今拖欠共计{m_large}且电话无法接通。要求公安"
            "和{gov}帮助追回货款。",
        ),
        (
            "{A}反映个体经营被罚款问题",
            "{a}来信反映：其在{town}街道经营{biz}，已办理营业执照，近期被执法人员以占道"
            "经营为由罚款{m_small}，未出具正规票据。{a}认为处罚不当，要求核实"
            "并退还罚款。",
        ),
        (
            "{A}反映设施农业补贴未兑现问题",
            "{a}来访反映：其于{year}年按镇上要求在{place}投资建设蔬菜大棚{n}座，承诺的"
            "设施农业补贴{m_mid}至今未兑现，本人背负贷款经营困难。要求相关部门核实"
            "并兑现补贴政策。",
        ),
    ),
    "damages": (
        (
            "{A}反映伤害案件赔偿未落实问题",
            "{a}（住{town}{home}）来访反映：{year}年其被{r}殴打致{injury}，公安机关作出行政处罚后，{r}一直"
            "未履行民事赔偿，医疗费{m_medical}全部由其自行承担。{a}要求督促{r}赔偿，"
            "并依法处理。",
        ),
        (
            "{A}反映施工震裂房屋问题",
            "{a}来信反映：{town}道路改造工程施工期间，大型机械震动导致其位于{village}的"
            "房屋墙体开裂、地面下沉，多次找施工方{builder}协商赔偿未果。要求住建部门"
            "组织鉴定，督促施工方赔偿。",
        ),
        (
            "{A}反映被狗咬伤赔偿问题",
            "{a}来访反映：其在{place}被{r}家饲养的烈性犬咬伤，医疗费{m_small}至今未获"
            "赔偿，{r}拒不认账。{a}要求派出所调取监控核实情况，依法处理并督促赔偿。",
        ),
    ),
    "land_forest": (
        (
            "{A}反映承包地被违规占用问题",
            "{a}来访反映：其家{mu}承包地被{committee}以修建停车场为由收回，未签订任何协议，"
            "也未给予补偿。{a}多次找村干部未果，要求{gov}依法调查处理，恢复其承包"
            "经营权或给予合理补偿。",
        ),
        (
            "{A}等反映土地确权面积不符问题",
            "{a}等{households}户{resident}来信反映：{place}土地确权登记时，承包经营权证面积"
            "与实际耕种面积不符，平均每户少登记约{small_mu}。要求{gov}和农业农村部门"
            "重新核实测量，更正登记。",
        ),
        (
            "{A}反映林权纠纷久拖不决问题",
            "{a}来访反映：其与{r}在{place}的林地权属纠纷自{year}年起多次向镇村反映，至今"
            "未作出处理决定，期间{r}继续砍伐林木。{a}要求自然资源部门依法确权，"
            "制止乱砍滥伐。",
        ),
    ),
    "land_requisition": (
        (
            "{A}等反映征地补偿标准过低问题",
            "{a}等{crowd}名{resident}来访反映：{place}土地被征收用于{project}建设，补偿标准"
            "每亩仅{m_per_acre}，明显低于周边同类项目，群众不同意签字。要求公开征地批复"
            "和补偿依据，提高补偿标准。",
        ),
        (
            "{A}反映征地补偿款去向不明问题",
            "{a}来信反映：{place}{zu}征地补偿款{m_large}拨付到村后，村组干部未按规定公示"
            "分配方案，部分款项去向不明，怀疑被截留挪用。要求纪检监察和审计部门查清"
            "补偿款去向。",
        ),
        (
            "{A}反映安置房逾期未交付问题",
            "{a}来访反映：其家位于{place}的房屋于{year}年拆迁，按协议应三年内交付安置房，"
            "至今仍未交付，一家{n}口一直租房居住。要求有关部门督促项目复工建设，"
            "尽快交房并补发过渡费。",
        ),
    ),
    "environment": (
        (
            "{A}等反映企业偷排污水问题",
            "{a}等{households}户{resident}来信反映：{place}附近{company}长期在夜间偷排废水，{edge}"
            "河道水体发黑发臭，鱼虾死亡，浇地受到影响。要求生态环境部门依法查处，"
            "对受损农田予以赔偿。",
        ),
        (
            "{A}反映垃圾露天焚烧问题",
            "{a}来访反映：{town}一处垃圾填埋点距其在{village}的住处仅约{dist}，垃圾长期露天"
            "堆放，经常焚烧，刺鼻烟雾弥漫，多次反映无果。要求规范处理垃圾，停止露天"
            "焚烧，并搬迁垃圾填埋点。",
        ),
        (
            "{A}反映工地夜间施工噪音问题",
            "{a}来电反映：{place}附近{builder}承建的工地连续多日夜间施工至凌晨，混凝土"
            "搅拌和打桩噪音巨大，周边居民无法入睡，投诉后仍未停工。要求执法部门依法"
            "查处夜间违规施工。",
        ),
    ),
    "labour": (
        (
            "{A}等反映企业拖欠工资问题",
            "{a}（住{town}{home}）等{crowd}名职工来访反映：{company}已停产{n_months}个月，拖欠职工工资共计"
            "{m_large}，社保也已断缴，负责人{r}避而不见。要求人社部门督促企业支付欠薪，"
            "必要时动用工资保证金。",
        ),
        (
            "{A}反映工伤认定受阻问题",
            "{a}（住{town}{home}）来信反映：其{year}年在{company}工作时受伤，公司否认存在劳动关系，拒绝协助"
            "申请工伤认定，至今已花去医疗费{m_medical}。{a}要求人社部门依法确认劳动关系、"
            "认定工伤。",
        ),
        (
            "{A}反映劳动仲裁裁决未履行问题",
            "{a}（住{town}{home}）来访反映：其与{company}劳动争议经仲裁裁决公司支付拖欠工资及补偿{m_mid}，"
            "裁决已生效，公司至今拒不履行。{a}要求有关部门督促企业履行，或协助其申请"
            "法院强制执行。",
        ),
    ),
    "consumer": (
        (
            "{A}等反映健身房闭店问题",
            "{a}等{crowd}名会员来访反映：{town}一家健身房收取会员年卡费后突然闭店，"
            "负责人{r}失联，涉及会员数百人，金额较大。要求市场监管和公安部门介入调查，"
            "督促退款，追回预付款项。",
        ),
        (
            "{A}反映商品房配套与宣传不符问题",
            "{a}来信反映：其购买{estate}商品房时，{developer}宣传配建幼儿园和地下停车场，"
            "交房后均未兑现。要求相关部门督促开发商履行承诺，或依法查处虚假宣传。",
        ),
        (
            "{A}反映消费投诉处理不及时问题",
            "{a}（住{town}{home}）来访反映：其在{r}经营的门店购买的{appliance}存在质量问题，已于{month}"
            "向12315投诉，{days}天未得到处理结果。{a}要求市场监管部门尽快处理投诉，"
            "督促商家退款。",
        ),
    ),
    "medical": (
        (
            "{A}反映医疗纠纷处理不公问题",
            "{a}（住{town}{home}）来访反映：其{relative}于{year}年在{hospital}治疗后死亡，{a}认为医院存在"
            "过错，院方不提供完整病历，卫健部门处理意见不能令其满意。{a}要求重新调查、"
            "封存病历并进行医疗损害鉴定。",
        ),
        (
            "{A}反映异地就医报销问题",
            "{a}（住{town}{home}）来信反映：其{relative}在外地住院花去医疗费{m_medical}，回来报销时被告知"
            "因未办理异地就医备案，报销比例大幅降低。{a}认为政策宣传不到位，要求医保"
            "部门按正常比例报销。",
        ),
        (
            "{A}反映卫生室乱收费问题",
            "{a}来访反映：{place}卫生室医生{r}在为{resident}看病时，存在开大处方、重复收费等"
            "问题，{resident}意见很大。要求卫健部门对该卫生室进行检查，规范收费行为。",
        ),
    ),
    "traffic": (
        (
            "{A}反映事故责任认定不公问题",
            "{a}（住{town}{home}）来访反映：其{relative}在{year}年的交通事故中受伤致残，事故责任认定与事实"
            "不符，肇事者{r}逃逸后未被追究，{a}对此不服。要求公安机关重新调查，依法"
            "追究肇事者责任。",
        ),
        (
            "{A}等反映路口事故多发问题",
            "{a}等{households}户{resident}来信反映：{road}与{village}{lane}交叉口无信号灯、"
            "无减速带，车速快，今年已发生{n}起交通事故。要求交通、公安部门在该路口"
            "加装信号灯和减速设施。",
        ),
        (
            "{A}反映事故赔偿执行难问题",
            "{a}（住{town}{home}）来访反映：其在交通事故中受伤，法院判决肇事方{r}赔偿{m_medical}，因{r}名下"
            "无财产可供执行，案件已终结本次执行。{a}生活困难，要求申请司法救助。",
        ),
    ),
    "property_management": (
        (
            "{A}等反映小区物业服务问题",
            "{a}等{households}户业主来信反映：{estate}的{property_co}长期不履行服务义务，"
            "垃圾清运不及时、电梯频繁故障，却多次上调物业费。要求住建部门对物业公司"
            "进行考核，督促整改或更换物业。",
        ),
        (
            "{A}反映小区公共收益去向问题",
            "{a}来访反映：{estate}的广告位、停车位等公共收益多年来由物业公司收取，从未"
            "向业主公示。{a}要求住建部门督促物业公开公共收益账目，并将收益用于小区"
            "公共设施维修。",
        ),
        (
            "{A}等反映小区未通天然气问题",
            "{a}等{crowd}名业主来访反映：其所购{estate}商品房已交房{n}年，小区至今未通"
            "天然气和集中供暖，开发商与物业互相推诿。要求有关部门协调尽快通气通暖。",
        ),
    ),
    "other": (
        (
            "{A}反映低保评定不公问题",
            "{a}来访反映：其家{n}口人，本人身患残疾无劳动能力，多次申请低保未获批准，"
            "而{place}部分家庭条件较好的{resident}却享受低保。{a}要求{gov}公开低保评审结果，"
            "重新审核其申请。",
        ),
        (
            "{A}反映村务不公开问题",
            "{a}来信反映：{committee}近年来集体土地承包费、项目资金等收支情况从未公开，"
            "村干部{r}独断专行。{a}要求纪检监察部门对村集体账目进行审计，并依法公开村务。",
        ),
        (
            "{A}反映户口迁入受阻问题",
            "{a}来访反映：其因婚嫁需将户口迁入{place}，已提交全部材料，但{committee}以"
            "村规民约为由拒绝出具接收证明。{a}认为侵犯其合法权益，要求{gov}和公安部门"
            "协调办理。",
        ),
    ),
}

_REQUESTS: dict[str, tuple[Template, ...]] = {
    "marriage_family": (
        (
            "{A}咨询协议离婚办理事宜",
            "{a}（{place}{resident}）来电咨询：其与配偶{r}自愿离婚，已就孩子抚养和财产分割初步达成一致，"
            "不清楚协议离婚的办理流程和所需材料。{a}请求工作人员告知婚姻登记地点、"
            "预约方式及离婚冷静期规定。",
        ),
        (
            "{A}申请家庭矛盾心理疏导",
            "{a}到{town}综治中心反映：家中老人与子女因赡养问题关系紧张，其家人{r}近期"
            "情绪低落、不愿与人交流。{a}请求心理服务站安排心理咨询师到{village}上门"
            "进行心理疏导。",
        ),
    ),
    "neighbourhood": (
        (
            "{A}反映广场舞噪音扰民",
            "{a}来电反映：{place}文化广场每晚有群众跳广场舞，音响音量过大，持续到晚十点"
            "以后，噪音影响附近居民休息和孩子学习。{a}请求协调组织者降低音量、"
            "缩短活动时间。",
        ),
        (
            "{A}反映楼道堆放杂物",
            "{a}反映：其所住{town}{home}单元楼道内长期堆放纸箱、旧家具和电动车，既影响"
            "通行又存在消防隐患，邻居之间互相推诿。{a}请求{committee}组织清理楼道杂物。",
        ),
    ),
    "housing_homestead": (
        (
            "{A}咨询房屋继承登记",
            "{a}来电咨询：其继承父母位于{place}的房屋一院，需办理不动产继承登记，但父母"
            "的宅基地使用证遗失。{a}请求工作人员告知补办证件的程序及所需材料，并协助"
            "联系不动产登记中心。",
        ),
        (
            "{A}申请房屋安全鉴定",
            "{a}反映：其家位于{place}的老旧房屋墙体出现多处裂缝，雨季屋顶漏雨，担心房屋"
            "倒塌。{a}请求{gov}安排房屋安全鉴定，并咨询是否符合危房改造条件。",
        ),
    ),
    "contract": (
        (
            "{A}咨询借款纠纷起诉途径",
            "{a}（{place}{resident}）来窗口咨询：{r}向其借款{m_loan}逾期未还，仅有微信转账记录，没有书面借条。"
            "{a}想了解能否起诉、需要准备哪些证据，请求安排律师进行法律咨询。",
        ),
        (
            "{A}申请合同纠纷法律援助",
            "{a}反映：其与{company}签订的供货合同发生纠纷，对方拖欠货款{m_mid}，{a}家庭"
            "经济困难无力聘请律师。{a}申请法律援助，请求{town}司法所协助审查合同"
            "并指导维权。",
        ),
    ),
    "business": (
        (
            "{A}咨询个体工商户办理",
            "{a}来窗口咨询：其打算在{town}开办一家{biz}，不清楚个体工商户营业执照等手续"
            "的办理流程。{a}请求工作人员告知所需材料和办理地点，并协助进行网上申报。",
        ),
        (
            "{A}反映农产品滞销求助",
            "{a}来电反映：其在{place}种植的{mu}{fruit}已成熟，因今年客商减少、收购价格"
            "低迷，约{jin}斤{fruit}滞销。{a}请求{gov}帮助联系收购商或电商平台"
            "拓宽销路。",
        ),
    ),
    "damages": (
        (
            "{A}咨询人身损害赔偿标准",
            "{a}（{place}{resident}）来窗口咨询：其{child}被{r}打伤，医疗费已花去{m_medical}，不清楚误工费、"
            "护理费、营养费如何计算。{a}请求工作人员讲解人身损害赔偿标准，并指导其收集"
            "就医票据等证据。",
        ),
        (
            "{A}咨询伤情鉴定办理",
            "{a}反映：{date}其在{place}被他人打伤，伤后一直头晕，现需申请伤情鉴定以便"
            "主张赔偿，但不清楚鉴定机构和程序。{a}请求派出所或司法所告知伤情鉴定的"
            "申请流程。",
        ),
    ),
    "land_forest": (
        (
            "{A}咨询承包地流转手续",
            "{a}来电咨询：其家在{place}有{mu}承包地无人耕种，打算流转给本村种植大户，"
            "请求工作人员告知土地流转合同如何签订、是否需要到镇农经站备案，以及流转费"
            "参考标准。",
        ),
        (
            "{A}申请补办土地承包经营权证",
            "{a}反映：其家的农村土地承包经营权证在搬家时遗失，近期办理{purpose}需要提供。"
            "{a}请求{town}农经站协助查询{village}的承包档案并补办证书。",
        ),
    ),
    "land_requisition": (
        (
            "{A}咨询征地补偿政策",
            "{a}来窗口咨询：{place}近期发布征地公告，其家{mu}承包地在征收范围内，想了解"
            "征地补偿标准、社保安置政策以及补偿款发放程序。{a}请求工作人员解释相关政策"
            "并提供公告文件。",
        ),
        (
            "{A}申请查询拆迁补偿档案",
            "{a}反映：其家位于{place}的房屋{year}年拆迁时签订的补偿协议原件遗失，现办理"
            "安置房产权登记需要该协议。{a}请求区征收办协助查询调取拆迁补偿档案。",
        ),
    ),
    "environment": (
        (
            "{village}生活垃圾清运不及时",
            "{a}来电反映：{place}{entrance}垃圾收集点已经{n}天无人清运，生活垃圾大量堆积，"
            "散发异味，还有垃圾被风吹散到路面上。{a}请求环卫部门尽快清运垃圾，"
            "并增加清运频次。",
        ),
        (
            "{A}反映烧烤店油烟噪音扰民",
            "{a}反映：其住{town}{home}，楼下一家烧烤店每晚在店外露天烧烤，油烟直冲楼上"
            "住户，食客喧哗至凌晨，噪音严重影响休息。{a}请求城管部门督促商户规范经营，"
            "安装油烟净化器。",
        ),
        (
            "{village}排水沟渠淤堵",
            "{a}反映：{place}排水沟渠淤积堵塞，生活污水漫到道路上，散发恶臭，行人出行"
            "困难，夏季蚊蝇滋生。{a}请求{committee}组织人员清淤疏通，并加盖沟渠。",
        ),
    ),
    "labour": (
        (
            "{A}咨询欠薪维权途径",
            "{a}（{place}{resident}）来窗口咨询：其在{company}打工，老板拖欠{n_months}个月工资共{m_wage}，手中"
            "只有考勤照片和微信聊天记录。{a}想了解如何向劳动监察投诉、申请劳动仲裁，"
            "请求工作人员指导。",
        ),
        (
            "{A}咨询社保缴费问题",
            "{a}（{place}{resident}）来电反映：其在{company}工作{years}年，近日查询发现单位有{n_months}个月未"
            "为其缴纳养老保险。{a}请求人社部门核实并督促单位补缴，并告知个人如何查询"
            "缴费记录。",
        ),
    ),
    "consumer": (
        (
            "{A}咨询网购退款维权",
            "{a}（{place}{resident}）来电咨询：其通过网络直播购买的{goods}收到后与宣传严重不符，联系商家客服"
            "一直不回复。{a}想了解如何申请退款、向哪个部门投诉，请求工作人员指导维权。",
        ),
        (
            "{A}反映超市销售过期食品",
            "{a}反映：其在{town}一家超市购买的牛奶、面包已超过保质期，与店家交涉，店家"
            "只同意退款不愿赔偿。{a}请求市场监管部门检查该超市食品安全问题，并支持其"
            "赔偿要求。",
        ),
    ),
    "medical": (
        (
            "{A}咨询医疗纠纷解决途径",
            "{a}（{place}{resident}）来窗口咨询：其{relative}在{hospital}手术后恢复不理想，怀疑医院存在过错。"
            "{a}想了解医疗纠纷人民调解委员会的申请程序、是否收费，以及如何复印、"
            "封存病历。",
        ),
        (
            "{A}申请大病医疗救助",
            "{a}反映：其{relative}患尿毒症需长期透析，每月医疗费约{m_small}，家庭已负债"
            "累累。{a}请求{town}民政办协助申请大病医疗救助和临时救助。",
        ),
    ),
    "traffic": (
        (
            "{road}路口信号灯损坏",
            "{a}（{place}{resident}）来电反映：{road}与{road2}交叉路口信号灯已损坏{n}天，早晚高峰车辆人流"
            "混行，险些发生事故。{a}请求交警部门尽快维修信号灯，维修期间安排人员"
            "疏导交通。",
        ),
        (
            "{village}{entrance}急弯缺少警示标志",
            "{a}反映：{place}{entrance}急弯处没有警示标志和反光镜，夜间照明不足，过往车辆时常"
            "发生剐蹭。{a}请求交通部门在急弯处设置警示标志、减速带和凸面镜。",
        ),
        (
            "{A}咨询轻微事故快处快赔",
            "{a}（{place}{resident}）来电咨询：其驾车在{road}与他人车辆发生轻微剐蹭，无人员受伤，双方对责任"
            "无争议。{a}想了解如何通过“交管12123”快处快赔，以及保险理赔需要的材料。",
        ),
    ),
    "property_management": (
        (
            "{estate}电梯停运",
            "{a}来电反映：{estate}{building}号楼电梯已停运{days}天，物业称在等配件。楼内"
            "住户多为老人，{a}家住{floor}楼，上下楼十分困难。{a}请求督促物业尽快修复"
            "电梯，并告知恢复时间。",
        ),
        (
            "{estate}楼道灯损坏",
            "{a}反映：{estate}{building}号楼{unit}单元楼道声控灯已损坏多日，晚上楼道漆黑，"
            "老人孩子上下楼容易摔倒，向物业报修未果。{a}请求物业尽快维修更换楼道照明。",
        ),
        (
            "{A}反映小区乱停车问题",
            "{a}反映：{estate}内车辆乱停乱放，占用消防通道和单元门口，早晚出行经常堵死。"
            "{a}请求物业规范停车管理、施划停车位，并请交警、消防部门协助整治。",
        ),
    ),
    "other": (
        (
            "{place}路灯损坏",
            "{a}来电反映：{place}主干道{n}盏路灯已损坏{days}天，夜间道路漆黑，老人和学生"
            "出行不安全。{a}请求{committee}联系相关部门尽快维修路灯。",
        ),
        (
            "{A}咨询残疾证办理",
            "{a}（{place}{resident}）来窗口咨询：其{relative}因病致残，行动不便，想办理残疾人证并申请两项补贴，"
            "不清楚办理流程和鉴定地点。{a}请求告知所需材料，并协助预约上门评残。",
        ),
        (
            "{place}自来水停水",
            "{a}来电反映：{place}自{date}起自来水停水，至今已{n}天，供水站未作任何通知，"
            "群众生活用水十分困难。{a}请求尽快查明原因、恢复供水，期间安排送水。",
        ),
    ),
}

_HAZARDS: dict[str, tuple[Template, ...]] = {
    "marriage_family": (
        (
            "{R}家庭矛盾激化隐患",
            "网格员{a}走访发现：{town}{home}{resident}{r}夫妻近期因离婚问题矛盾激化，"
            "{r}多次酒后在家中摔砸物品，并扬言要“同归于尽”。该户有未成年子女{n}人，"
            "存在民转刑风险，需尽快介入调解。",
        ),
        (
            "{R}分家矛盾可能引发伤害事件",
            "{a}向网格员反映：邻居{r}与子女因分家产问题多次争吵，{r}近日情绪失控，在"
            "{village}{entrance}叫骂并持农具追赶家人，周边群众担心发生伤害事件。请求尽快组织"
            "调解并落实稳控措施。",
        ),
    ),
    "neighbourhood": (
        (
            "{village}邻里纠纷激化风险",
            "网格员{a}排查发现：{place}{resident}{r}与邻居因宅前排水问题积怨多年，近日"
            "再次发生打斗，双方均有人受轻伤，两家亲属情绪对立，存在再次冲突的风险。"
            "建议尽快组织联合调解。",
        ),
        (
            "楼道私拉电线充电火灾隐患",
            "{a}反映：{town}{home}部分住户从楼上私拉电线为电动车充电，电线垂挂在楼道窗外，"
            "夜间充电无人看管，存在较大火灾隐患。请求社区和消防部门督促整改，"
            "规范充电管理。",
        ),
    ),
    "housing_homestead": (
        (
            "{village}土坯房倒塌隐患",
            "网格员{a}巡查发现：{place}{resident}{r}家土坯房年久失修，后墙明显倾斜开裂，"
            "{r}年逾七旬仍居住其中。近期连续降雨，房屋随时有倒塌危险。建议立即动员"
            "搬离，并纳入危房改造。",
        ),
        (
            "{R}违规建房引发冲突隐患",
            "{a}反映：{place}{resident}{r}未经审批在耕地上违规建房，已砌至二层，周边{households}"
            "户{resident}认为占用了集体通道，双方多次发生推搡，存在群体冲突风险。请求自然资源"
            "部门和{gov}及时制止。",
        ),
    ),
    "contract": (
        (
            "工程款拖欠可能引发聚集隐患",
            "网格员{a}报告：{place}一处在建项目因发包方拖欠工程款，包工头{r}拖欠{workers}"
            "名农民工工资，工人多次到项目部讨要，扬言要到{gov}聚集讨说法。建议提前"
            "介入，督促结算。",
        ),
        (
            "合作社分红无法兑现引发上访隐患",
            "网格员{a}排查发现：{place}某专业合作社负责人{r}收取{households}户社员入股资金"
            "共计{m_large}，承诺年底分红，现合作社经营停滞，社员情绪不满，酝酿集体上访。"
            "建议尽快核查资金去向。",
        ),
    ),
    "business": (
        (
            "{village}农资店违规销售隐患",
            "网格员{a}巡查发现：{place}{r}经营的农资门店无证销售散装农药，部分农药包装"
            "无标签，存放在居住房内，且临近小学。存在安全隐患，建议农业执法部门"
            "检查处置。",
        ),
        (
            "收购商拖欠货款引发聚集隐患",
            "{a}报告：外地客商在{place}收购{fruit}后，拖欠{households}户群众货款约{m_large}，"
            "客商已失联。部分群众计划到{gov}集中反映，情绪较为激动，存在聚集风险，"
            "建议提前介入。",
        ),
    ),
    "damages": (
        (
            "打架伤人纠纷存在民转刑隐患",
            "网格员{a}报告：{place}{resident}{r}前不久被邻居打伤住院，赔偿问题迟迟未解决，"
            "{r}家属扬言要“以牙还牙”，双方家族成员多次聚集对峙。该纠纷存在民转刑风险，"
            "建议派出所与调委会联合介入。",
        ),
        (
            "在建楼房高空坠物隐患",
            "{a}反映：{place}临街一处在建楼房未设置防护网，施工时砖块、钢管多次坠落到"
            "人行道上，已砸坏路边车辆，过往群众和学生安全受到威胁。请求住建部门督促"
            "施工方立即整改。",
        ),
    ),
    "land_forest": (
        (
            "{village}林地争议可能引发械斗",
            "网格员{a}报告：{place}两个{resident}小组因{trees}林地边界争议多年，近日{r}等人组织"
            "{resident}强行砍伐争议林木，对方组群众准备阻拦，双方约{crowd}人对峙，存在械斗"
            "风险，请求立即派员处置。",
        ),
        (
            "河滩地违规挖沙取土隐患",
            "{a}反映：{place}附近河滩地有人夜间使用挖掘机违规挖沙取土，已形成深约{depth}米"
            "的大坑，破坏耕地，雨季存在溺水和塌方隐患。请求自然资源和水利部门依法查处。",
        ),
    ),
    "land_requisition": (
        (
            "{village}征地补偿引发群体事件隐患",
            "网格员{a}报告：{place}部分{resident}对{project}征地补偿标准不满，近日多次在村委会"
            "聚集，约{crowd}人扬言要阻止施工、集体到市里上访。群众情绪激动，存在群体性"
            "事件风险，建议立即研判处置。",
        ),
        (
            "拆迁户矛盾激化极端事件隐患",
            "{a}反映：{place}拆迁项目中{resident}{r}因补偿未谈拢拒绝搬迁，施工方近日在其"
            "房屋周边开挖，断水断电，{r}情绪激动，在屋顶存放汽油，扬言要“以死相拼”。"
            "存在极端事件风险，请求立即介入。",
        ),
    ),
    "environment": (
        (
            "{village}非法小作坊污染隐患",
            "网格员{a}巡查发现：{place}一处废弃厂房内有人私设小作坊，土法炼油，现场堆放"
            "大量废机油，黑烟外排，距居民区约{dist}。存在环境污染和火灾隐患，建议"
            "生态环境部门联合执法取缔。",
        ),
        (
            "秸秆焚烧引发火灾隐患",
            "{a}反映：{place}近日有{resident}在麦田焚烧秸秆，浓烟影响附近道路车辆通行，火星"
            "曾引燃路边杂草，部分农户在房前屋后堆放大量秸秆。存在火灾隐患，请求{gov}"
            "加强巡查劝导。",
        ),
        (
            "{village}垃圾堆放污染水源隐患",
            "网格员{a}巡查发现：{place}{edge}沟道长期被倾倒生活垃圾和建筑垃圾，堆积长度约"
            "{dist}，雨后渗滤液流向饮用水井方向，异味明显。存在水源污染隐患，建议尽快"
            "清运并设置围挡。",
        ),
    ),
    "labour": (
        (
            "企业欠薪可能引发群体讨薪",
            "网格员{a}报告：{place}附近{company}近{n_months}个月未发工资，拖欠{workers}名"
            "工人欠薪约{m_large}，负责人{r}已失联。工人在厂区聚集，商议集体到区政府讨薪，"
            "存在群体性事件风险。",
        ),
        (
            "建筑工地农民工讨薪隐患",
            "{a}反映：{town}某在建项目临近年底，总包方与劳务班组因工程量结算争议，拖欠"
            "{workers}名农民工工资，部分工人扬言要爬塔吊讨薪。存在极端讨薪风险，请求"
            "人社、住建部门提前介入。",
        ),
    ),
    "consumer": (
        (
            "{village}养生馆涉嫌非法集资隐患",
            "网格员{a}排查发现：{place}一家养生馆以“充值返利”“免费体验”为名吸引老年人"
            "大量充值，单人充值最高达{m_card}，近期频繁更换负责人。存在非法集资和卷款"
            "跑路风险，建议提前介入。",
        ),
        (
            "便民店违规储存液化气隐患",
            "{a}反映：{place}一家便民店违规储存、销售瓶装液化气，店内存放气瓶{n_bottles}个，"
            "店铺与住户相连，未配备消防器材。存在燃气爆炸隐患，请求应急管理和燃气"
            "主管部门检查处置。",
        ),
    ),
    "medical": (
        (
            "患方家属聚集医院隐患",
            "{hospital}报告：患者{r}在院治疗期间死亡，家属{a}（{place}{resident}）等{crowd}人在门诊大厅摆放"
            "花圈、拉横幅，要求高额赔偿，影响正常诊疗秩序。存在“医闹”升级风险，请求"
            "公安、卫健部门介入处置。",
        ),
        (
            "{village}无证行医安全隐患",
            "网格员{a}巡查发现：{place}{resident}{r}在自家院内私设诊所，无医疗机构执业许可证，"
            "为群众输液、拔牙，器械消毒不规范。存在医疗安全隐患，建议卫健执法部门"
            "依法取缔。",
        ),
    ),
    "traffic": (
        (
            "{road}急弯路段事故多发隐患",
            "网格员{a}报告：{road}经过{place}路段为长下坡急弯，近期已发生{n}起货车追尾"
            "事故，路边无防护栏，附近有小学，学生上下学横穿马路。存在重大交通安全隐患，"
            "建议设置限速和防护设施。",
        ),
        (
            "超载货车碾压村道隐患",
            "{a}反映：{place}附近砂石场货车长期超载通行{lane}，路面多处塌陷、裂缝，扬尘严重，"
            "且车辆夜间超速行驶，威胁群众出行安全。请求交通、公安部门联合治理超限超载。",
        ),
        (
            "{road}路口信号灯损坏隐患",
            "网格员{a}巡查发现：{road}与{road2}交叉路口信号灯损坏已{days}天，路口临近"
            "{village}小学，早晚高峰人车混行，已发生多起险情。存在交通事故隐患，"
            "建议交警部门尽快修复并派员疏导。",
        ),
    ),
    "property_management": (
        (
            "{estate}消防通道堵塞隐患",
            "网格员{a}巡查发现：{estate}消防通道被私家车长期占用，部分楼栋消防栓无水、"
            "灭火器过期，物业未及时整改。一旦发生火灾消防车无法进入，存在重大安全隐患，"
            "建议消防部门督促整改。",
        ),
        (
            "{estate}物业撤场管理真空",
            "{a}反映：{estate}原物业公司因收费率低已撤场，小区无人管理，垃圾堆积、二次"
            "供水设施无人维护，部分业主准备集体到街道反映。存在群体上访和公共卫生隐患，"
            "建议尽快引入应急物业。",
        ),
        (
            "{estate}电梯带病运行隐患",
            "网格员{a}排查发现：{estate}{building}号楼电梯多次发生困人故障，维保记录缺失，"
            "物业以维修资金不足为由一直未检修，住户多为老人。存在电梯安全隐患，建议"
            "市场监管部门督促停梯检修。",
        ),
    ),
    "other": (
        (
            "{village}独居老人安全隐患",
            "网格员{a}走访发现：{place}{resident}{r}（{age_old}岁）独居，子女常年在外，"
            "老人患有高血压、行动不便，家中使用煤炉取暖，门窗密闭，存在一氧化碳中毒风险。"
            "建议落实定期探访。",
        ),
        (
            "{R}肇事肇祸风险隐患",
            "网格员{a}报告：{place}{resident}{r}患有精神障碍，近期停止服药，情绪不稳定，"
            "多次持棍棒追打他人，其家属无力看管。存在肇事肇祸风险，建议卫健、公安部门"
            "及时落实救治管控措施。",
        ),
    ),
}

TEMPLATES: Mapping[str, Mapping[str, tuple[Template, ...]]] = MappingProxyType(
    {
        "dispute": MappingProxyType(_DISPUTES),
        "petition": MappingProxyType(_PETITIONS),
        "request": MappingProxyType(_REQUESTS),
        "hazard": MappingProxyType(_HAZARDS),
    }
)


def _check(kind: str, category: str) -> None:
    if kind not in TEMPLATES:
        raise ValueError(f"unknown case kind {kind!r}")
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")


def compose(
    kind: str,
    category: str,
    rng: random.Random,
    *,
    applicant: str,
    respondent: str,
    town: str,
    village: str,
) -> tuple[str, str]:
    """A (title, description) pair for a case of ``kind`` and ``category``.

    Titles name the parties in the 张某某 form; descriptions use the full names, as the
    register does (masking happens at display time, by role).
    """
    _check(kind, category)
    title, description = rng.choice(TEMPLATES[kind][category])
    given = {
        "a": applicant,
        "r": respondent,
        "A": privacy_name(applicant),
        "R": privacy_name(respondent),
        "town": town,
        "village": village,
    }
    ctx = _Context(category=category, town=town, village=village)
    title, description = _render((title, description), rng, ctx, given)
    return title, description


# --------------------------------------------------------------------------------------
# Outcomes
# --------------------------------------------------------------------------------------

# An outcome is (keywords, text). Keywords tie a specific outcome to the case it fits
# (彩礼 returned only where 彩礼 was the matter); an empty tuple marks a text that fits any
# case of the category, which is all that is used when no description is given.
_Outcome = tuple[tuple[str, ...], str]

# The unit that typically answers for a category, named by type so any county fits.
_UNITS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "marriage_family": ("镇司法所", "区妇联"),
        "neighbourhood": ("镇综治中心", "村（社区）调委会"),
        "housing_homestead": ("镇自然资源所", "区住建局"),
        "contract": ("镇司法所", "区司法局"),
        "business": ("区农业农村局", "区市场监管局"),
        "damages": ("辖区派出所", "镇司法所"),
        "land_forest": ("镇农经站", "区自然资源局"),
        "land_requisition": ("区征收办", "镇政府"),
        "environment": ("区生态环境分局", "镇环卫所"),
        "labour": ("区人社局", "区劳动保障监察大队"),
        "consumer": ("区市场监管局", "辖区市场监管所"),
        "medical": ("区卫健局", "区医疗纠纷人民调解委员会"),
        "traffic": ("区交警大队", "区交通运输局"),
        "property_management": ("区住建局", "街道办事处"),
        "other": ("镇政府", "区民政局"),
    }
)

# Where an unresolved dispute is sent on (导入诉讼/仲裁/复议).
_ROUTES: Mapping[str, str] = MappingProxyType(
    {
        "marriage_family": "向人民法院提起诉讼",
        "neighbourhood": "通过诉讼途径解决",
        "housing_homestead": "申请镇政府依法确权或通过诉讼途径解决",
        "contract": "向人民法院提起诉讼",
        "business": "申请专业机构鉴定后通过诉讼途径解决",
        "damages": "向人民法院提起民事诉讼",
        "land_forest": "向农村土地承包仲裁委员会申请仲裁",
        "land_requisition": "依法申请行政复议或提起行政诉讼",
        "environment": "向生态环境部门投诉或通过诉讼途径解决",
        "labour": "向区劳动人事争议仲裁委员会申请仲裁",
        "consumer": "向市场监管部门投诉或通过诉讼途径解决",
        "medical": "申请医疗损害鉴定后通过诉讼途径解决",
        "traffic": "向人民法院提起诉讼",
        "property_management": "通过诉讼途径解决",
        "other": "通过诉讼途径解决",
    }
)

# Petitions that belong to a legal procedure are 导入 that procedure (信访工作条例 art. 31).
_PETITION_ROUTES: Mapping[str, str] = MappingProxyType(
    {
        "labour": "申请劳动仲裁",
        "land_forest": "申请农村土地承包仲裁",
        "land_requisition": "申请行政复议或提起行政诉讼",
        "medical": "申请医疗损害鉴定或提起诉讼",
    }
)
_PETITION_ROUTE_DEFAULT = "向人民法院提起诉讼"

_DISPUTE_RESOLVED: Mapping[str, tuple[_Outcome, ...]] = MappingProxyType(
    {
        "marriage_family": (
            (("赡养",), "经调解，双方达成协议：被申请人每月支付赡养费{m_support}，子女轮流照料"
             "老人生活，协议已签订。"),
            (("彩礼",), "经调解，双方达成协议：女方家返还彩礼{m_bride_part}，双方解除婚约，"
             "款项当场付清。"),
            (("抚养费",), "经调解，被申请人当场补交拖欠的抚养费{m_small}，并承诺今后按月支付。"),
            (("推搡",), "经调委会和司法所联合调解，被申请人书面保证不再动手，双方和好。"),
            ((), "经调解，双方消除隔阂、互谅互让，签订调解协议，家庭关系得到修复。"),
            ((), "经调解，双方就财产分割等问题达成一致，签订调解协议并申请司法确认。"),
        ),
        "neighbourhood": (
            (("噪音",), "经调解，被申请人当面道歉，承诺晚十点后控制噪音，双方握手言和。"),
            (("漏水",), "经调解，被申请人负责修复漏水并一次性赔偿装修损失{m_small}，已履行完毕。"),
            (("堆放",), "经调解，被申请人于{n}日内清除堆放物，双方签订协议，已履行完毕。"),
            (("狗",), "经调解，被申请人赔偿医疗费、误工费共计{m_small}，并承诺拴养犬只。"),
            ((), "经调解，双方互谅互让达成协议，被申请人赔偿损失{m_small}，当场履行完毕。"),
            ((), "经村（社区）调委会调解，双方消除误会，重归于好，签订调解协议。"),
        ),
        "housing_homestead": (
            (("宅基地",), "经调解并现场丈量，双方以宅基地使用证四至为准重新确定界线，签订协议。"),
            (("过户",), "经调解，被申请人于{month}底前协助办理过户手续，申请人不再追加房款。"),
            (("房租",), "经调解，被申请人分{n}期付清拖欠房租{m_rent}，双方解除租赁合同。"),
            ((), "经调解，双方达成协议：被申请人修复受损部分并补偿申请人{m_small}，已履行完毕。"),
            ((), "经镇村干部现场查看并调解，双方重新明确了使用范围，签订调解协议。"),
        ),
        "contract": (
            (("借款",), "经调解，被申请人分{n}期归还借款{m_loan}，首期款项已当场支付。"),
            (("质量问题",), "经调解，双方现场确认质量问题，施工方负责返工维修，验收合格后支付尾款"
             "{m_small}。"),
            (("流转",), "经调解，被申请人补交拖欠的流转费{m_mid}，合同继续履行。"),
            ((), "经调解，双方达成协议并申请司法确认：被申请人于{month}底前付清款项{m_mid}。"),
            ((), "经调解，双方协商一致解除合同，互不追究违约责任，已签订协议。"),
        ),
        "business": (
            (("货款",), "经调解，被申请人结清剩余货款{m_mid}，双方签订调解协议。"),
            (("浇地",), "经调解，双方约定按地亩轮流浇地、按用电量分摊电费，签订用水协议。"),
            ((), "经调解，双方达成协议：被申请人一次性赔偿申请人损失{m_crop}，当场履行完毕。"),
            ((), "经调解并参照农业部门意见，双方按责分担损失，被申请人赔偿{m_small}。"),
        ),
        "damages": (
            (("医疗费",), "经调解，被申请人一次性赔偿医疗费、误工费、护理费等共计{m_medical}，"
             "当场履行完毕。"),
            (("院墙", "维修费"), "经调解，被申请人赔偿财产损失{m_small}并负责修复，已履行完毕。"),
            ((), "经调解，双方达成协议：被申请人赔偿申请人各项损失{m_mid}，分{n}期支付。"),
            ((), "经调解，被申请人赔礼道歉并赔偿损失{m_small}，双方签订协议，不再追究。"),
        ),
        "land_forest": (
            (("地界", "地埂"), "经调解，镇村干部会同双方现场丈量，以二轮延包档案为准重新埋设界桩，"
             "双方签字认可。"),
            (("代耕",), "经调解，被申请人本季作物收获后返还承包地，申请人给予投入补偿{m_small}。"),
            (("坟",), "经调解，被申请人对占地及毁坏的庄稼给予补偿{m_small}，双方签订协议。"),
            ((), "经调解，双方在镇村干部见证下达成协议，明确了土地使用范围，签字认可。"),
            ((), "经调解，被申请人赔偿申请人损失{m_mid}，双方签订协议，纠纷化解。"),
        ),
        "land_requisition": (
            (("分配",), "经调解，村组重新核定分配方案，申请人领取应得补偿款{m_comp}，纠纷化解。"),
            (("过渡费",), "经协调，项目方补发拖欠的过渡费{m_small}，并书面承诺安置房交付时间。"),
            ((), "经重新核查评估，补充补偿{m_mid}，申请人签字认可。"),
            ((), "经政策解释和调解，申请人认可补偿方案，签订补偿协议，已履行完毕。"),
        ),
        "environment": (
            (("噪音",), "经调解，经营者承诺安装降噪设施、夜间停止生产，并赔偿申请人损失"
             "{m_small}。"),
            (("粉尘",), "经调解，经营者限期安装除尘设施，并赔偿果园损失{m_crop}，由生态环境部门"
             "跟踪复查。"),
            (("建筑垃圾",), "经调解，被申请人同意清运建筑垃圾、恢复土地原状，并赔偿作物损失"
             "{m_crop}。"),
            (("油烟",), "经调解，经营者加装油烟净化设备并改造排烟管道，经复查达标。"),
            ((), "经调解，被申请人承诺限期整改污染问题，并赔偿申请人损失{m_small}，由生态环境"
             "部门跟踪复查。"),
            ((), "经调解，双方达成协议：被申请人采取治理措施消除污染，申请人不再追究。"),
        ),
        "labour": (
            (("欠薪", "拖欠其工资"), "经调解，用工方当场支付拖欠工资{m_wage}，劳动争议化解完毕。"),
            (("工伤",), "经调解，用人单位一次性支付工伤待遇{m_mid}，双方签订协议并申请司法确认。"),
            (("劳务费",), "经调解，被申请人当场付清劳务费{m_small}，双方无其他争议。"),
            ((), "经调解，双方达成协议：用人单位支付经济补偿金{m_mid}并补缴社会保险，协议已申请"
             "司法确认。"),
            ((), "经调解，用人单位支付工资及补偿共计{m_mid}，双方解除劳动关系。"),
        ),
        "consumer": (
            (("预付卡",), "经调解，商家同意退还卡内余额{m_card}，当场履行完毕。"),
            (("故障", "电池"), "经调解，商家为申请人更换新品并补偿{m_small}，申请人表示满意。"),
            ((), "经调解，商家退还部分款项{m_small}并赔礼道歉，申请人表示满意。"),
            ((), "经调解，双方达成协议：商家按规定退货退款，当场履行完毕。"),
        ),
        "medical": (
            (("手术", "分娩", "住院期间"), "经医调委调解，医疗机构一次性补偿患方{m_medical}，双方"
             "签订调解协议，患方不再追究。"),
            (("诊所", "美容"), "经调解，被申请人退还治疗费用{m_small}并承担后续修复费用，双方"
             "达成协议。"),
            ((), "经医调委调解，医患双方按责任比例分担损失，医疗机构补偿{m_mid}，协议已履行。"),
            ((), "经调解，医方赔偿患方医疗费、误工费等共计{m_mid}，双方签订协议。"),
        ),
        "traffic": (
            (("医疗费", "死亡"), "经调解，双方达成协议：肇事方及保险公司赔偿各项损失共计"
             "{m_medical}，已全部履行。"),
            (("剐蹭",), "经调解，被申请人按定损金额赔偿维修费{m_small}，当场履行完毕。"),
            ((), "经调解，双方按交警认定的责任比例分担损失，被申请人当场支付赔偿款{m_small}。"),
            ((), "经道路交通事故人民调解委员会调解，双方达成赔偿协议并申请司法确认。"),
        ),
        "property_management": (
            (("物业费",), "经调解，物业公司承诺限期整改服务问题，业主补缴物业费{m_fee}，双方"
             "签订协议。"),
            (("押金",), "经调解，物业公司退还装修押金{m_deposit}，业主表示满意。"),
            (("电梯",), "经调解，物业公司组织电梯维修并恢复运行，维修费用按规定列支并公示。"),
            (("停车",), "经调解，物业公司公开停车收费依据，优先保障业主停车，业主表示认可。"),
            ((), "经调解，物业公司承诺限期整改，双方签订协议，业主表示满意。"),
            ((), "经街道和社区调解，双方各让一步，物业公司补偿业主{m_small}，纠纷化解。"),
        ),
        "other": (
            (("名誉", "肖像"), "经调解，被申请人公开赔礼道歉并删除相关内容，申请人不再追究。"),
            ((), "经调解，双方互谅互让，签订调解协议，纠纷化解。"),
            ((), "经调解，被申请人补偿申请人{m_small}，双方握手言和。"),
        ),
    }
)  # fmt: skip

_DISPUTE_UNRESOLVED = (
    "经多次调解双方分歧较大，调解未成功，已引导当事人{route}。",
    "因被申请人拒不到场，调解无法进行，已告知申请人可{route}。",
    "双方对赔偿数额差距过大，调解终结，已告知当事人可{route}。",
)

_PETITION_RESOLVED = (
    "经{unit}调查核实，已出具书面答复意见，信访人对处理结果表示认可，息诉罢访。",
    "经{unit}协调处理，信访人合理诉求已解决，回访表示满意，信访事项办结。",
    "经{unit}当面答复并做好政策解释，信访人表示理解，签字认可处理意见。",
)

_PETITION_UNRESOLVED = (
    "已出具信访处理意见书，信访人不服，已告知其可在30日内向上一级机关申请复查。",
    "经调查，信访人诉求缺乏政策依据，已做好解释工作，信访人仍不认可，列为重点跟踪事项。",
    "该事项属法定途径解决范围，已引导信访人依法{route}。",
)

_REQUEST_FIX: Mapping[str, tuple[_Outcome, ...]] = MappingProxyType(
    {
        "marriage_family": (
            (("离婚",), "已详细告知协议离婚办理流程和所需材料"),
            (("心理",), "已安排心理咨询师上门疏导"),
        ),
        "neighbourhood": (
            (("广场舞",), "已协调组织者降低音量、调整活动时间"),
            (("楼道",), "已组织清理楼道杂物"),
        ),
        "housing_homestead": (
            (("继承",), "已协助联系不动产登记中心办理"),
            (("鉴定",), "已安排房屋安全鉴定"),
        ),
        "contract": (
            (("律师",), "已安排律师提供法律咨询"),
            (("法律援助",), "已为当事人办理法律援助"),
        ),
        "business": (
            (("滞销",), "已协助联系收购商和电商平台"),
            (("营业执照",), "已指导完成网上申报"),
        ),
        "damages": (
            (("赔偿标准",), "已讲解赔偿标准并指导收集证据"),
            (("伤情鉴定",), "已告知伤情鉴定申请流程"),
        ),
        "land_forest": (
            (("补办",), "已协助查询档案并补办证书"),
            (("流转",), "已告知土地流转合同签订和备案程序"),
        ),
        "land_requisition": (
            (("政策",), "已解释补偿政策并提供公告文件"),
            (("档案",), "已协助调取拆迁补偿档案"),
        ),
        "environment": (
            (("垃圾",), "已清运垃圾并增加清运频次"),
            (("油烟",), "已督促商户安装油烟净化器、规范经营"),
            (("沟渠",), "已组织清淤疏通"),
        ),
        "labour": (
            (("拖欠",), "劳动监察部门已受理投诉并督促支付欠薪"),
            (("养老保险",), "已督促用人单位补缴社会保险"),
        ),
        "consumer": (
            (("直播",), "已指导群众通过12315平台投诉并协调退款"),
            (("保质期",), "已对超市进行检查并督促依法赔偿"),
        ),
        "medical": (
            (("医疗纠纷",), "已告知医疗纠纷调解申请程序"),
            (("救助",), "已协助申请大病医疗救助"),
        ),
        "traffic": (
            (("信号灯",), "已修复信号灯并恢复正常通行"),
            (("警示标志",), "已设置警示标志和减速带"),
            (("快处快赔",), "已指导群众完成线上快处快赔"),
        ),
        "property_management": (
            (("电梯",), "物业已修复电梯并恢复运行"),
            (("楼道",), "物业已维修楼道照明"),
            (("停车",), "物业已施划停车位并清理消防通道"),
        ),
        "other": (
            (("路灯",), "已修复路灯"),
            (("停水",), "已恢复供水"),
            (("残疾",), "已协助预约上门评残"),
        ),
    }
)
_REQUEST_FIX_GENERIC: tuple[_Outcome, ...] = (
    ((), "已协调相关部门予以办理"),
    ((), "已告知办理程序并协助办结"),
)

_HAZARD_FIX: Mapping[str, tuple[_Outcome, ...]] = MappingProxyType(
    {
        "marriage_family": (
            (("离婚",), "已组织家庭矛盾调解并落实专人稳控"),
            (("分家",), "已组织亲属调解并落实稳控措施"),
        ),
        "neighbourhood": (
            (("打斗",), "已组织双方联合调解并落实稳控措施"),
            (("充电",), "已拆除私拉电线并设置集中充电点"),
        ),
        "housing_homestead": (
            (("土坯房",), "已动员住户搬离危房并纳入改造计划"),
            (("违规建房",), "已责令停止违规建房"),
        ),
        "contract": (
            (("工程款",), "已督促发包方结算工程款"),
            (("合作社",), "已核查合作社资金并向社员说明情况"),
        ),
        "business": (
            (("农药",), "已联合执法查处违规销售农药行为"),
            (("货款",), "已协助群众追回部分货款"),
        ),
        "damages": (
            (("民转刑",), "已组织联合调解并落实稳控措施"),
            (("防护网",), "施工方已加装防护网"),
        ),
        "land_forest": (
            (("林地",), "已组织双方对话并派员现场值守"),
            (("挖沙",), "已依法查处违规挖沙行为并回填坑塘"),
        ),
        "land_requisition": (
            (("征地",), "已组织政策宣讲和入户沟通，群众情绪趋于平稳"),
            (("拆迁",), "已暂停施工并组织协商，恢复供水供电"),
        ),
        "environment": (
            (("作坊",), "已联合执法取缔非法作坊"),
            (("秸秆",), "已开展秸秆禁烧巡查和劝导"),
            (("垃圾",), "已清运垃圾并设置围挡"),
        ),
        "labour": (
            (("失联",), "已启动欠薪应急处置程序，协调垫付部分工资"),
            (("塔吊",), "已督促总包方足额支付农民工工资"),
        ),
        "consumer": (
            (("充值",), "已联合检查并督促商家停止违规经营"),
            (("液化气",), "已查扣违规储存的气瓶"),
        ),
        "medical": (
            (("医闹",), "已引导医患双方进入医调委程序，秩序恢复正常"),
            (("无证",), "已依法取缔无证诊所"),
        ),
        "traffic": (
            (("急弯",), "已设置限速标志和防护栏"),
            (("超载",), "已开展超限超载专项治理"),
            (("信号灯",), "已修复信号灯"),
        ),
        "property_management": (
            (("消防通道",), "已督促物业清理消防通道并更换灭火器"),
            (("撤场",), "已引入应急物业托管"),
            (("电梯",), "已督促停梯检修，经检验合格后恢复运行"),
        ),
        "other": (
            (("独居",), "已落实定期探访和取暖安全检查"),
            (("精神障碍",), "已落实救治管控措施"),
        ),
    }
)
_HAZARD_FIX_GENERIC: tuple[_Outcome, ...] = (
    ((), "已督促责任单位落实整改措施"),
    ((), "已落实专人盯守和稳控措施"),
)

_REQUEST_RESOLVED = (
    "已转{unit}办理，{fix}，回访群众表示满意。",
    "经{unit}现场处理，{fix}，诉求人对办理结果满意。",
)
_REQUEST_UNRESOLVED = (
    "已转{unit}办理，因涉及资金审批暂未解决，已向群众做好解释，列入跟踪督办。",
    "已转{unit}办理，需多部门协调，目前仍在处理中，已告知诉求人办理进度。",
)
_HAZARD_RESOLVED = (
    "经{unit}现场核查处置，{fix}，隐患已消除。",
    "经{unit}联合研判处置，{fix}，经复查隐患已整改到位。",
)
_HAZARD_UNRESOLVED = (
    "已上报{unit}并落实临时管控措施，隐患尚未完全消除，继续跟踪督办。",
    "已提请{unit}研判，落实专人盯守，整改尚未到位，纳入月度风险研判。",
)


def _pick(rng: random.Random, pool: tuple[_Outcome, ...], description: str | None) -> str:
    """An outcome whose keywords occur in ``description``, else one that fits any case."""
    if description:
        fitting = [text for words, text in pool if any(w in description for w in words)]
        if fitting:
            return rng.choice(fitting)
    return rng.choice([text for words, text in pool if not words])


def outcome_text(
    kind: str,
    category: str,
    rng: random.Random,
    *,
    resolved: bool,
    description: str | None = None,
) -> str:
    """A one- or two-sentence outcome as entered in the ledger when the case ends.

    Pass the case ``description`` (from :func:`compose`) to get an outcome about the same
    matter (a 彩礼 case ends with 彩礼 returned); without it the outcome is one that fits
    any case of the category.
    """
    _check(kind, category)
    given = {"unit": rng.choice(_UNITS[category])}
    if kind == "dispute":
        given["route"] = _ROUTES[category]
        if resolved:
            text = _pick(rng, _DISPUTE_RESOLVED[category], description)
        else:
            text = rng.choice(_DISPUTE_UNRESOLVED)
    elif kind == "petition":
        given["route"] = _PETITION_ROUTES.get(category, _PETITION_ROUTE_DEFAULT)
        text = rng.choice(_PETITION_RESOLVED if resolved else _PETITION_UNRESOLVED)
    elif kind == "request":
        given["fix"] = _pick(rng, _REQUEST_FIX[category] + _REQUEST_FIX_GENERIC, description)
        text = rng.choice(_REQUEST_RESOLVED if resolved else _REQUEST_UNRESOLVED)
    else:
        given["fix"] = _pick(rng, _HAZARD_FIX[category] + _HAZARD_FIX_GENERIC, description)
        text = rng.choice(_HAZARD_RESOLVED if resolved else _HAZARD_UNRESOLVED)
    (text,) = _render((text,), rng, _Context(category=category), given)
    return text


# --------------------------------------------------------------------------------------
# Risk signals
# --------------------------------------------------------------------------------------

RISK_PHRASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "threat": (
            "申请人情绪激动，扬言若不解决将采取过激行为。",
            "当事人扬言要与对方“拼命”，情绪极不稳定，需立即稳控。",
            "申请人多次表示“不解决就从楼上跳下去”，有轻生倾向。",
            "当事人扬言要报复对方家人，已告知辖区派出所关注。",
        ),
        "group": (
            "同一事项涉及群众{crowd}人，已有群众酝酿集体到区政府上访。",
            "近期已有{crowd}人多次聚集反映该问题，存在群体性事件风险。",
            "涉及群众{crowd}人，部分人员通过微信群串联，计划集体上访。",
        ),
        "repeat": (
            "该当事人此前已就同一事项反映{times}次，属重复信访。",
            "申请人曾越级到市、省反映同一问题，本次为第{times}次来访。",
            "同一诉求已多次通过12345热线和来访渠道反映，始终未能息诉。",
        ),
        "criminal": (
            "双方此前已发生肢体冲突，矛盾持续激化，存在民转刑风险。",
            "当事人近日购买刀具并扬言报复，存在民转刑重大风险。",
            "据网格员反映，双方家族成员多次对峙，随时可能引发伤害事件。",
        ),
    }
)


def append_risk(description: str, signal: str, rng: random.Random) -> str:
    """``description`` with one sentence for the risk ``signal`` appended."""
    if signal not in RISK_PHRASES:
        raise ValueError(f"unknown risk signal {signal!r}")
    (phrase,) = _render((rng.choice(RISK_PHRASES[signal]),), rng, _Context(), {})
    return description + phrase
