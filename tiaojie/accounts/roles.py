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
# The named sets every app uses: one place, so two copies cannot drift apart.
# The center's desk: registers walk-ins, calls and letters, accepts or declines, follows up,
# imports a ledger.
DESK_ROLES = frozenset({Role.WINDOW_CLERK, Role.DISPATCHER, Role.TOWN_STAFF})
REGISTER_ROLES = DESK_ROLES
# Who assigns cases to units (交办) and merges them: the center's dispatchers.
DISPATCH_ROLES = frozenset({Role.DISPATCHER, Role.TOWN_STAFF})
# Who works a case in its lead unit: check in, sessions, resolve, suspend.
WORKER_ROLES = frozenset({Role.HANDLER, Role.MEDIATOR, Role.TOWN_STAFF, Role.DISPATCHER})
# Who decides at a center: moves cases between tiers, sets risk, closes, runs reviews and
# meetings, switches a town's dispatch mode.
TIER_MOVER_ROLES = frozenset({Role.DISPATCHER, Role.TOWN_STAFF, Role.LEADER})
# Who directs the district's dispatching: edits the dispatch catalogue, switches the
# district's mode.
DIRECTOR_ROLES = frozenset({Role.DISPATCHER, Role.LEADER})
# Who supervises (督办) and reads the centers' own pages: modes, catalogue, meetings.
SUPERVISOR_ROLES = frozenset({Role.DISPATCHER, Role.LEADER, Role.INSPECTOR, Role.TOWN_STAFF})
# Who may unlock, deactivate and reset other people's sign-in (三员分立: the system and
# security administrators, never the auditor).
ACCOUNT_ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN})


def roles_conflict(roles: set[str]) -> str | None:
    """Why this set of roles cannot be held by one person, or None if it can."""
    admin = {r for r in roles if r in ADMIN_ROLES}
    if len(admin) > 1:
        return "separated_admin_duties"
    if admin and roles - admin:
        return "admin_with_casework"
    return None
