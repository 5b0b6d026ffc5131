"""A known month of cases (March 2025) for the agenda tests: every heading has cases that
belong under it and cases that nearly do."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tiaojie.cases.history import append_event
from tiaojie.cases.models import Case, Party, Person
from tiaojie.cases.workflow import Status
from tiaojie.core.enums import CaseKind, Category

MONTH = dt.date(2025, 3, 1)
NOW = dt.datetime(2025, 3, 31, 4, 0, tzinfo=dt.UTC)  # 12:00 in the center's time zone


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2025, month, day, 2, 0, tzinfo=dt.UTC)  # 10:00 local


def build(world: Any) -> dict[str, Case]:
    a, b = world.village_a, world.village_b
    old = at(1, 3)  # received long before: counts for no rise
    made: dict[str, Case] = {}

    def case(key: str, region: Any, **fields: Any) -> Case:
        fields.setdefault("received_at", old)
        fields.setdefault("category", Category.OTHER)
        fields.setdefault("title", f"事项{key}")
        made[key] = world.case(region, **fields)
        return made[key]

    # Red and orange, open or not.
    case("c1", a, risk_level="red", status=Status.IN_PROGRESS, received_at=at(1, 4))
    case("c2", b, risk_level="orange", status=Status.ACCEPTED, received_at=at(1, 5))
    case("c3", a, risk_level="red", status=Status.CLOSED)
    case("c4", a, risk_level="orange", status=Status.MERGED)
    case("c11", world.grid_a, risk_level="orange", status=Status.REGISTERED, received_at=at(1, 6))
    # Deadlines.
    case("c5", a, risk_level="yellow", status=Status.IN_PROGRESS, due_at=at(3, 20))
    case("c6", a, status=Status.SUSPENDED, due_at=at(3, 10))
    case("c7", b, status=Status.ASSIGNED, due_at=at(3, 30))
    case("c8", a, status=Status.IN_PROGRESS, due_at=at(4, 5))
    case("c12", a, status=Status.CLOSED, due_at=at(3, 1))
    # Escalations: this month (once, twice) and last month.
    escalations = {
        "c9": [(at(3, 15), "town", "district")],
        "c10": [(at(2, 20), "town", "district")],
        "c13": [(at(3, 10), "town", "district"), (at(3, 20), "district", "leadership")],
    }
    case("c9", a, status=Status.ACCEPTED, tier="district")
    case("c10", b, status=Status.ACCEPTED, tier="district")
    case("c13", a, status=Status.ACCEPTED, tier="leadership")
    for key, steps in escalations.items():
        for when, from_tier, to_tier in steps:
            append_event(
                made[key],
                action="escalate",
                actor_id=None,
                actor_unit_id=None,
                at=when,
                from_status=Status.IN_PROGRESS,
                to_status=Status.ACCEPTED,
                payload={"from_tier": from_tier, "to_tier": to_tier},
            )
        made[key].save()

    # Petitioners: the same person by the ID number's keyed hash, or by the phone's.
    p1 = Person.objects.create(name="张三丰", id_number_hash="1" * 64)
    p2 = Person.objects.create(name="李四", id_number_hash="2" * 64)
    p3 = Person.objects.create(name="王五", id_number_hash="3" * 64)
    p4a = Person.objects.create(name="赵六", phone_hash="4" * 64)
    p4b = Person.objects.create(name="赵六", phone_hash="4" * 64)
    petitions = [
        ("p1a", a, at(2, 10), p1, Status.ACCEPTED),
        ("p1b", a, at(3, 5), p1, Status.ACCEPTED),
        ("p2a", a, at(1, 10), p2, Status.CLOSED),
        ("p2b", a, at(2, 12), p2, Status.ACCEPTED),
        ("p3a", a, at(3, 6), p3, Status.ACCEPTED),
        ("p3m", a, at(2, 7), p3, Status.MERGED),
        ("p4a", b, at(3, 2), p4a, Status.ACCEPTED),
        ("p4b", b, at(3, 8), p4b, Status.ACCEPTED),
    ]
    for key, region, received, person, status in petitions:
        made_case = case(key, region, kind=CaseKind.PETITION, received_at=received, status=status)
        Party.objects.create(case=made_case, person=person, role="applicant")

    # Rises by town × type, March against February.
    counts = [
        (a, Category.LABOUR, [at(3, 3), at(3, 4), at(3, 5), at(2, 3)]),  # 3 vs 1
        (b, Category.LABOUR, [at(3, 3), at(3, 4)]),  # 2 vs 0
        (a, Category.NEIGHBOURHOOD, [at(3, 3), at(2, 3), at(2, 4)]),  # 1 vs 2: a fall
        (b, Category.CONSUMER, [at(3, 1), at(3, 2), at(3, 3), at(3, 4), at(2, 9)]),  # 4 vs 1
        (world.county, Category.LABOUR, [at(3, 3)] * 5),  # above any town
        (a, Category.TRAFFIC, [at(4, 1), at(1, 31)]),  # outside both months
    ]
    for n, (region, category, dates) in enumerate(counts):
        for m, received in enumerate(dates):
            case(f"r{n}.{m}", region, category=category, received_at=received)
    # A duplicate merged into another case is not counted again.
    case("rm", b, category=Category.CONSUMER, received_at=at(3, 9), status=Status.MERGED)
    return made
