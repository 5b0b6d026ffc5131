"""Text-message senders. Which one runs is configuration (TIAOJIE_SMS_BACKEND), not code.

- ``log`` (the default, and the demo's): writes a log line with the phone masked.
- ``http``: POSTs JSON to the operator's SMS gateway (TIAOJIE_SMS_URL, TIAOJIE_SMS_TOKEN,
  and the field names the gateway expects), as China's SMS platforms take it.

Every message carries a stable key (``SmsMessage.message_key``): delivery is at least once,
and the gateway drops a message whose key it has seen (TIAOJIE_SMS_KEY_FIELD, _HEADER).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings

from tiaojie.core.idnumber import mask_phone

log = logging.getLogger("tiaojie.sms")


class SmsSendError(Exception):
    """The gateway refused or could not be reached; the message is retried later."""


class SmsGatewayDown(SmsSendError):
    """The gateway could not be reached (or timed out): the other messages wait too."""


# Answers that say the gateway itself is unwell, not that it refused this message.
_DOWN = {502, 503, 504}


class SmsBackend(Protocol):
    def send(self, phone: str, text: str, *, key: str) -> None: ...


class LogBackend:
    """Sends nothing; records that a message would have gone out."""

    def send(self, phone: str, text: str, *, key: str) -> None:
        log.info("SMS %s to %s: %s", key, mask_phone(phone), text)


class HttpGatewayBackend:
    """A JSON POST to the gateway; any 2xx answer counts as accepted."""

    def __init__(self) -> None:
        self.url = settings.TIAOJIE_SMS_URL
        self.token = settings.TIAOJIE_SMS_TOKEN
        self.phone_field = settings.TIAOJIE_SMS_PHONE_FIELD
        self.text_field = settings.TIAOJIE_SMS_TEXT_FIELD
        self.key_field = settings.TIAOJIE_SMS_KEY_FIELD
        self.key_header = settings.TIAOJIE_SMS_KEY_HEADER

    def send(self, phone: str, text: str, *, key: str) -> None:
        fields = {self.phone_field: phone, self.text_field: text}
        if self.key_field:
            fields[self.key_field] = key
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"}
        if self.key_header:
            headers[self.key_header] = key
        request = urllib.request.Request(  # noqa: S310 - the URL is the admin's configured gateway
            self.url,
            data=json.dumps(fields, ensure_ascii=False).encode(),
            headers=headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError as exc:  # refused, unreachable, timed out
            raise SmsGatewayDown(type(exc).__name__) from exc
        if status in _DOWN:
            raise SmsGatewayDown(f"gateway answered {status}")
        if not 200 <= status < 300:
            raise SmsSendError(f"gateway answered {status}")


def backend() -> SmsBackend:
    if settings.TIAOJIE_SMS_BACKEND == "http":
        return HttpGatewayBackend()
    return LogBackend()
