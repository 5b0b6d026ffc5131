"""What a citizen's matter is about, in the citizen's words, and the kind and category it files as.

The keys are stored nowhere (the case keeps its kind and category), so they may change; the
labels are what a person who has never heard of 矛盾纠纷分类 would pick.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tiaojie.core.enums import CaseKind, Category


@dataclass(frozen=True)
class Topic:
    key: str
    label: Promise
    kind: str
    category: str


DISPUTES = (
    Topic(
        "neighbourhood",
        _("Neighbours (noise, walls, drains, passage)"),
        CaseKind.DISPUTE,
        Category.NEIGHBOURHOOD,
    ),
    Topic(
        "marriage_family",
        _("Marriage and family (divorce, support of parents, inheritance)"),
        CaseKind.DISPUTE,
        Category.MARRIAGE_FAMILY,
    ),
    Topic(
        "housing_homestead",
        _("Houses and homestead land"),
        CaseKind.DISPUTE,
        Category.HOUSING_HOMESTEAD,
    ),
    Topic(
        "land_forest",
        _("Farmland, forest and contracted land"),
        CaseKind.DISPUTE,
        Category.LAND_FOREST,
    ),
    Topic(
        "land_requisition",
        _("Land requisition and demolition"),
        CaseKind.DISPUTE,
        Category.LAND_REQUISITION,
    ),
    Topic(
        "labour",
        _("Unpaid wages, work injuries and other work matters"),
        CaseKind.DISPUTE,
        Category.LABOUR,
    ),
    Topic("contract", _("Contracts, loans and debts"), CaseKind.DISPUTE, Category.CONTRACT),
    Topic("damages", _("Compensation for an injury or a loss"), CaseKind.DISPUTE, Category.DAMAGES),
    Topic("traffic", _("A road traffic accident"), CaseKind.DISPUTE, Category.TRAFFIC),
    Topic("medical", _("A hospital or a doctor"), CaseKind.DISPUTE, Category.MEDICAL),
    Topic("consumer", _("Shopping and paid services"), CaseKind.DISPUTE, Category.CONSUMER),
    Topic(
        "property_management",
        _("The property management of my housing estate"),
        CaseKind.DISPUTE,
        Category.PROPERTY_MANAGEMENT,
    ),
    Topic(
        "environment",
        _("Pollution (noise, smoke, dirty water)"),
        CaseKind.DISPUTE,
        Category.ENVIRONMENT,
    ),
    Topic("business", _("Running a business or a farm"), CaseKind.DISPUTE, Category.BUSINESS),
    Topic("other_dispute", _("Another dispute"), CaseKind.DISPUTE, Category.OTHER),
)
OTHERS = (
    Topic("request", _("A problem to report, or help I need"), CaseKind.REQUEST, Category.OTHER),
    Topic("hazard", _("A danger to public safety I have seen"), CaseKind.HAZARD, Category.OTHER),
)
TOPICS = {topic.key: topic for topic in (*DISPUTES, *OTHERS)}


def grouped_choices() -> list[tuple[Promise, list[tuple[str, Promise]]]]:
    return [
        (_("A dispute with someone"), [(t.key, t.label) for t in DISPUTES]),
        (_("Something else"), [(t.key, t.label) for t in OTHERS]),
    ]


def label_for(kind: str, category: str) -> str:
    """The citizen's words for a case's kind and category (staff may have refiled it)."""
    for topic in TOPICS.values():
        if (topic.kind, topic.category) == (kind, category):
            return str(topic.label)
    for topic in OTHERS:
        if topic.kind == kind:
            return str(topic.label)
    return str(Category(category).label) if category in Category.values else ""
