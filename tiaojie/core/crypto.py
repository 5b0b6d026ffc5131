"""Personal data at rest: authenticated field encryption with key ids, and blind indexes.

Stored form: ``gcm1$<key id>$<base64(nonce ‖ ciphertext ‖ tag)>``. The column name is bound
in as associated data, so a ciphertext copied into another column does not decrypt.

Each key names its cipher: AES-256-GCM by default, or SM4-GCM (国密, GB/T 32907) where the
deployment requires it (``TIAOJIE_FIELD_KEYS="k2:sm4:<base64 16 bytes>,k1:<base64 32 bytes>"``).
Both are GCM with a 12-byte nonce and a 16-byte tag, so the stored form is the same and a key
ring may mix them: rotating from AES to SM4 is adding an SM4 key in front and running
``tiaojie rotate-keys``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

PREFIX = "gcm1"


class DecryptionError(Exception):
    """Stored data does not decrypt: wrong key, unknown key id or tampering."""


SM4_PREFIX = "sm4:"
_TAG = 16


class SM4GCM:
    """SM4 in GCM mode with the interface of ``AESGCM`` (``cryptography`` has no AEAD class
    for SM4, only the block cipher and the mode, which OpenSSL implements)."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 16:
            raise ValueError("SM4 keys are 16 bytes")
        self._key = key

    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes) -> bytes:
        encryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(associated_data)
        return encryptor.update(data) + encryptor.finalize() + encryptor.tag

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes) -> bytes:
        if len(data) < _TAG:
            raise InvalidTag
        decryptor = Cipher(
            algorithms.SM4(self._key), modes.GCM(nonce, data[-_TAG:], min_tag_length=_TAG)
        ).decryptor()
        decryptor.authenticate_additional_data(associated_data)
        return decryptor.update(data[:-_TAG]) + decryptor.finalize()


def make_cipher(spec: str) -> AESGCM | SM4GCM:
    """The cipher for one key as configured: ``base64`` (AES-256) or ``sm4:base64``."""
    if spec.startswith(SM4_PREFIX):
        return SM4GCM(base64.b64decode(spec[len(SM4_PREFIX) :]))
    return AESGCM(base64.b64decode(spec))


@lru_cache(maxsize=8)
def _ciphers(keys: tuple[tuple[str, str], ...]) -> dict[str, AESGCM | SM4GCM]:
    return {key_id: make_cipher(spec) for key_id, spec in keys}


def active_key_id() -> str:
    return next(iter(settings.TIAOJIE_FIELD_KEYS))


def _keyring() -> tuple[str, dict[str, AESGCM | SM4GCM]]:
    keys = tuple(settings.TIAOJIE_FIELD_KEYS.items())
    return keys[0][0], _ciphers(keys)


def encrypt(plaintext: str, *, context: str) -> str:
    key_id, ciphers = _keyring()
    nonce = os.urandom(12)
    sealed = ciphers[key_id].encrypt(nonce, plaintext.encode(), context.encode())
    return f"{PREFIX}${key_id}${base64.b64encode(nonce + sealed).decode()}"


def key_id_of(stored: str) -> str:
    return stored.split("$", 2)[1]


def decrypt(stored: str, *, context: str) -> str:
    try:
        prefix, key_id, payload = stored.split("$", 2)
    except ValueError:
        raise DecryptionError("not an encrypted value") from None
    _active, ciphers = _keyring()
    if prefix != PREFIX or key_id not in ciphers:
        raise DecryptionError(f"unknown key id {key_id!r}")
    raw = base64.b64decode(payload)
    try:
        return ciphers[key_id].decrypt(raw[:12], raw[12:], context.encode()).decode()
    except InvalidTag:
        raise DecryptionError("ciphertext does not verify") from None


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed hash for exact lookup without decrypting (HMAC-SHA256, per purpose)."""
    key = base64.b64decode(settings.TIAOJIE_BLIND_INDEX_KEY)
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; only ``isnull`` and exact-empty lookups make sense."""

    def contribute_to_class(
        self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any
    ) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)
        self._context = f"{cls._meta.label_lower}.{name}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value, context=self._context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value), context=self._context)


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every encrypted column of every installed model."""
    from django.apps import apps

    return [
        (model, f)
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedTextField)
    ]


def reencrypt_all(*, batch: int = 500) -> dict[str, int]:
    """Re-encrypt every value not sealed with the active key; returns counts per column.

    Raw SQL, a batch per transaction, and each UPDATE only if the value is still the one
    read, so a row changed meanwhile is left as its writer sealed it (with the active key).
    Safe to interrupt and to run again: what is done is not redone.
    """
    from django.db import connection, transaction

    active = active_key_id()
    qn = connection.ops.quote_name
    done: dict[str, int] = {}
    for model, f in encrypted_fields():
        pk_field = model._meta.pk
        table = qn(model._meta.db_table)
        column = qn(f.column or f.attname)
        pk = qn(pk_field.column or pk_field.attname) if pk_field else "id"
        select = (
            f"SELECT {pk}, {column} FROM {table} WHERE {pk} > %s AND {column} <> ''"  # noqa: S608
            f" AND {column} NOT LIKE %s ORDER BY {pk} LIMIT %s"
        )
        update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"  # noqa: S608
        count, last = 0, 0
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(select, [last, f"{PREFIX}${active}$%", batch])
                rows = cursor.fetchall()
                for row_pk, stored in rows:
                    fresh = encrypt(decrypt(stored, context=f._context), context=f._context)
                    cursor.execute(update, [fresh, row_pk, stored])
                    count += cursor.rowcount
            if len(rows) < batch:
                break
            last = rows[-1][0]
        done[f"{model._meta.label_lower}.{f.name}"] = count
    return done
