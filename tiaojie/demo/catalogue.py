"""The demo center's fixed shape: pilot towns, departments, accounts and case mix.

Numbers here are chosen so the demo's 2024 figures resemble 临渭区's real ones: about 1,860
cases accepted, 99.7% of concluded cases resolved, letters and visits about 10% below 2023.
"""

from __future__ import annotations

from tiaojie.accounts.models import Stationing, UnitKind
from tiaojie.accounts.roles import Role
from tiaojie.core.enums import CaseKind, Category, Channel

ROOT_CODE = "610502000000"
ROOT_NAME = "临渭区"
SEED = 610502
VERSION = "1"
PASSWORD = "Demo#Tiaojie2026"  # noqa: S105 - the demo's published password, demo data only

# The source does not name the three pilot towns; the demo uses these (issue 2).
PILOT_TOWNS = {
    "610502103000": ("xiagui", "下邽镇"),
    "610502100000": ("qiaonan", "桥南镇"),
    "610502002000": ("duqiao", "杜桥街道"),
}

# District departments: (slug, name, short name, kind, stationing at the district center).
DISTRICT_DEPARTMENTS = [
    ("court", "临渭区人民法院", "区法院", UnitKind.COURT, Stationing.PERMANENT),
    ("procuratorate", "临渭区人民检察院", "区检察院", UnitKind.PROCURATORATE, Stationing.ROTATING),
    ("police", "渭南市公安局临渭分局", "公安临渭分局", UnitKind.POLICE, Stationing.PERMANENT),
    ("justice", "临渭区司法局", "区司法局", UnitKind.JUSTICE_BUREAU, Stationing.PERMANENT),
    ("petition", "临渭区信访局", "区信访局", UnitKind.PETITION_BUREAU, Stationing.PERMANENT),
    (
        "hrss",
        "临渭区人力资源和社会保障局",
        "区人社局",
        UnitKind.HUMAN_RESOURCES,
        Stationing.ROTATING,
    ),
    ("housing", "临渭区住房和城乡建设局", "区住建局", UnitKind.HOUSING, Stationing.ON_CALL),
    ("health", "临渭区卫生健康局", "区卫健局", UnitKind.HEALTH, Stationing.ON_CALL),
    (
        "psychology",
        "临渭区社会心理服务中心",
        "心理服务中心",
        UnitKind.PSYCHOLOGY,
        Stationing.PERMANENT,
    ),
    (
        "resources",
        "渭南市自然资源局临渭分局",
        "自然资源分局",
        UnitKind.NATURAL_RESOURCES,
        Stationing.ON_CALL,
    ),
    ("ecology", "渭南市生态环境局临渭分局", "生态环境分局", UnitKind.ECOLOGY, Stationing.ON_CALL),
    (
        "market",
        "临渭区市场监督管理局",
        "区市场监管局",
        UnitKind.MARKET_REGULATION,
        Stationing.ON_CALL,
    ),
    ("civil", "临渭区民政局", "区民政局", UnitKind.CIVIL_AFFAIRS, Stationing.ON_CALL),
    ("women", "临渭区妇女联合会", "区妇联", UnitKind.WOMEN_FEDERATION, Stationing.ROTATING),
]

# Printed district accounts: (username, role, unit slug or "center", job title).
DISTRICT_ACCOUNTS = [
    ("center_clerk", Role.WINDOW_CLERK, "center", "窗口受理员"),
    ("center_dispatcher", Role.DISPATCHER, "center", "调度员"),
    ("center_mediator", Role.MEDIATOR, "center", "专职调解员"),
    ("center_leader", Role.LEADER, "center", "中心主任"),
    ("center_inspector", Role.INSPECTOR, "center", "督导员"),
    ("court_mediator", Role.MEDIATOR, "court", "驻中心法官"),
    ("police_handler", Role.HANDLER, "police", "驻中心民警"),
    ("hrss_handler", Role.HANDLER, "hrss", "劳动监察员"),
    ("housing_handler", Role.HANDLER, "housing", "承办人"),
    ("health_handler", Role.HANDLER, "health", "医调委工作人员"),
    ("petition_handler", Role.HANDLER, "petition", "信访接待员"),
    ("sysadmin", Role.SYSADMIN, "center", "系统管理员"),
    ("secadmin", Role.SECADMIN, "center", "安全管理员"),
    ("auditor", Role.AUDITOR, "center", "审计管理员"),
]

