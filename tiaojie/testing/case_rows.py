"""What a piece of work wrote for its cases, for tests that hold two paths to the same rows.

The ledger's bulk writer (cases/bulk.py) must write what the services write for the same past
cases. Its tests, and those of the apps that change what the services write (a dispatch rule's
policy, a dispatch mode's shorter deadlines), run both paths on one database and compare.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict

from tiaojie.cases.history import verify_all
from tiaojie.cases.models import Assignment, Case, CaseEvent, Party, Person
from tiaojie.cases.search_models import CaseSearch


def snapshot(ids: list[int]) -> list[dict[str, Any]]:
    """Everything about these cases except row ids, row times and id-dependent hashes."""
    people: dict[int, int] = {}  # person id → order first met, so sharing shows
    shots = []
    for pk in ids:
        case = Case.objects.get(pk=pk)
        row = model_to_dict(case, exclude=["id"])
        row.update(event_count=case.event_count, version=case.version)
        parties = []
        for party in Party.objects.filter(case=case).order_by("id"):
            person = Person.objects.get(pk=party.person_id)
            seen = people.setdefault(person.pk, len(people))
            parties.append(
                (party.role, seen, model_to_dict(person, exclude=["id"]), person.id_number_hash)
            )
        assignments = [
            model_to_dict(a, exclude=["id", "case"]) | {"checked_in_at": a.checked_in_at}
            for a in Assignment.objects.filter(case=case).order_by("id")
        ]
        events = list(
            CaseEvent.objects.filter(case=case)
            .order_by("seq")
            .values(
                "seq",
                "action",
                "actor_id",
                "actor_unit_id",
                "at",
                "from_status",
                "to_status",
                "reason",
                "payload",
            )
        )
        entry = CaseSearch.objects.get(case=case)
        shots.append(
            {
                "case": row,
                "parties": parties,
                "assignments": assignments,
                "events": events,
                "search": (entry.body, entry.document),
            }
        )
    return shots


def written_then_undone(work: Callable[[], list[int]]) -> list[dict[str, Any]]:
    """Run ``work`` (it gives its cases' ids) and snapshot its cases, then undo it, so the
    next run starts alike."""
    with transaction.atomic():
        ids = work()
        assert not list(verify_all())
        shot = snapshot(ids)
        transaction.set_rollback(True)
    return shot
