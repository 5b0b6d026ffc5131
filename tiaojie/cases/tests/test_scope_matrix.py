"""Zero leaks: every role, in its own town, another town and the district, against every
page and API endpoint that shows cases, checked against a scope rule written out here
independently of tiaojie/cases/scoping.py.

The endpoints are not listed by hand: they are read from the URL configuration and the
OpenAPI schema, so a new case page or API path is in the matrix the day it is added (and
the test fails until it knows how to fill the new path's parameters). A hypothesis test
then checks the selector against the same rule over random region trees, units and
assignments.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiaojie.accounts.models import Unit, UnitKind, User
from tiaojie.accounts.roles import ADMIN_ROLES, Role
from tiaojie.api.api import api
from tiaojie.cases.history import append_event
from tiaojie.cases.models import (
    Assignment,
    AssignmentRole,
    Attachment,
    Case,
    Party,
    Person,
)
from tiaojie.cases.search import reindex_cases
from tiaojie.cases.selectors import cases_for_user
from tiaojie.cases.workflow import Action, Status
from tiaojie.core import cache
from tiaojie.regions.models import Region, RegionLevel
from tiaojie.routing.models import DispatchRule
from tiaojie.whistles.models import Whistle, WhistleCall

pytestmark = pytest.mark.django_db

AREA_KINDS = {UnitKind.DISTRICT_CENTER, UnitKind.TOWN_CENTER, UnitKind.VILLAGE_COMMITTEE}


# --- the rule, written independently of the code under test ------------------------------
def _under(region: Region, top: Region) -> bool:
    node: Region | None = region
    while node is not None:
        if node.pk == top.pk:
            return True
        node = node.parent
    return False


def may_see(roles: set[str], unit: Unit, case: Case) -> bool:
    if not roles or roles <= ADMIN_ROLES:
        return False
    if unit.pk in (case.lead_unit_id, case.first_unit_id):
        return True
    if Assignment.objects.filter(case=case, unit=unit).exists():
        return True
    if WhistleCall.objects.filter(whistle__case=case, unit=unit).exists():
        return True  # summoned by a whistle (吹哨报到)
    return unit.kind in AREA_KINDS and _under(case.region, unit.region)


# --- endpoints, discovered -------------------------------------------------------------------
@dataclass(frozen=True)
class Endpoint:
    method: str
    route: str  # with {param} placeholders
    api: bool

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.route)

    def __str__(self) -> str:
        return f"{self.method} {self.route}"


def _django_routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _django_routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def site_endpoints() -> list[Endpoint]:
    """Every page of the site (GET) and every case action's form target (POST)."""
    found = []
    for route in _django_routes(get_resolver().url_patterns):
        if route.startswith(("/api/", "/admin/", "/i18n/", "/accounts/logout")) or "^" in route:
            continue
        # Action URLs are form targets (POST only); everything else is a page.
        found.append(Endpoint("POST" if "{action}" in route else "GET", route, api=False))
    return found


def api_endpoints() -> list[Endpoint]:
    schema = api.get_openapi_schema()
    return [
        Endpoint(method.upper(), path, api=True)
        for path, ops in schema["paths"].items()
        for method in ops
    ]


ENDPOINTS = site_endpoints() + api_endpoints()
CASE_ENDPOINTS = [e for e in ENDPOINTS if "{code}" in e.route and "/cases/" in e.route]
OTHER_ENDPOINTS = [e for e in ENDPOINTS if e not in CASE_ENDPOINTS]


def test_the_matrix_covers_the_case_pages_and_the_api() -> None:
    routes = {str(e) for e in CASE_ENDPOINTS}
    assert {
        "GET /cases/{code}/",
        "POST /cases/{code}/act/{action}/",
        "GET /api/v1/cases/{code}",
        "POST /api/v1/cases/{code}/actions/{action}",
    } <= routes
    assert "GET /api/v1/cases" in {str(e) for e in OTHER_ENDPOINTS}


# --- the world ---------------------------------------------------------------------------------
SECRET = "保密标记"  # every case title carries it plus the case's own letter


@dataclass
class Matrix:
    cases: dict[str, Case]
    regions: dict[str, Region]


