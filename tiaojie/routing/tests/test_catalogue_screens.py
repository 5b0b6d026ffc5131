"""The dispatch catalogue's screens: the list with its ties, a rule's history, and the
change form (edit → preview → save with a reason), with who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from tiaojie.accounts.models import UnitKind
from tiaojie.accounts.roles import Role
from tiaojie.audit.models import AuditEntry, AuditKind
from tiaojie.core import clock
from tiaojie.routing.models import CatalogueVersion, DispatchRule, DispatchRuleRevision

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatcher(world):
    return world.user("center_dispatcher", world.center, Role.DISPATCHER)


def _labour() -> DispatchRule:
    return DispatchRule.objects.get(kind="dispute", category="labour", region=None)


def _fields(rule: DispatchRule, **changes: Any) -> dict[str, Any]:
    """The change form's fields for ``rule`` with ``changes``, as the browser sends them."""
    values: dict[str, Any] = {
        "kind": rule.kind,
        "category": rule.category,
        "risk_level": rule.risk_level,
        "region": rule.region_id or "",
        "tier": rule.tier,
        "lead_kind": rule.lead_kind,
        "assisting_kinds": list(rule.assisting_kinds),
        "policy_code": rule.policy_code,
        "note": rule.note,
        "is_active": "on" if rule.is_active else "",
        "months": 3,
    }
    values.update(changes)
    if not values["is_active"]:
        del values["is_active"]
    return values


def _version() -> int:
    return CatalogueVersion.objects.get(pk=1).number


def _counts() -> tuple[int, int, int, int]:
    return (
        DispatchRule.objects.count(),
        DispatchRuleRevision.objects.count(),
        _version(),
        AuditEntry.objects.filter(kind=AuditKind.CONFIG_CHANGED, outcome="success").count(),
    )


# --- who may ---------------------------------------------------------------------------------
READERS = [
    (Role.DISPATCHER, "center_a"),
    (Role.TOWN_STAFF, "center_a"),
    (Role.LEADER, "center_a"),
    (Role.INSPECTOR, "center"),
]
NOBODY = [
    (Role.WINDOW_CLERK, "center"),
    (Role.MEDIATOR, "center"),
    (Role.HANDLER, "hrss"),
    (Role.GRID_WORKER, "center_a"),
    (Role.SYSADMIN, "center"),
    (Role.AUDITOR, "center"),
]


@pytest.mark.parametrize(("role", "unit"), READERS + NOBODY)
def test_only_the_district_centers_dispatchers_and_leaders_change_the_catalogue(
    client, world, role: str, unit: str
) -> None:
    client.force_login(world.user("someone", getattr(world, unit), role))
    rule = _labour()
    pages = [
        reverse("routing:new"),
        reverse("routing:edit", args=[rule.pk]),
        reverse("routing:edit", args=[rule.pk]) + "?preview=1&tier=town&lead_kind=town_center",
    ]
    before = _counts()
    reads = [
        client.get(reverse("routing:rules")),
        client.get(reverse("routing:rule", args=[rule.pk])),
    ]
    changes = [client.get(url) for url in pages]
    save = client.post(
        reverse("routing:edit", args=[rule.pk]),
        {**_fields(rule, tier="town"), "version": _version(), "reason": "试试"},
    )
    expected_read, expected_change = (200, 403) if (role, unit) in READERS else (404, 404)
    assert [r.status_code for r in reads] == [expected_read] * 2
    assert [r.status_code for r in [*changes, save]] == [expected_change] * 4
    assert _counts() == before


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.LEADER])
def test_the_district_centers_dispatcher_and_leader_may(client, world, role: str) -> None:
    client.force_login(world.user("someone", world.center, role))
    assert client.get(reverse("routing:edit", args=[_labour().pk])).status_code == 200
    assert 'data-testid="new-rule"' in client.get(reverse("routing:rules")).content.decode()


