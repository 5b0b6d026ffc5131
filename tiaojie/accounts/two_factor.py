"""Second factor (django-otp): one TOTP device per user plus one-time backup codes.

A device is created unconfirmed when enrolment starts and confirmed by the first good code.
Codes are single use: a TOTP code moves the device's ``last_t`` past its time step, so the
same code (or an older one) never verifies again; a backup code is deleted when it is used.
Wrong codes slow the device down (django-otp throttling) and count towards the lockout.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import time
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiaojie.accounts.models import User


class TwoFactorAction(models.TextChoices):
    """What changed about a user's second factor (the audit log's vocabulary)."""

    ENROLLED = "enrolled", _("Authenticator added")
    BACKUP_CODES_RENEWED = "backup_codes_renewed", _("Backup codes renewed")
    RESET = "reset", _("Second factor reset")


DEVICE_NAME = "authenticator"


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_totp(user: User) -> TOTPDevice:
    """The device being enrolled: one unconfirmed device per user, kept across page loads."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret(device: TOTPDevice) -> str:
    """The key as an authenticator app wants it typed: base32 in groups of four."""
    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> bytes:
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def current_code(device: TOTPDevice, at: float | None = None) -> str:
    """The code an authenticator app shows now (tests, and `tiaojie totp` in the demo)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def new_backup_codes(user: User) -> list[str]:
    """Replace the user's backup codes with fresh ones and return them (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="backup", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(settings.TIAOJIE_BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(user: User, token: str) -> TOTPDevice | StaticDevice | None:
    """The confirmed device that accepts this code (and uses it up), or None."""
    token = "".join(token.split()).lower()
    if not token:
        return None
    with transaction.atomic():
        # Locked rows: two requests with the same code cannot both win.
        if token.isdigit() and len(token) == 6:
            devices: list[TOTPDevice | StaticDevice] = list(
                TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
            )
        else:
            devices = list(
                StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
            )
        for device in devices:
            if device.verify_token(token):
                return device
    return None


def confirm(device: TOTPDevice, token: str) -> bool:
    """Confirm an enrolment with the first code from the app; drops any older device."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed or not device.verify_token("".join(token.split())):
            return False
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def remove_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def demo_key(username: str) -> str:
    """A demo account's TOTP key: derived from its name, so a rebuilt demo keeps its codes.

    Demo only: anyone who reads this function can compute the codes, which is the point of a
    demo anyone can try.
    """
    return hmac.new(b"tiaojie-demo-totp", username.encode(), hashlib.sha1).hexdigest()