def _build(world: Any) -> Matrix:
    uploader = world.user("uploader", world.center, Role.DISPATCHER)

    def case(letter: str, region: Region, **fields: Any) -> Case:
        # Resolved with an agreement, so the printable agreement exists for those who may see it.
        made = world.case(region, title=f"{SECRET}{letter}纠纷", status=Status.RESOLVED, **fields)
        append_event(
            made,
            action=Action.RESOLVE,
            actor_id=None,
            actor_unit_id=None,
            at=dt.datetime(2025, 3, 5, tzinfo=dt.UTC),
            from_status=Status.IN_PROGRESS,
            to_status=Status.RESOLVED,
            payload={"agreement": "双方自愿达成调解协议。"},
        )
        made.save()
        Party.objects.create(
            case=made, person=Person.objects.create(name=f"当事人{letter}"), role="applicant"
        )
        content = b"%PDF-1.4 " + SECRET.encode() + letter.encode()
        Attachment.objects.create(
            case=made,
            file=ContentFile(content, name=f"m{letter}"),
            original_name=f"{SECRET}{letter}.pdf",
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=uploader,
            uploaded_at=dt.datetime(2025, 3, 3, tzinfo=dt.UTC),
        )
        return made

    cases = {
        # Town A's own case.
        "a": case("a", world.grid_a, first_unit=world.center_a, lead_unit=world.center_a),
        # Town B's, which 人社局 once assisted on (its assignment has ended).
        "b": case("b", world.village_b, first_unit=world.center_b),
        # A district case led by 人社局.
        "d": case("d", world.county, first_unit=world.center, lead_unit=world.hrss),
        # Town B's, with town A's village committee assisting.
        "x": case("x", world.village_b, first_unit=world.center_b, lead_unit=world.center_b),
    }
    now = dt.datetime(2025, 3, 2, tzinfo=dt.UTC)
    Assignment.objects.create(
        case=cases["b"],
        unit=world.hrss,
        role=AssignmentRole.ASSISTING,
        assigned_at=now,
        ended_at=now,
    )
    Assignment.objects.create(
        case=cases["x"], unit=world.committee_a, role=AssignmentRole.ASSISTING, assigned_at=now
    )
    # A whistle on every case (so its pages exist): 人社局 is summoned to town A's case,
    # which it sees only through it; a police bureau no persona works for to the others.
    police = Unit.objects.create(name="公安分局", kind=UnitKind.POLICE, region=world.county)
    for key, made in cases.items():
        whistle = Whistle.objects.create(
            case=made,
            raised_by=uploader,
            raised_by_unit=made.first_unit,
            reason=f"{SECRET}{key}吹哨",
            deadline_hours=2,
            raised_at=now,
            due_at=now,
        )
        summoned = world.hrss if key == "a" else police
        WhistleCall.objects.create(whistle=whistle, unit=summoned, due_at=now)
    reindex_cases([c.pk for c in cases.values()])
    return Matrix(cases, {"a": world.town_a, "b": world.town_b, "d": world.county})


def _fill(endpoint: Endpoint, case: Case | None, matrix: Matrix) -> str:
    party = Party.objects.filter(case=case).values_list("pk", flat=True).first() if case else 0
    attachment = (
        Attachment.objects.filter(case=case).values_list("pk", flat=True).first() if case else 0
    )
    values = {
        "attachment_id": attachment or 0,
        "code": case.code if case else matrix.regions["a"].code,
        "action": "check_in",
        # A ledger import (none exists: 404 for everyone; tiaojie/ledger/tests cover scope).
        "import_id": 0,
        "party": party or 0,
        # A review meeting or one of its tasks (none exists: 404 for everyone;
        # tiaojie/meetings/tests cover their scope).
        "meeting": 0,
        "task": 0,
        # Failed background work (none exists; the system administrator's page only).
        "work_id": "00000000-0000-0000-0000-000000000000",
        "whistle": (
            Whistle.objects.filter(case=case).values_list("pk", flat=True).first() if case else 0
        )
        or 0,
        # A dispatch rule (the catalogue shows no case; its replay only the user's own).
        "rule_id": DispatchRule.objects.values_list("pk", flat=True).first() or 0,
        # An inbox message (the user has none: 404 whatever the scope) or a case's file.
        "pk": attachment if "/attachments/" in endpoint.route else 0,
    }
    missing = [p for p in endpoint.params if p not in values]
    assert not missing, f"{endpoint}: teach the scope matrix how to fill {missing}"
    return endpoint.route.format(**{p: values[p] for p in endpoint.params})


def _request(client: Any, endpoint: Endpoint, url: str, case: Case | None) -> Any:
    if endpoint.method == "GET":
        response = client.get(url)
        if response.status_code != 405 or endpoint.api:
            return response
        # A form target found among the pages: POST what such forms send.
        return client.post(url, {"version": case.version if case else 0, "reason": "核实身份"})
    if endpoint.api and endpoint.route.endswith("/attachments"):  # a file upload
        upload = SimpleUploadedFile("m.pdf", b"%PDF-1.4 matrix", content_type="application/pdf")
        return client.post(url, {"file": upload, "kind": "evidence"})
    if endpoint.api:
        body = {"version": case.version} if case else {}
        return client.generic(
            endpoint.method, url, data=json.dumps(body), content_type="application/json"
        )
    return client.post(url, {"version": case.version if case else 0})


def _body(response: Any) -> str:
    raw = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    return raw.decode(errors="replace")


PLACEMENTS = [(role, place) for role in Role for place in ("town_a", "town_b", "district")] + [
    (role, place) for role in sorted(set(Role) - ADMIN_ROLES) for place in ("department", "village")
]


def _unit(world: Any, place: str) -> Unit:
    return {
        "town_a": world.center_a,
        "town_b": world.center_b,
        "district": world.center,
        "department": world.hrss,
        "village": world.committee_a,
    }[place]


