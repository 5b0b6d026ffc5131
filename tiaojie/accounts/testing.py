"""Signing staff in from tests and benchmarks: the one place that passes the second factor.

``StaffClient.force_login`` leaves the session as a real sign-in would after the code step
(django-otp's login helper marks it verified), so tests about something else need not type
codes. Tests about signing in use the plain ``django.test.Client`` and the real pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest
from django.test import Client
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiaojie.accounts import two_factor
from tiaojie.accounts.models import User


def authenticator(user: User) -> TOTPDevice:
    """The user's confirmed TOTP device, created if they have none."""
    device = two_factor.confirmed_totp(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=two_factor.DEVICE_NAME, confirmed=True)
    return device


class StaffClient(Client):
    """A test client whose ``force_login`` signs in with both factors."""

    def force_login(self, user: Any, backend: str | None = None) -> None:
        super().force_login(user, backend)
        session = self.session
        request = HttpRequest()
        request.session = session
        request.user = user
        assert session[SESSION_KEY] == str(user.pk)
        otp_login(request, authenticator(user))
        session.save()
