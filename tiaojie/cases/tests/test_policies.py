"""The default deadline policies are rows from the start, and asking for one only reads."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tiaojie.cases import policies
from tiaojie.cases.models import DeadlinePolicy
from tiaojie.core import cache

pytestmark = pytest.mark.django_db


def test_the_migrations_write_every_default_policy() -> None:
    assert set(policies.DEFAULTS) <= set(DeadlinePolicy.objects.values_list("code", flat=True))


def test_asking_for_a_policy_writes_nothing() -> None:
    cache.clear_all()
    with CaptureQueriesContext(connection) as seen:
        for code in policies.DEFAULTS:
            assert policies.policy(code).code == code
    writes = [q["sql"] for q in seen.captured_queries if not q["sql"].startswith("SELECT")]
    assert writes == []


def test_defaults_missing_after_a_flush_come_back_on_first_use() -> None:
    policies.policy("accept")  # cached while the rows were there
    DeadlinePolicy.objects.all().delete()  # as `flush` leaves the table, bump and all

    handed_out = policies.policy("follow_up")

    assert DeadlinePolicy.objects.filter(pk=handed_out.pk, code="follow_up").exists()
    assert set(policies.DEFAULTS) <= set(DeadlinePolicy.objects.values_list("code", flat=True))
    assert DeadlinePolicy.objects.filter(pk=policies.policy("accept").pk).exists()


def test_an_edited_default_is_kept() -> None:
    DeadlinePolicy.objects.filter(code="accept").update(days=2)
    policies.write_missing_defaults()
    assert DeadlinePolicy.objects.get(code="accept").days == 2


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(KeyError):
        policies.policy("no_such_policy")
