"""Reads of units and staff, limited to the user's area."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from tiaojie.accounts.models import SmsMessage, SmsStatus, Unit


def units_for_user(user: Any) -> QuerySet[Unit]:
    """Units in the user's area, plus the departments stationed at their center."""
    if not user.is_authenticated or not user.unit_id:
        return Unit.objects.none()
    region = user.unit.region
    return (
        Unit.objects.filter(
            Q(region__path__startswith=region.path) | Q(stationed_at__region=region)
        )
        .select_related("region", "stationed_at")
        .annotate(staff_count=Count("staff", filter=Q(staff__is_active=True)))
        .order_by("region__path", "kind", "name")
    )


def failed_text_messages(limit: int = 200) -> QuerySet[SmsMessage]:
    """Text messages that used all their attempts, newest first (the operator page)."""
    failed = SmsMessage.objects.filter(status=SmsStatus.FAILED).order_by("-created_at")
    # Not the phone: the page never shows it, so it is not even decrypted.
    return failed.only("pk", "created_at", "attempts", "error")[:limit]


def text_messages_waiting() -> int:
    return SmsMessage.objects.filter(status__in=[SmsStatus.PENDING, SmsStatus.SENDING]).count()
