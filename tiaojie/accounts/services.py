"""Writes to accounts: the role groups."""

from __future__ import annotations

from django.contrib.auth.models import Group

from tiaojie.accounts.roles import Role


def role_groups() -> dict[str, Group]:
    """One auth group per role, keyed by role code; creates any that are missing.

    The migration creates them, but a test flush or a hand-cleaned database may not have them.
    """
    groups = {g.name: g for g in Group.objects.filter(name__in=list(Role))}
    for role in Role:
        if role.value not in groups:
            groups[role.value] = Group.objects.create(name=role.value)
    return groups
