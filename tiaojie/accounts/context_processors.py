"""The left menu for the signed-in user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tiaojie.accounts.menu import menu_for
from tiaojie.accounts.notify import unread_count
from tiaojie.accounts.roles import Role


def menu(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "user_roles": []}
    roles = [(role.value, role.label) for role in Role if role.value in user.role_codes]
    match = request.resolver_match
    active = ""
    if match:
        active = {
            "cases": "cases",
            "regions": "regions",
            "ledger": "ledger",
            "routing": "routing",
            "administration": "staff_accounts",
            "audit": "audit",
            "modes": "modes",
        }.get(match.namespace, match.url_name or "")
    return {
        "menu": menu_for(user.role_codes),
        "user_roles": roles,
        "active_menu": active,
        "unread_count": unread_count(user),
    }
