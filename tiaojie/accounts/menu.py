"""The left menu: which pages each role reaches. Only pages that exist are listed."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.roles import (
    ACCOUNT_ADMIN_ROLES,
    CASEWORK_ROLES,
    DESK_ROLES,
    SUPERVISOR_ROLES,
    Role,
)


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: str | Promise
    url_name: str
    icon: str
    roles: frozenset[str]


MENU: tuple[MenuItem, ...] = (
    MenuItem("workbench", _("Workbench"), "cases:workbench", "speedometer2", frozenset(Role)),
    MenuItem(
        "window",
        _("Window registration"),
        "intake:window",
        "person-vcard",
        DESK_ROLES,
    ),
    MenuItem("cases", _("Cases"), "cases:list", "folder2-open", CASEWORK_ROLES),
    # 吹哨报到: check-ins on whistles, late and absent ones first (tiaojie/whistles).
    # Those who blow whistles, answer them or count them; not the window desk.
    MenuItem(
        "whistles",
        _("Whistles"),
        "whistles:list",
        "megaphone",
        CASEWORK_ROLES - {Role.WINDOW_CLERK},
    ),
    # The phone page for reports from the street (网格上报).
    MenuItem(
        "grid_report", _("Grid report"), "grid:report", "phone", frozenset({Role.GRID_WORKER})
    ),
    MenuItem(
        "ledger",
        _("Ledger import"),
        "ledger:index",
        "file-earmark-spreadsheet",
        DESK_ROLES,
    ),
    # 月度会商研判: the centers' monthly meeting; its tasks reach every unit that owns one.
    MenuItem(
        "meetings",
        _("Review meetings"),
        "meetings:list",
        "people",
        SUPERVISOR_ROLES,
    ),
    MenuItem(
        "meeting_tasks",
        _("Meeting tasks"),
        "meetings:tasks",
        "list-check",
        frozenset(CASEWORK_ROLES - {Role.GRID_WORKER}),
    ),
    # 三调度: switch the district or a town into urgent or wartime mode; the log.
    MenuItem(
        "modes",
        _("Dispatch mode"),
        "modes:index",
        "broadcast",
        SUPERVISOR_ROLES,
    ),
    # The dispatch catalogue (派单目录): read by these, changed by the district center's
    # dispatchers and leaders (tiaojie/routing/access.py).
    MenuItem(
        "routing",
        _("Dispatch catalogue"),
        "routing:rules",
        "signpost-split",
        SUPERVISOR_ROLES,
    ),
    MenuItem(
        "regions",
        _("Regions and grids"),
        "regions:tree",
        "diagram-3",
        frozenset(CASEWORK_ROLES | {Role.SYSADMIN}),
    ),
    MenuItem(
        "units",
        _("Units and staff"),
        "accounts:units",
        "building",
        SUPERVISOR_ROLES | ACCOUNT_ADMIN_ROLES,
    ),
    MenuItem(
        "staff_accounts",
        _("Staff accounts"),
        "administration:accounts",
        "person-gear",
        ACCOUNT_ADMIN_ROLES,
    ),
    # Background work that used all its attempts, and retrying it (the worker's operator).
    MenuItem(
        "work",
        _("Background work"),
        "administration:work",
        "gear-wide-connected",
        frozenset({Role.SYSADMIN}),
    ),
    MenuItem(
        "api", _("API documentation"), "api:openapi-view", "braces", frozenset({Role.SYSADMIN})
    ),
    # 三员分立: the security audit log is the auditor's alone.
    MenuItem("audit", _("Audit log"), "audit:log", "journal-check", frozenset({Role.AUDITOR})),
)


def menu_for(role_codes: frozenset[str]) -> list[MenuItem]:
    return [item for item in MENU if item.roles & role_codes]
