"""The portal's fixtures: the shared small county, a clean rate-limit table, a citizen's form."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import caches

from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.models import Case
from tiaojie.cases.services import Actor

# Valid numbers, invented: a mobile number and an ID number with a correct check digit.
PHONE = "13912345678"
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def limits(db: None) -> Any:
    """The rate-limit table, emptied: each test starts with no tries counted."""
    cache = caches["ratelimit"]
    cache.clear()
    return cache


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "王小明",
        "phone": PHONE,
        "id_number": "",
        "topic": "neighbourhood",
        "description": "邻居在我家门口堆放杂物，堵住了通道，多次沟通无果。",
        "occurred_on": "",
        "town": "610502103000",
        "village": "610502103201",
        "address": "",
        "consent": "on",
        "form_token": uuid.uuid4().hex,
        "website": "",
    }
    data.update(overrides)
    return data


CODE = re.compile(r'data-testid="case-code">(\d+)<')
QUERY = re.compile(r'data-testid="query-code">([A-Z0-9-]+)<')


@pytest.fixture
def submit(client: Any, world: Any, limits: Any) -> Callable[..., tuple[Any, str, str]]:
    """Send the portal's form; returns the response, the case code and the query code shown."""

    def _submit(ip: str = "10.0.0.1", **overrides: Any) -> tuple[Any, str, str]:
        response = client.post("/public/submit/", form_data(**overrides), REMOTE_ADDR=ip)
        body = response.content.decode()
        code, query = CODE.search(body), QUERY.search(body)
        return response, code.group(1) if code else "", query.group(1) if query else ""

    return _submit


@pytest.fixture
def staff(world: Any) -> SimpleNamespace:
    """Town A's clerk and dispatcher and 人社局's handler, who work the online case."""
    return SimpleNamespace(
        clerk=Actor(world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)),
        dispatcher=Actor(world.user("dispatcher_a", world.center_a, Role.DISPATCHER)),
        handler=Actor(world.user("handler_zhang", world.hrss, Role.HANDLER)),
    )


def resolve(case: Case, staff: SimpleNamespace, world: Any) -> Case:
    """Accepted, assigned to 人社局, checked in and resolved by the book."""
    case = services.accept(case, actor=staff.clerk, note="内部备注：申请人情绪激动")
    case = services.assign(case, actor=staff.dispatcher, lead=world.hrss)
    case = services.check_in(case, actor=staff.handler)
    return services.resolve(case, actor=staff.handler, outcome="双方达成一致，清理通道。")
