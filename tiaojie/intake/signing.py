"""Request signatures for machine channels: HMAC-SHA256 over the request, per source.

The sender computes::

    string_to_sign = timestamp + "\n" + method + "\n" + path + "\n" + sha256_hex(body)
    signature      = hex(HMAC-SHA256(secret, string_to_sign))

and sends the headers ``X-Tiaojie-Source`` (its code), ``X-Tiaojie-Timestamp`` (Unix
seconds) and ``X-Tiaojie-Signature``. A timestamp more than ``MAX_SKEW`` seconds away
from ours is refused, so a captured request cannot be replayed later; within that window
the idempotency key makes a replay harmless.
"""

from __future__ import annotations

import hashlib
import hmac

MAX_SKEW = 300


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def string_to_sign(timestamp: str, method: str, path: str, body: bytes) -> bytes:
    return f"{timestamp}\n{method.upper()}\n{path}\n{body_digest(body)}".encode()


def sign(secret: str, timestamp: str, method: str, path: str, body: bytes) -> str:
    return hmac.new(
        secret.encode(), string_to_sign(timestamp, method, path, body), hashlib.sha256
    ).hexdigest()


def verify(
    secret: str, signature: str, timestamp: str, method: str, path: str, body: bytes, now: float
) -> bool:
    try:
        skew = abs(now - int(timestamp))
    except ValueError:
        return False
    if skew > MAX_SKEW:
        return False
    expected = sign(secret, timestamp, method, path, body)
    return hmac.compare_digest(expected, signature.strip().lower())