@pytest.mark.parametrize(("role", "place"), PLACEMENTS, ids=[f"{r}@{p}" for r, p in PLACEMENTS])
def test_no_endpoint_shows_a_case_out_of_scope(world, login, role: str, place: str) -> None:
    matrix = _build(world)
    unit = _unit(world, place)
    user: User = world.user(f"{role}_{place}", unit, role)
    client = login(user)
    visible = {k for k, c in matrix.cases.items() if may_see({role}, unit, c)}
    hidden = set(matrix.cases) - visible

    for endpoint, (key, case) in itertools.product(CASE_ENDPOINTS, matrix.cases.items()):
        response = _request(client, endpoint, _fill(endpoint, case, matrix), case)
        body = _body(response)
        where = f"{endpoint} for case {key} as {role}@{place}"
        assert response.status_code < 500, where
        if key in hidden:
            assert response.status_code == 404, where
            assert f"{SECRET}{key}" not in body, where
            if endpoint.api:
                assert response.json()["code"] == "not_found", where
        else:
            assert response.status_code != 404, where

    # Lists, search, the workbench and every other page: nothing hidden shows, and the lists
    # show everything visible.
    for endpoint in OTHER_ENDPOINTS:
        if endpoint.method != "GET":
            continue
        url = _fill(endpoint, None, matrix)
        for query in ("", f"?q={SECRET}"):
            response = client.get(url + query)
            body = _body(response)
            where = f"{endpoint}{query} as {role}@{place}"
            assert response.status_code < 500, where
            for key in hidden:
                assert f"{SECRET}{key}" not in body, where
                assert matrix.cases[key].code not in body, where
            if endpoint.route in ("/cases/", "/api/v1/cases") and response.status_code == 200:
                for key in visible:
                    assert matrix.cases[key].code in body, where


# --- the selector over random worlds ----------------------------------------------------------
@st.composite
def random_worlds(draw: st.DrawFn) -> dict[str, Any]:
    # A tree: each new region hangs under an earlier one (index 0 is the root).
    n_regions = draw(st.integers(2, 9))
    parents = [draw(st.integers(0, i - 1)) for i in range(1, n_regions)]
    kinds = [*AREA_KINDS, UnitKind.HUMAN_RESOURCES, UnitKind.POLICE, UnitKind.COURT]
    units = draw(
        st.lists(
            st.tuples(st.integers(0, n_regions - 1), st.sampled_from(kinds)),
            min_size=1,
            max_size=5,
        )
    )
    n_units = len(units)
    unit_ref = st.one_of(st.none(), st.integers(0, n_units - 1))
    cases = draw(
        st.lists(
            st.tuples(
                st.integers(0, n_regions - 1),
                unit_ref,
                st.integers(0, n_units - 1),
                st.lists(st.integers(0, n_units - 1), max_size=2, unique=True),
            ),
            min_size=1,
            max_size=8,
        )
    )
    return {"parents": parents, "units": units, "cases": cases}


_LEVELS = [RegionLevel.COUNTY, RegionLevel.TOWN, RegionLevel.VILLAGE, RegionLevel.GRID]


@settings(
    max_examples=40,
    deadline=None,
    # Each example runs in its own transaction, rolled back at its end.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(spec=random_worlds())
def test_the_selector_follows_the_rule_in_any_tree(db, spec: dict[str, Any]) -> None:
    from tiaojie.accounts.services import role_groups

    with transaction.atomic():
        cache.clear_all()
        codes = itertools.count(1)
        root = Region.objects.create(code="990000000000", name="根", level=RegionLevel.COUNTY)
        regions = [root]
        depth = [0]
        for i, parent in enumerate(spec["parents"], start=1):
            level = _LEVELS[min(depth[parent] + 1, 3)]
            regions.append(
                Region.objects.create(
                    code=f"99{i:010d}", name=f"区{i}", level=level, parent=regions[parent]
                )
            )
            depth.append(depth[parent] + 1)
        units = [
            Unit.objects.create(name=f"单位{i}", kind=kind, region=regions[r])
            for i, (r, kind) in enumerate(spec["units"])
        ]
        cases = []
        for region, lead, first, assisting in spec["cases"]:
            case = Case.objects.create(
                code=f"2099{next(codes):06d}",
                kind="dispute",
                category="neighbourhood",
                channel="window",
                title="随机",
                region=regions[region],
                received_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                first_unit=units[first],
                lead_unit=units[lead] if lead is not None else None,
            )
            for u in assisting:
                Assignment.objects.create(
                    case=case,
                    unit=units[u],
                    role=AssignmentRole.ASSISTING,
                    assigned_at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC),
                )
            cases.append(case)
        group = role_groups()[Role.MEDIATOR]
        for i, unit in enumerate(units):
            user = User.objects.create_user(username=f"u{i}", password="x", real_name="x")
            user.unit = unit
            user.save()
            user.groups.set([group])
            user = User.objects.get(pk=user.pk)
            expected = {c.pk for c in cases if may_see({Role.MEDIATOR}, unit, c)}
            assert set(cases_for_user(user).values_list("pk", flat=True)) == expected
        transaction.set_rollback(True)
    cache.clear_all()
