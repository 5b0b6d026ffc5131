"""The demo center: shaped like 临渭区's real figures, every role, type and channel.

Built once for this module at a quarter of the volume (every case goes through the real
services, which takes time) and removed afterwards. The figures scale with the volume by
construction, so a quarter-size center shows the same rates; `tiaojie demo` builds it whole.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import CASEWORK_ROLES, Role
from tiaojie.accounts.two_factor import current_code
from tiaojie.cases.models import Case, Person
from tiaojie.cases.workflow import Status
from tiaojie.core.enums import CaseKind, Category, Channel
from tiaojie.core.idnumber import is_valid_id_number, is_valid_mobile
from tiaojie.demo import catalogue
from tiaojie.demo.builder import build_demo, demo_accounts
from tiaojie.regions.models import Region, RegionLevel

from .test_demo_center import TODAY, wipe

pytestmark = pytest.mark.django_db

SCALE = 0.25


@pytest.fixture(scope="module")
def full_demo(django_db_setup: None, django_db_blocker, shared_data_dir: Path) -> Iterator[None]:
    with django_db_blocker.unblock():
        build_demo(today=TODAY, data_dir=shared_data_dir, scale=SCALE)
        yield
        wipe()


def _year(year: int) -> Q:
    return Q(received_at__year=year)


def test_2024_looks_like_linweis_real_year(full_demo: None) -> None:
    accepted = Case.objects.filter(_year(2024), accepted_at__isnull=False).count()
    assert 1_800 <= accepted / SCALE <= 1_900  # 临渭 2024: 1,855
    concluded = Case.objects.filter(_year(2024), concluded_at__isnull=False)
    resolved = concluded.exclude(status=Status.UNRESOLVED).count()
    rate = resolved / concluded.count()
    assert 0.995 <= rate <= 0.999  # 临渭 2024: 99.68%
    letters_visits = Q(channel__in=[Channel.LETTER, Channel.VISIT])
    lv_2023 = Case.objects.filter(_year(2023) & letters_visits).count()
    lv_2024 = Case.objects.filter(_year(2024) & letters_visits).count()
    assert -0.12 <= (lv_2024 - lv_2023) / lv_2023 <= -0.08  # 临渭 2024: −10.1%


def test_the_demo_spans_three_years_every_type_channel_and_outcome(full_demo: None) -> None:
    history = Case.objects.filter(received_at__year__in=[2023, 2024, 2025])
    assert history.count() / SCALE >= 3_000
    assert set(history.values_list("category", flat=True)) == set(Category.values)
    assert set(history.values_list("channel", flat=True)) == set(Channel.values)
    assert set(history.values_list("kind", flat=True)) == set(CaseKind.values)
    outcomes = set(Case.objects.values_list("status", flat=True))
    assert {
        Status.CLOSED,
        Status.UNRESOLVED,
        Status.DECLINED,
        Status.WITHDRAWN,
        Status.MERGED,
    } <= outcomes
    # The current workload gives the workbench something to show.
    assert Case.objects.filter(status__in=[Status.IN_PROGRESS, Status.REGISTERED]).exists()
    merged = Case.objects.filter(status=Status.MERGED)
    assert merged.exists() and not merged.filter(merged_into__isnull=True).exists()


def test_people_look_real_and_are_valid(full_demo: None) -> None:
    for person in Person.objects.order_by("id")[:300]:
        assert is_valid_id_number(person.id_number)
        assert is_valid_mobile(person.phone)
        assert 2 <= len(person.name) <= 3


def test_every_role_has_accounts_in_at_least_two_towns(full_demo: None) -> None:
    for role in CASEWORK_ROLES:
        towns = {
            u.unit.region.path.split("/")[1]
            for u in User.objects.filter(groups__name=role).select_related("unit__region")
            if u.unit and u.unit.region.level != RegionLevel.COUNTY
        }
        assert len(towns) >= 2, role
    for role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR):
        assert User.objects.filter(groups__name=role).count() == 1


def test_pilot_towns_have_grids_with_one_head_and_two_workers(full_demo: None) -> None:
    pilots = Region.objects.filter(is_pilot=True)
    assert set(pilots.values_list("name", flat=True)) == {"下邽镇", "桥南镇", "杜桥街道"}
    for town in pilots:
        grids = Region.objects.subtree(town).filter(level=RegionLevel.GRID)
        assert grids.exists()
        assert all(g.name_generated for g in grids)
        for grid in grids[:5]:
            duties = sorted(grid.grid_members.values_list("duty", flat=True))
            assert duties == ["full_time", "head", "part_time"]


def test_demo_accounts_sign_in_with_the_published_password(
    full_demo: None, client, settings
) -> None:
    # The demo was hashed with the real (Argon2) hasher, outside the per-test fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    step = client.post(
        "/accounts/login/", {"username": "xiagui_clerk", "password": catalogue.PASSWORD}
    )
    assert step["Location"] == "/workbench/"
    code_page = client.get("/workbench/", follow=True)
    assert "tiaojie totp" in code_page.content.decode()  # the demo says where codes come from
    # The code an authenticator app shows for the secret the demo prints.
    secret = next(a.totp_secret for a in demo_accounts() if a.username == "xiagui_clerk")
    code = current_code(TOTPDevice(key=base64.b32decode(secret).hex()))
    body = client.post(code_page.redirect_chain[-1][0], {"token": code}, follow=True)
    assert body.redirect_chain[-1][0] == "/workbench/"
    assert "演示数据" in body.content.decode()


def test_every_case_got_where_it_is_through_the_services(full_demo: None) -> None:
    from tiaojie.cases.history import verify_all
    from tiaojie.cases.models import CaseEvent

    assert list(verify_all()) == []
    assert not Case.objects.filter(event_count=0).exists()
    last_events = {
        case_id: to_status
        for case_id, to_status in CaseEvent.objects.order_by("case_id", "seq").values_list(
            "case_id", "to_status"
        )
    }
    for case_id, status in Case.objects.values_list("pk", "status"):
        assert last_events[case_id] == status
    # Steps happened in time order, and a case is closed after it was received.
    for case in Case.objects.filter(status=Status.CLOSED).order_by("?")[:50]:
        times = list(case.events.order_by("seq").values_list("at", flat=True))
        assert times == sorted(times) and case.closed_at >= case.received_at
