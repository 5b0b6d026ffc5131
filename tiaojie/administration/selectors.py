"""Reads for the administration screens. Personal data leaves here masked only."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tiaojie.accounts.models import User


def staff_accounts(
    *, q: str = "", unit: int | None = None, role: str = "", active: str = ""
) -> QuerySet[User]:
    users = User.objects.select_related("unit").prefetch_related("groups").order_by("username")
    if q := q.strip():
        users = users.filter(Q(username__icontains=q) | Q(real_name__icontains=q))
    if unit:
        users = users.filter(unit_id=unit)
    if role:
        users = users.filter(groups__name=role)
    if active in ("1", "0"):
        users = users.filter(is_active=active == "1")
    return users
