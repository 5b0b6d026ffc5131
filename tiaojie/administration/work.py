"""Background work, for the system administrator: what failed for good, and retrying it.

Queued work and text messages are retried by the worker up to their maximum attempts; what
used them all waits here, with its error (the exception's class and place, never a message
that might quote personal data), until the administrator retries it. Every retry is audited.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.http import AuthedRequest
from tiaojie.accounts.models import SmsMessage, SmsStatus
from tiaojie.accounts.notify import retry_failed_sms
from tiaojie.accounts.roles import Role
from tiaojie.audit.models import AuditKind
from tiaojie.audit.services import Target, record
from tiaojie.core.errors import DomainError
from tiaojie.worker import selectors, services

from .views import duty


@duty(Role.SYSADMIN)
def work(request: AuthedRequest) -> HttpResponse:
    counts = selectors.counts()
    failed_sms = SmsMessage.objects.filter(status=SmsStatus.FAILED).order_by("-created_at")
    return render(
        request,
        "administration/work.html",
        {
            "failed": selectors.failed_work(),
            "queued": counts.get("READY", 0),
            "running": counts.get("RUNNING", 0),
            "failed_sms": failed_sms.only("pk", "created_at", "attempts", "error")[:200],
            "sms_waiting": SmsMessage.objects.filter(
                status__in=[SmsStatus.PENDING, SmsStatus.SENDING]
            ).count(),
        },
    )


@require_POST
@duty(Role.SYSADMIN)
def retry_work(request: AuthedRequest, work_id: str) -> HttpResponse:
    try:
        task = services.retry(work_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        record(
            AuditKind.WORK_RETRIED,
            request=request,
            target=Target("task", str(task.pk)),
            detail={"task": task.task_path},
        )
        messages.success(request, _("Queued again; the worker runs it shortly."))
    return redirect("administration:work")


@require_POST
@duty(Role.SYSADMIN)
def retry_sms(request: AuthedRequest, pk: int) -> HttpResponse:
    if retry_failed_sms(pk):
        record(
            AuditKind.WORK_RETRIED,
            request=request,
            target=Target("sms", pk),
            detail={"task": "text message"},
        )
        messages.success(request, _("Queued again; the worker runs it shortly."))
    else:
        messages.error(request, _("This work has not failed, or is queued again already."))
    return redirect("administration:work")
