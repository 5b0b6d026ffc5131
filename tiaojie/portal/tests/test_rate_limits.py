"""Too many tries from one address, for one phone or against one case: a friendly 429."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection

from tiaojie.cases.models import Case

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _track(client, case_code: str, query_code: str, ip: str):
    data = {"case_code": case_code, "query_code": query_code}
    return client.post("/public/track/", data, REMOTE_ADDR=ip)


def _limited(response) -> bool:
    return response.status_code == 429 and "操作太频繁" in response.content.decode()


def test_lookups_from_one_address_are_limited_until_the_hour_is_over(
    client, submit, settings, freeze
) -> None:
    settings.TIAOJIE_PORTAL_LOOKUPS_PER_IP_HOUR = 3
    with freeze(START) as clock:
        _r, code, query = submit()
        answers = [_track(client, code, query, "10.1.1.1") for _ in range(4)]

        assert [a.status_code for a in answers[:3]] == [200, 200, 200]
        assert _limited(answers[3]) and code not in answers[3].content.decode()
        assert 0 < int(answers[3]["Retry-After"]) <= 3600
        # Another address is not held up by this one.
        assert _track(client, code, query, "10.1.1.2").status_code == 200
        # The count holds for the whole hour (the database cache keeps it that long) …
        clock.tick(dt.timedelta(minutes=30))
        assert _limited(_track(client, code, query, "10.1.1.1"))
        # … and the next hour starts afresh.
        clock.tick(dt.timedelta(minutes=30))
        assert _track(client, code, query, "10.1.1.1").status_code == 200


def test_wrong_codes_for_one_case_lock_its_lookup_from_everywhere(
    client, submit, settings, freeze
) -> None:
    settings.TIAOJIE_PORTAL_FAILED_LOOKUPS_PER_CASE_DAY = 2
    with freeze(START) as clock:
        _r, code, query = submit()
        for ip in ("10.2.0.1", "10.2.0.2"):
            assert _track(client, code, "ABCD-EFGH-JKMN", ip).status_code == 400
        # Now even the right code waits, from any address: guessing has stopped.
        assert _limited(_track(client, code, query, "10.2.0.3"))
        # A case nobody guessed at is not affected.
        _r, other, other_query = submit(phone="13912345670")
        assert _track(client, other, other_query, "10.2.0.3").status_code == 200
        clock.tick(dt.timedelta(days=1))
        assert _track(client, code, query, "10.2.0.3").status_code == 200


def test_right_codes_do_not_count_against_the_case(client, submit, settings) -> None:
    settings.TIAOJIE_PORTAL_FAILED_LOOKUPS_PER_CASE_DAY = 2
    _r, code, query = submit()
    for i in range(4):
        assert _track(client, code, query, f"10.3.0.{i}").status_code == 200


def test_submissions_from_one_address_are_limited(submit, settings) -> None:
    settings.TIAOJIE_PORTAL_SUBMITS_PER_IP_HOUR = 2
    answers = [submit(ip="10.4.0.1", phone=f"1391234567{i}")[0] for i in range(3)]

    assert [a.status_code for a in answers[:2]] == [200, 200]
    assert _limited(answers[2])
    assert Case.objects.count() == 2


def test_submissions_for_one_phone_are_limited_from_any_address(submit, settings) -> None:
    settings.TIAOJIE_PORTAL_SUBMITS_PER_PHONE_DAY = 1
    first = submit(ip="10.5.0.1")[0]
    second = submit(ip="10.5.0.2")[0]
    other_phone = submit(ip="10.5.0.2", phone="13912345670")[0]

    assert first.status_code == 200 and _limited(second) and other_phone.status_code == 200
    assert Case.objects.count() == 2


def test_ratings_count_as_lookups(client, submit, settings) -> None:
    settings.TIAOJIE_PORTAL_LOOKUPS_PER_IP_HOUR = 1
    _r, code, query = submit()
    assert _track(client, code, query, "10.6.0.1").status_code == 200
    data = {"case_code": code, "query_code": query, "satisfaction": "satisfied"}
    assert _limited(client.post("/public/rate/", data, REMOTE_ADDR="10.6.0.1"))


def test_the_counts_live_in_the_database_for_every_worker(client, submit) -> None:
    submit(ip="10.7.0.1")
    cache = caches["ratelimit"]
    assert isinstance(cache, DatabaseCache)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM tiaojie_ratelimit_cache")
        keys = [row[0] for row in cursor.fetchall()]
    # Counted, and under keyed hashes: neither the address nor the phone is in a key.
    assert any("submit_ip" in k for k in keys) and any("submit_phone" in k for k in keys)
    assert not any("10.7.0.1" in k or "1391234" in k for k in keys)
