"""Bookkeeping on sign-in and on saving a user (connected in AccountsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from tiaojie.accounts import sessions, signals
from tiaojie.accounts.models import User


@receiver(user_logged_in, dispatch_uid="tiaojie_record_sign_in")
def _record_sign_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    sessions.record_sign_in(request, user)


@receiver(pre_save, sender=User, dispatch_uid="tiaojie_user_was_active")
def _note_was_active(sender: Any, instance: User, update_fields: Any = None, **kw: Any) -> None:
    if update_fields is not None and "is_active" not in update_fields:
        instance._was_active = None
        return
    was = (
        User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
        if instance.pk
        else None
    )
    instance._was_active = was


@receiver(post_save, sender=User, dispatch_uid="tiaojie_user_deactivated")
def _end_sessions_of_disabled(sender: Any, instance: User, **kwargs: Any) -> None:
    """Disabling a user, by the service or by any other save, ends their sessions at once."""
    if instance.is_active or not getattr(instance, "_was_active", None):
        return
    sessions.end_sessions(instance)
    actor, request = instance.deactivated_by or (None, None)
    detail = instance.deactivation_detail or {}
    instance.deactivated_by = instance.deactivation_detail = None
    signals.user_deactivated.send(User, user=instance, actor=actor, request=request, **detail)
