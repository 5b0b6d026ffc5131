"""Cases that look like the same matter: repeat visitors and suggested duplicates.

Read-only, always inside the user's scope (``cases_for_user``): a clerk is never told about
a case they could not open.

Same person
    People are matched by the blind indexes of their ID number and mobile number
    (``Person.id_number_hash`` / ``phone_hash``), never by decrypting anything. One ID
    number is one ``Person`` row across cases; a phone number may sit on several rows
    (people registered without an ID number), so both are asked.
Same matter
    An open case within ``WINDOW_DAYS`` of the new one that shares a person, or lies in the
    same village (or grid under it) and says nearly the same thing: the character bigrams of
    title and description, folded as the search index folds them (``search.fold``), have a
    Dice coefficient of at least ``SIMILAR``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from tiaojie.cases.scoping import region_ids_under
from tiaojie.core.crypto import blind_index
from tiaojie.core.idnumber import id_number_problem, normalize_id_number
from tiaojie.regions.models import Region, RegionLevel

from .models import Case, Person
from .search import fold
from .selectors import cases_for_user, countable
from .workflow import OPEN

# Suggested duplicates are received within this many days of each other.
WINDOW_DAYS = 90
# Dice coefficient of the bigram sets from which two texts count as the same matter.
SIMILAR = 0.5
# At most this many recent open cases of a village are compared by text.
CANDIDATES = 300
SHOWN = 10


@dataclass(frozen=True)
class Match:
    """A case that may be the same matter, and why it is suggested."""

    case: Case
    same_person: bool
    same_village: bool
    similarity: float

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)


# --- people -------------------------------------------------------------------------------------
def person_ids(*, id_numbers: Iterable[str] = (), phones: Iterable[str] = ()) -> set[int]:
    """Persons with one of these (valid) ID or mobile numbers, found by their blind index."""
    id_hashes = [
        blind_index(normalize_id_number(n), purpose="id_number")
        for n in id_numbers
        if n and id_number_problem(n) is None
    ]
    phone_hashes = [blind_index(p.strip(), purpose="phone") for p in phones if p.strip()]
    if not id_hashes and not phone_hashes:
        return set()
    q = Q(id_number_hash__in=id_hashes) | Q(phone_hash__in=phone_hashes)
    return set(Person.objects.filter(q).values_list("pk", flat=True))


def same_people(ids: Iterable[int]) -> set[int]:
    """These persons and everyone sharing a phone number with them."""
    ids = set(ids)
    if not ids:
        return set()
    phones = Person.objects.filter(pk__in=ids).exclude(phone_hash="").values("phone_hash")
    return ids | set(Person.objects.filter(phone_hash__in=phones).values_list("pk", flat=True))


def earlier_cases(user: Any, persons: set[int], *, limit: int = SHOWN) -> list[Case]:
    """The cases these persons were party to that the user may see, newest first."""
    if not persons:
        return []
    qs = (
        countable(cases_for_user(user))
        .filter(pk__in=_cases_of(persons))
        .select_related("region")
        .order_by("-received_at", "-id")
    )
    return list(qs[:limit])


def _cases_of(persons: set[int]) -> Any:
    from .models import Party

    return Party.objects.filter(person_id__in=persons).values("case_id")


# --- text ---------------------------------------------------------------------------------------
def bigrams(text: str) -> set[str]:
    """Adjacent character pairs of each whitespace-free run, folded like the search index."""
    pairs: set[str] = set()
    for run in fold(text).split():
        pairs.update(run[i : i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            pairs.add(run)
    return pairs


def similarity(a: set[str], b: set[str]) -> float:
    """Dice coefficient of two bigram sets (1.0: the same pairs, 0.0: none shared)."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


# --- place --------------------------------------------------------------------------------------
def village_area(region: Region) -> list[int]:
    """The region ids that count as "the same village": the village and its grids.

    Above village level (a case placed at a town) only the region itself counts: a whole
    town is not one neighbourhood.
    """
    if region.level == RegionLevel.GRID and region.parent_id:
        return region_ids_under(region.parent_id)
    if region.level == RegionLevel.VILLAGE:
        return region_ids_under(region.pk)
    return [region.pk]


# --- the suggestions ------------------------------------------------------------------------------
def similar_cases(
    user: Any,
    *,
    persons: set[int],
    region: Region | None,
    text: str,
    around: dt.datetime,
    exclude: int | None = None,
    limit: int = SHOWN,
) -> list[Match]:
    """Open cases in the user's scope that may be the same matter (see the module's doc)."""
    window = dt.timedelta(days=WINDOW_DAYS)
    scoped = cases_for_user(user).filter(
        status__in=OPEN, received_at__gte=around - window, received_at__lte=around + window
    )
    if exclude is not None:
        scoped = scoped.exclude(pk=exclude)
    by_person: set[int] = set()
    if persons:
        by_person = set(scoped.filter(pk__in=_cases_of(persons)).values_list("pk", flat=True))
    area: set[int] = set()
    scores: dict[int, float] = {}
    wanted = bigrams(text)
    if region is not None:
        near = (
            scoped.filter(region_id__in=village_area(region))
            .order_by("-received_at", "-id")
            .values_list("pk", "title", "description")[:CANDIDATES]
        )
        for pk, title, description in near:
            area.add(pk)
            scores[pk] = similarity(wanted, bigrams(f"{title}\n{description}"))
    chosen = by_person | {pk for pk in area if scores[pk] >= SIMILAR}
    if not chosen:
        return []
    found = {c.pk: c for c in Case.objects.filter(pk__in=chosen).select_related("region")}
    matches = [
        Match(found[pk], pk in by_person, pk in area, scores.get(pk, 0.0))
        for pk in chosen
        if pk in found
    ]
    matches.sort(
        key=lambda m: (m.same_person, m.similarity, m.case.received_at, m.case.pk), reverse=True
    )
    return matches[:limit]


def duplicates_of(user: Any, case: Case) -> list[Match]:
    """Suggested duplicates of an open case, for its page (merge them into one another)."""
    if case.status not in OPEN:
        return []
    persons = same_people(case.parties.values_list("person_id", flat=True))
    return similar_cases(
        user,
        persons=persons,
        region=case.region,
        text=f"{case.title}\n{case.description}",
        around=case.received_at,
        exclude=case.pk,
    )
