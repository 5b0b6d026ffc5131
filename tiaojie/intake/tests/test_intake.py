"""Machine channels: signed requests make one case each, however often they are retried."""

from __future__ import annotations

import json
import threading
import time
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from tiaojie.cases.models import Case, CaseEvent, Party
from tiaojie.core.enums import Channel
from tiaojie.intake.models import IntakeRequest, IntakeSource, IntakeStatus
from tiaojie.intake.services import process
from tiaojie.intake.signing import sign

URL = "/api/v1/intake/cases"
SECRET = "s3cret-for-tests-only"
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def source(world) -> IntakeSource:
    return world.hotline(SECRET)


def body_of(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "dispute",
        "category": "labour",
        "title": "工地欠薪",
        "description": "某工地拖欠农民工工资三个月。",
        "address": "下邽镇东庆村三组",
        "parties": [{"name": "王某", "id_number": ID_NUMBER, "phone": "13912345678"}],
    }
    body.update(overrides)
    return body


def post(
    client: Any,
    body: dict[str, Any] | bytes,
    *,
    key: str | None = "k-1",
    secret: str = SECRET,
    source: str = "hotline12345",
    timestamp: int | None = None,
) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        "HTTP_X_TIAOJIE_SOURCE": source,
        "HTTP_X_TIAOJIE_TIMESTAMP": stamp,
        "HTTP_X_TIAOJIE_SIGNATURE": sign(secret, stamp, "POST", URL, raw),
    }
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.generic("POST", URL, raw, content_type="application/json", **headers)


@pytest.mark.django_db
def test_a_signed_request_registers_a_case_with_channel_place_and_parties(
    client, world, source
) -> None:
    response = post(client, body_of())
    assert response.status_code == 202, response.content
    answer = response.json()
    assert answer["created"] is True and answer["status"] == "received"
    assert not Case.objects.exists()  # acknowledged and kept; the worker registers it
    assert process() == 1
    case = Case.objects.get(code=answer["code"])
    assert case.channel == Channel.HOTLINE
    assert case.region == world.village_a  # found from the address in words
    assert case.first_unit == world.center and case.registered_by is None
    (party,) = Party.objects.filter(case=case).select_related("person")
    assert party.person.id_number == ID_NUMBER and party.role == "applicant"
    assert CaseEvent.objects.filter(case=case, action="register").count() == 1


@pytest.mark.django_db
def test_retries_with_the_same_key_make_one_case(client, source) -> None:
    first = post(client, body_of())
    again = post(client, body_of())
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json() == {**first.json(), "created": False}
    process()
    after = post(client, body_of())
    assert after.json() == {**first.json(), "created": False, "status": "registered"}
    assert process() == 0
    assert Case.objects.count() == 1 and IntakeRequest.objects.count() == 1
    other = post(client, body_of(), key="k-2")
    assert other.status_code == 202 and process() == 1 and Case.objects.count() == 2


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused(client, source) -> None:
    post(client, body_of())
    response = post(client, body_of(title="另一件事"))
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    process()
    assert Case.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    ["wrong_secret", "unknown_source", "old_timestamp", "no_signature", "switched_off"],
)
def test_a_bad_signature_gets_401_and_writes_nothing(client, source, tamper: str) -> None:
    kwargs: dict[str, Any] = {}
    if tamper == "wrong_secret":
        kwargs["secret"] = "guess"
    elif tamper == "unknown_source":
        kwargs["source"] = "nobody"
    elif tamper == "old_timestamp":
        kwargs["timestamp"] = int(time.time()) - 3600
    elif tamper == "switched_off":
        source.is_active = False
        source.save()
    if tamper == "no_signature":
        response = client.post(URL, body_of(), content_type="application/json")
    else:
        response = post(client, body_of(), **kwargs)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert not Case.objects.exists() and not IntakeRequest.objects.exists()


@pytest.mark.django_db
def test_a_body_changed_after_signing_is_refused(client, source) -> None:
    raw = json.dumps(body_of(), ensure_ascii=False).encode()
    stamp = str(int(time.time()))
    response = client.generic(
        "POST",
        URL,
        raw.replace("工地".encode(), "工厂".encode()),
        content_type="application/json",
        HTTP_X_TIAOJIE_SOURCE="hotline12345",
        HTTP_X_TIAOJIE_TIMESTAMP=stamp,
        HTTP_X_TIAOJIE_SIGNATURE=sign(SECRET, stamp, "POST", URL, raw),
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert response.status_code == 401 and not Case.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "key", "status", "code"),
    [
        (body_of(), None, 400, "missing_idempotency_key"),
        (body_of(kind="gossip"), "k", 400, "unknown_kind"),
        (body_of(category="weather"), "k", 400, "unknown_category"),
        (body_of(region_code="999999999999"), "k", 400, "unknown_region"),
        (
            body_of(parties=[{"name": "王某", "id_number": "110105194912310021"}]),
            "k",
            400,
            "invalid_id_number",
        ),
        (body_of(parties=[{"name": "王某", "phone": "12345"}]), "k", 400, "invalid_phone"),
        (body_of(parties=[]), "k", 400, "no_applicant"),
        (body_of(title=""), "k", 422, "invalid_input"),
        (body_of(people_count=0), "k", 422, "invalid_input"),
        (b"{not json", "k", 400, "http_400"),
    ],
)
def test_bad_input_gets_a_json_error_and_nothing_is_written(
    client, source, body: Any, key: str | None, status: int, code: str
) -> None:
    response = post(client, body, key=key)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert not Case.objects.exists() and not Party.objects.exists()
    assert not IntakeRequest.objects.exists()


