"""Background work, for the system administrator: what failed for good, and retrying it.

Queued work and text messages are retried by the worker up to their maximum attempts; what
used them all waits here, with its error (the exception's class and place, never a message
that might quote personal data), until the administrator retries it. Every retry is audited.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tasks import TaskResultStatus

from tiaojie.accounts.http import AuthedRequest
from tiaojie.accounts.roles import Role
from tiaojie.accounts.selectors import failed_text_messages, text_messages_waiting
from tiaojie.core.errors import DomainError
from tiaojie.worker import selectors

from . import services
from .views import duty


@duty(Role.SYSADMIN)
def work(request: AuthedRequest) -> HttpResponse:
    counts = selectors.counts()
    return render(
        request,
        "administration/work.html",
        {
            "failed": selectors.failed_work(),
            "queued": counts.get(TaskResultStatus.READY, 0),
            "running": counts.get(TaskResultStatus.RUNNING, 0),
            "failed_sms": failed_text_messages(),
            "sms_waiting": text_messages_waiting(),
        },
    )


@require_POST
@duty(Role.SYSADMIN)
def retry_work(request: AuthedRequest, work_id: str) -> HttpResponse:
    return _retry(request, lambda: services.retry_work(actor=request.user, work_id=work_id))


@require_POST
@duty(Role.SYSADMIN)
def retry_sms(request: AuthedRequest, pk: int) -> HttpResponse:
    return _retry(request, lambda: services.retry_text_message(actor=request.user, pk=pk))


def _retry(request: AuthedRequest, retry: Callable[[], object]) -> HttpResponse:
    try:
        retry()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Queued again; the worker runs it shortly."))
    return redirect("administration:work")