# --- the list ----------------------------------------------------------------------------
def test_the_list_shows_the_rules_and_filters_them(client, world, dispatcher) -> None:
    client.force_login(dispatcher)
    body = client.get(reverse("routing:rules")).content.decode()
    assert "派单目录" in body
    assert "劳动争议：人社部门牵头，司法所协助" in body
    assert body.count("data-rule=") == DispatchRule.objects.filter(is_active=True).count()
    body = client.get(reverse("routing:rules"), {"category": "labour"}).content.decode()
    labour = _labour()
    assert f'data-rule="{labour.pk}"' in body
    assert "医疗纠纷：卫健部门牵头" not in body
    assert "红色风险" in body  # open on the category: applies to labour too
    body = client.get(reverse("routing:rules"), {"risk_level": "red", "kind": "petition"})
    assert "信访事项：信访部门登记受理" in body.content.decode()


def test_rules_that_tie_are_shown_at_the_top_as_errors(client, world, dispatcher) -> None:
    client.force_login(dispatcher)
    labour = _labour()
    assert 'data-testid="ties"' not in client.get(reverse("routing:rules")).content.decode()
    # A tie cannot be saved; a bulk load (or a restore) can still bring one in.
    twin = DispatchRule.objects.create(
        kind="dispute", category="labour", tier="town", lead_kind=UnitKind.TOWN_CENTER
    )
    body = client.get(reverse("routing:rules")).content.decode()
    top, _sep, rest = body.partition('data-testid="ties"')
    assert rest and 'data-testid="rules"' not in top
    tie = rest.split("</li>")[0]
    assert f"/routing/rules/{labour.pk}/" in tie and f"/routing/rules/{twin.pk}/" in tie
    assert "规则冲突" in top + rest


# --- edit → preview → save ----------------------------------------------------------------
def test_a_change_is_previewed_then_saved_with_its_reason_and_history(
    client, world, dispatcher
) -> None:
    labour_case = world.case(
        world.village_a, category="labour", received_at=clock.now() - dt.timedelta(days=3)
    )
    world.case(world.village_a, received_at=clock.now() - dt.timedelta(days=3))
    client.force_login(dispatcher)
    rule = _labour()
    url = reverse("routing:edit", args=[rule.pk])
    form = client.get(url)
    assert form.status_code == 200 and "预览" in form.content.decode()

    before = _counts()
    preview = client.get(url, {**_fields(rule, tier="town", lead_kind="town_center"), "preview": 1})
    body = preview.content.decode()
    assert preview.status_code == 200
    assert f'data-case="{labour_case.code}"' in body
    assert body.count("data-case=") == 1
    assert _counts() == before  # a preview writes nothing

    save = client.post(
        url,
        {
            **_fields(rule, tier="town", lead_kind="town_center"),
            "version": _version(),
            "reason": "劳动争议先由镇街调解",
        },
    )
    assert save.status_code == 302 and save["Location"] == reverse("routing:rule", args=[rule.pk])
    rule.refresh_from_db()
    assert (rule.tier, rule.lead_kind) == ("town", "town_center")
    assert _counts()[1:3] == (before[1] + 1, before[2] + 1)

    entry = AuditEntry.objects.filter(kind=AuditKind.CONFIG_CHANGED).order_by("-seq").first()
    assert entry is not None and entry.actor_id == dispatcher.pk
    assert entry.target_id == str(rule.pk)
    assert entry.detail["reason"] == "劳动争议先由镇街调解"
    assert entry.detail["changes"]["tier"] == ["district", "town"]

    history = client.get(reverse("routing:rule", args=[rule.pk])).content.decode()
    newest = history.split('data-testid="revision"')[1]
    assert "劳动争议先由镇街调解" in newest
    assert "center_dispatcher" in newest
    assert '<td>办理层级</td><td class="text-secondary">区</td><td>镇街</td>' in newest
    assert "默认派单目录" in history  # the first entry, from the default catalogue