@pytest.mark.django_db
def test_a_video_alarm_needs_no_applicant(client, world) -> None:
    IntakeSource.objects.create(
        code="video",
        name="雪亮工程视频平台",
        channel=Channel.VIDEO,
        secret=SECRET,
        unit=world.center_a,
        region=world.town_a,
    )
    response = post(
        client,
        body_of(kind="hazard", category="other", parties=[], address="", risk_level="orange"),
        source="video",
    )
    assert response.status_code == 202, response.content
    process()
    case = Case.objects.get(code=response.json()["code"])
    assert (case.channel, case.region, case.risk_level) == (Channel.VIDEO, world.town_a, "orange")


@pytest.mark.django_db
def test_the_region_code_must_lie_in_the_sources_area(client, world) -> None:
    IntakeSource.objects.create(
        code="town_a",
        name="下邽镇转办",
        channel=Channel.REFERRAL,
        secret=SECRET,
        unit=world.center_a,
        region=world.town_a,
    )
    outside = post(client, body_of(region_code=world.village_b.code), source="town_a")
    assert outside.status_code == 400 and outside.json()["code"] == "unknown_region"
    inside = post(client, body_of(region_code=world.grid_a.code), source="town_a", key="k-2")
    process()
    assert Case.objects.get(code=inside.json()["code"]).region == world.grid_a


@pytest.mark.django_db
def test_sources_are_set_up_by_command_and_secrets_are_encrypted(world) -> None:
    out = StringIO()
    call_command(
        "intake",
        "add",
        "ref",
        "人社局转办",
        "--channel",
        "referral",
        "--unit",
        world.center.name,
        "--region",
        world.county.code,
        stdout=out,
    )
    secret = out.getvalue().split(": ", 1)[1].strip()
    assert IntakeSource.objects.get(code="ref").secret == secret
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM intake_intakesource WHERE code = 'ref'")
        assert secret not in cursor.fetchone()[0]
    call_command("intake", "rotate", "ref", stdout=StringIO())
    assert IntakeSource.objects.get(code="ref").secret != secret


@pytest.mark.django_db(transaction=True)
def test_racing_copies_of_one_request_make_one_case(world, source) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("threads racing on one key need PostgreSQL: run with .ci/with-postgres")
    from django.test import Client

    results: list[int] = []
    barrier = threading.Barrier(8)

    def send() -> None:
        barrier.wait()
        try:
            results.append(post(Client(), body_of()).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200] * 7 + [202]
    assert IntakeRequest.objects.count() == 1
    process()
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_acknowledged_requests_are_kept_encrypted_until_registered(client, source) -> None:
    code = post(client, body_of()).json()["code"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM intake_intakerequest")
        stored = cursor.fetchone()[0]
    assert ID_NUMBER not in stored and "13912345678" not in stored
    assert process() == 1
    request = IntakeRequest.objects.get()
    assert request.status == IntakeStatus.REGISTERED and request.case.code == code


@pytest.mark.django_db
def test_a_request_that_cannot_be_registered_is_retried_then_set_aside(
    client, world, source, monkeypatch
) -> None:
    post(client, body_of())
    from tiaojie.intake import services as intake_services

    def broken(request: Any) -> Any:
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(intake_services, "_register", broken)
    for _ in range(intake_services.MAX_ATTEMPTS):
        assert process() == 0
    request = IntakeRequest.objects.get()
    assert request.status == IntakeStatus.FAILED and "database hiccup" in request.error
    assert request.attempts == intake_services.MAX_ATTEMPTS
    monkeypatch.undo()
    assert process() == 0  # set aside: nothing retries it until someone looks
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_worker_registers_what_machines_sent(client, source) -> None:
    answer = post(client, body_of()).json()
    call_command("worker", burst=True)  # its sweep registers received requests
    assert Case.objects.filter(code=answer["code"]).exists()
