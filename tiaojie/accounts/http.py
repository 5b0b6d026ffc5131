"""Request type for views behind login: ``request.user`` is a staff User, never anonymous."""

from __future__ import annotations

from django.http import HttpRequest

from tiaojie.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