# Printed accounts in each pilot town: (suffix, role, unit: "center" or "justice", title).
TOWN_ACCOUNTS = [
    ("clerk", Role.WINDOW_CLERK, "center", "窗口受理员"),
    ("dispatcher", Role.DISPATCHER, "center", "调度员"),
    ("staff", Role.TOWN_STAFF, "center", "综治专干"),
    ("mediator", Role.MEDIATOR, "justice", "人民调解员"),
    ("handler", Role.HANDLER, "justice", "司法所干部"),
    ("leader", Role.LEADER, "center", "分管领导"),
    ("inspector", Role.INSPECTOR, "center", "督导员"),
]

# Accepted cases per year, and letters + visits among them (2024 is 10% below 2023).
ACCEPTED_PER_YEAR = {2023: 1_790, 2024: 1_860, 2025: 1_815}
LETTERS_AND_VISITS = {2023: 420, 2024: 378, 2025: 362}
DECLINED_SHARE = 0.025
WITHDRAWN_SHARE = 0.006
MERGED_SHARE = 0.006
UNRESOLVED_SHARE = {2023: 0.0045, 2024: 0.0032, 2025: 0.003}
# Cases received in the weeks before the build day, stopped where they stand on that day
# (about 40% are still open): the center's current workload.
CURRENT_OPEN = 320
CURRENT_WINDOW_DAYS = 45

KIND_WEIGHTS = {
    CaseKind.DISPUTE: 66,
    CaseKind.PETITION: 18,
    CaseKind.REQUEST: 11,
    CaseKind.HAZARD: 5,
}

CATEGORY_WEIGHTS = {
    Category.NEIGHBOURHOOD: 18,
    Category.MARRIAGE_FAMILY: 15,
    Category.HOUSING_HOMESTEAD: 12,
    Category.LABOUR: 9,
    Category.LAND_FOREST: 8,
    Category.CONTRACT: 7,
    Category.DAMAGES: 7,
    Category.PROPERTY_MANAGEMENT: 5,
    Category.TRAFFIC: 4,
    Category.CONSUMER: 4,
    Category.LAND_REQUISITION: 3,
    Category.ENVIRONMENT: 3,
    Category.BUSINESS: 2,
    Category.MEDICAL: 2,
    Category.OTHER: 1,
}

# Channels other than letters and visits, by kind (letters and visits are petitions).
CHANNEL_WEIGHTS = {
    CaseKind.DISPUTE: {
        Channel.WINDOW: 34,
        Channel.PHONE: 14,
        Channel.HOTLINE: 12,
        Channel.ONLINE: 10,
        Channel.GRID: 18,
        Channel.REFERRAL: 6,
        Channel.COURT: 6,
    },
    CaseKind.PETITION: {Channel.ONLINE: 50, Channel.HOTLINE: 35, Channel.REFERRAL: 15},
    CaseKind.REQUEST: {
        Channel.HOTLINE: 45,
        Channel.ONLINE: 25,
        Channel.WINDOW: 15,
        Channel.PHONE: 15,
    },
    CaseKind.HAZARD: {Channel.GRID: 65, Channel.VIDEO: 25, Channel.PHONE: 10},
}

# Lead unit by category: a district department slug, or "town" (the town's center) or
# "justice" (the town's 司法所).
LEAD_BY_CATEGORY = {
    Category.LABOUR: "hrss",
    Category.MEDICAL: "health",
    Category.PROPERTY_MANAGEMENT: "housing",
    Category.TRAFFIC: "police",
    Category.CONSUMER: "market",
    Category.ENVIRONMENT: "ecology",
    Category.LAND_REQUISITION: "resources",
    Category.MARRIAGE_FAMILY: "justice",
    Category.NEIGHBOURHOOD: "justice",
    Category.CONTRACT: "justice",
    Category.DAMAGES: "justice",
}
