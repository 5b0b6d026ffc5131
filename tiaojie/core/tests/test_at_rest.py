"""Personal data at rest: the database file and a dump of it hold no ID or phone number in clear.

Everything the system stores about people goes in: a registered case with its parties, a
labelled case's health notes, a staff member's phone, a machine channel's queued request.
Then the whole database is read the way someone with a stolen file or backup would read
it: SQLite's file (a VACUUM INTO copy, every page) and its SQL dump; PostgreSQL's pg_dump.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.models import Person, Sensitivity
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.core.crypto import blind_index
from tiaojie.core.enums import CaseKind, Category, Channel
from tiaojie.intake.models import IntakeSource
from tiaojie.intake.signing import sign

pytestmark = pytest.mark.django_db(transaction=True)

ID_NUMBER = "11010519491231002X"
PHONE = "13987654321"
STAFF_PHONE = "13711112222"
INTAKE_ID = "610502198001011234"  # check digit computed below
NOTES = "重度抑郁，服药中"


def _valid_id(first17: str) -> str:
    from tiaojie.core.idnumber import check_digit

    return first17 + check_digit(first17)


def _store_everything(world) -> list[str]:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK, Role.DISPATCHER)
    clerk.phone = STAFF_PHONE
    clerk.sensitive_clearance = True
    clerk.save()
    case = services.register_case(
        actor=Actor(clerk),
        kind=CaseKind.DISPUTE,
        category=Category.NEIGHBOURHOOD,
        channel=Channel.WINDOW,
        title="邻里纠纷",
        description="楼上漏水。",
        region=world.village_a,
        address="下邽镇东庆村三组12号",
        parties=[
            PartyInput(name="张三", id_number=ID_NUMBER, phone=PHONE, address="东庆村三组12号")
        ],
    )
    services.set_label(
        case, actor=Actor(clerk), sensitivity=Sensitivity.SENSITIVE, notes=NOTES, reason="健康"
    )
    intake_id = _valid_id(INTAKE_ID[:17])
    IntakeSource.objects.create(
        code="hotline",
        name="12345",
        channel=Channel.HOTLINE,
        secret="s",
        unit=world.center,
        region=world.county,
    )
    body = json.dumps(
        {
            "kind": "dispute",
            "category": "labour",
            "title": "欠薪",
            "description": "拖欠工资",
            "parties": [{"name": "李四", "id_number": intake_id, "phone": "13600001111"}],
        },
        ensure_ascii=False,
    ).encode()
    stamp = str(int(time.time()))
    response = Client(HTTP_HOST="localhost").generic(
        "POST",
        "/api/v1/intake/cases",
        body,
        content_type="application/json",
        HTTP_X_TIAOJIE_SOURCE="hotline",
        HTTP_X_TIAOJIE_TIMESTAMP=stamp,
        HTTP_X_TIAOJIE_SIGNATURE=sign("s", stamp, "POST", "/api/v1/intake/cases", body),
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert response.status_code == 202
    return [ID_NUMBER, PHONE, STAFF_PHONE, intake_id, "13600001111", NOTES, "东庆村三组12号"]


def _assert_absent(dump: bytes, secrets: list[str], where: str) -> None:
    assert len(dump) > 10_000, f"{where} looks empty"
    for secret in secrets:
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in dump, f"{secret[:3]}… in clear in {where}"


def test_the_database_file_and_its_dump_hold_no_personal_data(world, tmp_path: Path) -> None:
    secrets = _store_everything(world)
    # Lookup by ID number still works, through the keyed hash, without decrypting anything.
    digest = blind_index(ID_NUMBER, purpose="id_number")
    assert Person.objects.get(id_number_hash=digest).name == "张三"

    if connection.vendor == "sqlite":
        copy = tmp_path / "copy.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(copy)])
        _assert_absent(copy.read_bytes(), secrets, "the SQLite file")
        dump = "\n".join(connection.connection.iterdump()).encode()
        _assert_absent(dump, secrets, "the SQLite dump")
    else:
        pg_dump = shutil.which("pg_dump") or next(
            iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))), None
        )
        if pg_dump is None:
            pytest.fail("pg_dump not found (apt-get install postgresql-client)")
        db = settings.DATABASES["default"]
        out = subprocess.run(  # noqa: S603 - pg_dump with our own test settings
            [
                pg_dump,
                "-h",
                db["HOST"],
                "-p",
                str(db["PORT"]),
                "-U",
                db["USER"],
                "--no-owner",
                connection.settings_dict["NAME"],
            ],
            env={**os.environ, "PGPASSWORD": db["PASSWORD"]},
            capture_output=True,
            check=True,
        ).stdout
        _assert_absent(out, secrets, "pg_dump")
