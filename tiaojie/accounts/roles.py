"""The roles of DESIGN §1. Each role is a Django auth Group whose name is the role code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WINDOW_CLERK = "window_clerk", _("Window clerk")
    DISPATCHER = "dispatcher", _("Dispatcher")
    MEDIATOR = "mediator", _("Mediator")
    HANDLER = "handler", _("Department handler")
    TOWN_STAFF = "town_staff", _("Town center staff")
    GRID_WORKER = "grid_worker", _("Grid worker")
    LEADER = "leader", _("Leader")
    INSPECTOR = "inspector", _("Inspector")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Security auditor")


# 三员分立: the three administrators are separate people and never read case contents.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
CASEWORK_ROLES = frozenset(set(Role) - ADMIN_ROLES)
# Who registers walk-ins, calls and letters at the window: the center's desk.
REGISTER_ROLES = frozenset({Role.WINDOW_CLERK, Role.TOWN_STAFF, Role.DISPATCHER})


def roles_conflict(roles: set[str]) -> str | None:
    """Why this set of roles cannot be held by one person, or None if it can."""
    admin = {r for r in roles if r in ADMIN_ROLES}
    if len(admin) > 1:
        return "separated_admin_duties"
    if admin and roles - admin:
        return "admin_with_casework"
    return None
