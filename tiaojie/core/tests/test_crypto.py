"""Personal data is stored encrypted, found by exact value, and readable after key rotation."""

from __future__ import annotations

import base64
import os

import pytest
from django.core.management import call_command
from django.db import connection

from tiaojie.cases.models import Person
from tiaojie.core.crypto import (
    SM4GCM,
    DecryptionError,
    blind_index,
    decrypt,
    encrypt,
    key_id_of,
)

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


def _stored(person: Person) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, address FROM cases_person WHERE id = %s", [person.pk]
        )
        return list(cursor.fetchone())


def test_rotation_re_encrypts_every_value_and_the_old_key_can_then_go(db, settings) -> None:
    person = _person()
    old_keys = dict(settings.TIAOJIE_FIELD_KEYS)
    old_id = next(iter(old_keys))
    before = _stored(person)
    assert {key_id_of(v) for v in before} == {old_id}
    settings.TIAOJIE_FIELD_KEYS = {"k9": base64.b64encode(os.urandom(32)).decode(), **old_keys}
    call_command("rotate-keys", "--batch", "1")
    after = _stored(person)
    assert {key_id_of(v) for v in after} == {"k9"}
    assert set(after).isdisjoint(before)
    settings.TIAOJIE_FIELD_KEYS = {"k9": settings.TIAOJIE_FIELD_KEYS["k9"]}  # old key removed
    again = Person.objects.get(pk=person.pk)
    assert (again.id_number, again.phone) == (ID_NUMBER, PHONE)
    # A second run finds nothing left to do.
    from tiaojie.core.crypto import reencrypt_all

    assert set(reencrypt_all().values()) == {0}


def test_sm4_keys_encrypt_and_a_ring_may_mix_them_with_aes(db, settings) -> None:
    person = _person()  # sealed with the AES key
    aes = dict(settings.TIAOJIE_FIELD_KEYS)
    settings.TIAOJIE_FIELD_KEYS = {"g1": "sm4:" + base64.b64encode(os.urandom(16)).decode(), **aes}
    sealed = encrypt(PHONE, context="cases.person.phone")
    assert key_id_of(sealed) == "g1"
    assert decrypt(sealed, context="cases.person.phone") == PHONE
    with pytest.raises(DecryptionError):
        decrypt(sealed, context="cases.person.address")
    assert Person.objects.get(pk=person.pk).phone == PHONE  # old AES rows still read
    call_command("rotate-keys")
    assert {key_id_of(v) for v in _stored(person)} == {"g1"}
    assert Person.objects.get(pk=person.pk).address == "临渭区下邽镇东庆村三组12号"


def test_sm4_gcm_matches_the_standard_test_vector() -> None:
    # RFC 8998 appendix A.1 (SM4-GCM for TLS 1.3).
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    nonce = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    plain = bytes.fromhex(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
    )
    sealed = SM4GCM(key).encrypt(nonce, plain, aad)
    assert sealed[:-16].hex().upper() == (
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
    )
    assert sealed[-16:].hex().upper() == "83DE3541E4C2B58177E065A9BF7B62EC"
    assert SM4GCM(key).decrypt(nonce, sealed, aad) == plain