def test_a_rule_is_deactivated_through_the_same_preview(client, world, dispatcher) -> None:
    client.force_login(dispatcher)
    rule = _labour()
    page = client.get(reverse("routing:rule", args=[rule.pk])).content.decode()
    link = page.split('data-testid="deactivate"')[0].rsplit('href="', 1)[1].split('"')[0]
    preview = client.get(link.replace("&amp;", "&"))
    assert preview.status_code == 200 and 'data-testid="save-form"' in preview.content.decode()
    client.post(
        reverse("routing:edit", args=[rule.pk]),
        {**_fields(rule, is_active=""), "version": _version(), "reason": "并入一般纠纷规则"},
    )
    rule.refresh_from_db()
    assert not rule.is_active
    entry = AuditEntry.objects.filter(kind=AuditKind.CONFIG_CHANGED).order_by("-seq").first()
    assert entry is not None and entry.detail["action"] == "deactivated"


def test_a_new_rule_is_added(client, world, dispatcher) -> None:
    client.force_login(dispatcher)
    fields = {
        "kind": "dispute",
        "category": "labour",
        "region": world.town_a.pk,
        "tier": "town",
        "lead_kind": "town_center",
        "assisting_kinds": ["human_resources", "justice_office"],
        "note": "下邽镇试点",
        "is_active": "on",
        "months": 6,
    }
    preview = client.get(reverse("routing:new"), {**fields, "preview": 1})
    assert preview.status_code == 200
    response = client.post(
        reverse("routing:new"), {**fields, "version": _version(), "reason": "试点镇街先调"}
    )
    added = DispatchRule.objects.get(note="下邽镇试点")
    assert response["Location"] == reverse("routing:rule", args=[added.pk])
    assert added.assisting_kinds == ["human_resources", "justice_office"]
    assert DispatchRuleRevision.objects.get(rule_id_ref=added.pk).reason == "试点镇街先调"


def test_a_duplicate_is_refused_with_a_message_and_nothing_written(
    client, world, dispatcher
) -> None:
    client.force_login(dispatcher)
    twin = _fields(_labour(), tier="town", note="重复")
    before = _counts()
    preview = client.get(reverse("routing:new"), {**twin, "preview": 1})
    assert preview.status_code == 400
    assert "该区域已有条件相同的规则" in preview.content.decode()
    save = client.post(reverse("routing:new"), {**twin, "version": _version(), "reason": "重复"})
    assert save.status_code == 400
    assert "该区域已有条件相同的规则" in save.content.decode()
    assert _counts() == before


def test_a_save_on_a_stale_preview_is_refused(client, world, dispatcher) -> None:
    client.force_login(dispatcher)
    rule = _labour()
    previewed = _version()
    medical = DispatchRule.objects.get(kind="dispute", category="medical")
    client.post(
        reverse("routing:edit", args=[medical.pk]),
        {**_fields(medical, note="医调委先行"), "version": previewed, "reason": "医调委进驻"},
    )
    before = _counts()
    save = client.post(
        reverse("routing:edit", args=[rule.pk]),
        {**_fields(rule, tier="town"), "version": previewed, "reason": "镇街先调"},
    )
    body = save.content.decode()
    assert save.status_code == 409
    assert "派单目录已被修改" in body
    assert f'name="version" value="{_version()}"' in body  # the preview again, on the new version
    assert "镇街先调" in body  # the reason typed is kept
    assert _counts() == before
    rule.refresh_from_db()
    assert rule.tier == "district"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tier": "town", "reason": ""}, "请填写修改原因"),
        ({"tier": "town", "reason": "   "}, "请填写修改原因"),
        ({"months": 25}, "24"),
        ({"months": 0}, "1"),
        ({"tier": "heaven"}, "选择一个有效的选项"),
        ({"assisting_kinds": ["human_resources"]}, "牵头单位类型不能同时是协办单位类型"),
        ({"note": "长" * 201}, "200"),
        ({}, "没有任何修改"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_writes_nothing(
    client, world, dispatcher, changes: dict[str, Any], message: str
) -> None:
    client.force_login(dispatcher)
    rule = _labour()
    base = {**_fields(rule), "version": _version(), "reason": "原因", **changes}
    before = _counts()
    response = client.post(reverse("routing:edit", args=[rule.pk]), base)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _counts() == before
