"""Who may read and who may change the dispatch catalogue.

The catalogue decides where every case of the district goes, so only the district center's
dispatchers and leaders change it. Those who work with its proposals or oversee them read it:
dispatchers and town center staff (who confirm or override a proposal), leaders and
inspectors. Anyone else gets 404 for the catalogue's pages (their existence is none of their
business); a reader gets 403 for the pages that change it.
"""

from __future__ import annotations

from typing import Any

from tiaojie.accounts.models import UnitKind
from tiaojie.accounts.roles import DIRECTOR_ROLES, SUPERVISOR_ROLES

EDIT_ROLES = DIRECTOR_ROLES
READ_ROLES = SUPERVISOR_ROLES


def may_read(user: Any) -> bool:
    return bool(getattr(user, "unit_id", None)) and bool(user.role_codes & READ_ROLES)


def may_edit(user: Any) -> bool:
    return (
        may_read(user)
        and bool(user.role_codes & EDIT_ROLES)
        and user.unit.kind == UnitKind.DISTRICT_CENTER
    )
