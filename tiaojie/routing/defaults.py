"""The default dispatch catalogue every deployment starts with (editable afterwards).

(kind, category, risk) → tier, lead unit kind, assisting unit kinds. "" matches anything.
Small matters stay low (小事不出村、大事不出镇); matters that belong to a department's remit go
to that department with the town's justice office helping; red risk goes to the district
center at once with the police assisting.
"""

from __future__ import annotations

from typing import Any

D, P, R, H = "dispute", "petition", "request", "hazard"

# (kind, category, risk, tier, lead kind, assisting kinds, note)
DEFAULTS: list[tuple[str, str, str, str, str, list[str], str]] = [
    (
        D,
        "",
        "",
        "town",
        "town_center",
        ["justice_office"],
        "矛盾纠纷：镇街综治中心牵头，司法所协助",
    ),
    (
        D,
        "neighbourhood",
        "",
        "village",
        "village_committee",
        ["justice_office"],
        "邻里纠纷：村（社区）先行调解",
    ),
    (
        D,
        "marriage_family",
        "",
        "town",
        "town_center",
        ["women_federation", "justice_office"],
        "婚姻家庭：妇联、司法所协助",
    ),
    (
        D,
        "housing_homestead",
        "",
        "town",
        "town_center",
        ["natural_resources"],
        "宅基地：自然资源部门协助",
    ),
    (
        D,
        "land_forest",
        "",
        "town",
        "town_center",
        ["natural_resources"],
        "山林土地：自然资源部门协助",
    ),
    (
        D,
        "land_requisition",
        "",
        "district",
        "district_center",
        ["natural_resources", "housing"],
        "征地拆迁：区综治中心牵头",
    ),
    (
        D,
        "labour",
        "",
        "district",
        "human_resources",
        ["justice_office"],
        "劳动争议：人社部门牵头，司法所协助",
    ),
    (D, "medical", "", "district", "health", ["justice_office"], "医疗纠纷：卫健部门牵头"),
    (D, "property_management", "", "town", "housing", ["town_center"], "物业纠纷：住建部门牵头"),
    (D, "environment", "", "district", "ecology", ["town_center"], "环境污染：生态环境部门牵头"),
    (D, "consumer", "", "district", "market_regulation", [], "消费纠纷：市场监管部门牵头"),
    (D, "traffic", "", "district", "police", ["justice_office"], "交通事故：公安交警牵头"),
    (D, "contract", "", "town", "town_center", ["justice_office"], "合同纠纷"),
    (
        D,
        "business",
        "",
        "town",
        "town_center",
        ["justice_office", "market_regulation"],
        "生产经营纠纷",
    ),
    (D, "damages", "", "town", "town_center", ["justice_office"], "损害赔偿纠纷"),
    (D, "other", "", "town", "town_center", ["justice_office"], "其他纠纷"),
    (P, "", "", "district", "petition_bureau", [], "信访事项：信访部门登记受理"),
    (R, "", "", "town", "town_center", [], "便民诉求：镇街办理"),
    (H, "", "", "town", "town_center", ["police_station"], "风险隐患：镇街牵头，派出所协助"),
    (
        "",
        "",
        "red",
        "district",
        "district_center",
        ["police"],
        "红色风险：直报区综治中心，公安协助",
    ),
]


def default_rules() -> list[dict[str, Any]]:
    return [
        {
            "kind": kind,
            "category": category,
            "risk_level": risk,
            "tier": tier,
            "lead_kind": lead,
            "assisting_kinds": assisting,
            "note": note,
        }
        for kind, category, risk, tier, lead, assisting, note in DEFAULTS
    ]
