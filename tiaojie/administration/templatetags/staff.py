from __future__ import annotations

from django import template

from tiaojie.accounts.roles import Role

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """The translated name of a role code (unknown codes as they are)."""
    try:
        return str(Role(code).label)
    except ValueError:
        return code
