"""Personal data at rest: AES-256-GCM field encryption with key ids, and blind indexes.

Stored form: ``gcm1$<key id>$<base64(nonce ‖ ciphertext ‖ tag)>``. The column name is bound
in as associated data, so a ciphertext copied into another column does not decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

PREFIX = "gcm1"


class DecryptionError(Exception):
    """Stored data does not decrypt: wrong key, unknown key id or tampering."""


@lru_cache(maxsize=8)
def _ciphers(keys: tuple[tuple[str, str], ...]) -> dict[str, AESGCM]:
    return {key_id: AESGCM(base64.b64decode(value)) for key_id, value in keys}


def _keyring() -> tuple[str, dict[str, AESGCM]]:
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
