"""Personal data is stored encrypted, found by exact value, and readable after key rotation."""

from __future__ import annotations

import base64
import os

import pytest
from django.db import connection

from tiaojie.cases.models import Person
from tiaojie.core.crypto import DecryptionError, blind_index, decrypt, encrypt, key_id_of

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
PHONE = "13812341234"


def _person() -> Person:
    return Person.objects.create(
        name="张三",
        id_number=ID_NUMBER,
        id_number_hash=blind_index(ID_NUMBER, purpose="id_number"),
        phone=PHONE,
        phone_hash=blind_index(PHONE, purpose="phone"),
        address="临渭区下邽镇东庆村三组12号",
    )


def test_the_database_holds_no_plaintext(db) -> None:
    person = _person()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, address FROM cases_person WHERE id = %s", [person.pk]
        )
        row = cursor.fetchone()
    assert ID_NUMBER not in repr(row) and PHONE not in repr(row) and "东庆村" not in repr(row)
    assert all(value.startswith("gcm1$") for value in row)
    assert Person.objects.get(pk=person.pk).id_number == ID_NUMBER


def test_a_person_is_found_by_id_number_without_decrypting(db) -> None:
    person = _person()
    found = Person.objects.get(
        id_number_hash=blind_index(ID_NUMBER.lower().upper(), purpose="id_number")
    )
    assert found == person


def test_a_ciphertext_moved_to_another_column_does_not_decrypt() -> None:
    sealed = encrypt(PHONE, context="cases.person.phone")
    with pytest.raises(DecryptionError):
        decrypt(sealed, context="cases.person.address")


def test_tampering_is_detected() -> None:
    sealed = encrypt(PHONE, context="x")
    prefix, key_id, payload = sealed.split("$")
    raw = bytearray(base64.b64decode(payload))
    raw[-1] ^= 1
    with pytest.raises(DecryptionError):
        decrypt(f"{prefix}${key_id}${base64.b64encode(bytes(raw)).decode()}", context="x")


def test_old_rows_still_read_after_a_new_key_is_added(db, settings) -> None:
    person = _person()
    old_keys = dict(settings.TIAOJIE_FIELD_KEYS)
    new_key = base64.b64encode(os.urandom(32)).decode()
    settings.TIAOJIE_FIELD_KEYS = {"k2": new_key, **old_keys}
    assert Person.objects.get(pk=person.pk).phone == PHONE
    assert key_id_of(encrypt("x", context="y")) == "k2"
