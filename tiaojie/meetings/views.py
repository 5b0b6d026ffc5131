"""Pages of reviews, monthly meetings and their tasks. Thin: parse, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tiaojie.accounts.http import AuthedRequest
from tiaojie.cases.action_forms import invalid_input
from tiaojie.cases.selectors import case_for_user
from tiaojie.core.errors import DomainError, NotFound

from . import access, selectors, services
from .forms import DecisionForm, MinutesForm, OpenMeetingForm, ReviewForm, TaskDoneForm
from .models import Meeting, MeetingTask


def _meeting_or_404(request: AuthedRequest, pk: int) -> Meeting:
    try:
        return selectors.meeting_for_user(request.user, pk)
    except NotFound:
        raise Http404 from None


def _task_or_404(request: AuthedRequest, pk: int) -> MeetingTask:
    try:
        return selectors.task_for_user(request.user, pk)
    except NotFound:
        raise Http404 from None


# --- reviews ----------------------------------------------------------------------------------
@login_required
@require_POST
def review(request: AuthedRequest, code: str) -> HttpResponse:
    """Record a review of the case and carry out its decision; back to the case page."""
    try:
        case = case_for_user(request.user, code)
    except NotFound:
        raise Http404 from None
    form = ReviewForm(request.POST, user=request.user, case=case)
    try:
        if not form.is_valid():
            raise invalid_input(form)
        data = form.cleaned_data
        services.review_case(
            case,
            user=request.user,
            decision=data["decision"],
            conclusion=data["conclusion"],
            assign_to=data["assign_to"],
            expected_version=data["version"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The review is recorded."))
    return redirect(reverse("cases:detail", args=[case.code]) + "#reviews")


# --- meetings ---------------------------------------------------------------------------------
@login_required
@require_GET
def meeting_list(request: AuthedRequest) -> HttpResponse:
    context = {
        "meetings": selectors.meetings_for_user(request.user)[:60],
        "form": OpenMeetingForm() if access.may_open_meetings(request.user) else None,
        "at_center": access.may_read_meetings(request.user),
    }
    return render(request, "meetings/list.html", context)


@login_required
@require_POST
def meeting_open(request: AuthedRequest) -> HttpResponse:
    if not access.may_open_meetings(request.user):
        raise PermissionDenied
    form = OpenMeetingForm(request.POST)
    try:
        if not form.is_valid():
            raise invalid_input(form)
        meeting = services.open_meeting(user=request.user, month=form.cleaned_data["month"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("meetings:list")
    return redirect("meetings:detail", meeting=meeting.pk)


def _detail(
    request: AuthedRequest,
    meeting: Meeting,
    *,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    runs = access.may_run(request.user, meeting) and meeting.is_open
    tasks = meeting.tasks.select_related("owner_unit", "owner_user", "case").order_by(
        "due_on", "id"
    )
    today = selectors.today()
    context = {
        "meeting": meeting,
        "sections": selectors.agenda_of(meeting),
        "tasks": tasks,
        "overdue": list(selectors.overdue(tasks, today)),
        "today": today,
        "runs": runs,
        "minutes_form": MinutesForm(
            initial={"minutes": meeting.minutes, "attendees": meeting.attendees}
        )
        if runs
        else None,
        "decision_form": (decision_form or DecisionForm(user=request.user)) if runs else None,
    }
    return render(request, "meetings/detail.html", context, status=status)


@login_required
@require_GET
def meeting_detail(request: AuthedRequest, meeting: int) -> HttpResponse:
    return _detail(request, _meeting_or_404(request, meeting))


def _run(request: AuthedRequest, call: Callable[[], object], done: str, form: Any = None) -> None:
    """Call a service (after the form, if any, is valid) and say how it went."""
    try:
        if form is not None and not form.is_valid():
            raise invalid_input(form)
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)


@login_required
@require_POST
def meeting_agenda(request: AuthedRequest, meeting: int) -> HttpResponse:
    found = _meeting_or_404(request, meeting)
    _run(
        request,
        lambda: services.refresh_agenda(found, user=request.user),
        _("The agenda is drawn up again from today's data."),
    )
    return redirect("meetings:detail", meeting=found.pk)


@login_required
@require_POST
def meeting_minutes(request: AuthedRequest, meeting: int) -> HttpResponse:
    found = _meeting_or_404(request, meeting)
    form = MinutesForm(request.POST)
    _run(
        request,
        lambda: services.save_minutes(found, user=request.user, **form.cleaned_data),
        _("The minutes are saved."),
        form,
    )
    return redirect("meetings:detail", meeting=found.pk)


@login_required
@require_POST
def meeting_decide(request: AuthedRequest, meeting: int) -> HttpResponse:
    found = _meeting_or_404(request, meeting)
    form = DecisionForm(request.POST, user=request.user)
    if not form.is_valid():
        return _detail(request, found, decision_form=form, status=400)
    data = form.cleaned_data
    try:
        services.add_decision(
            found,
            user=request.user,
            text=data["text"],
            owner_unit=data["owner_unit"],
            owner_user=data["owner_user"],
            due_on=data["due_on"],
            case=data["case_code"],
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _detail(request, found, decision_form=form, status=400)
    messages.success(request, _("The decision is recorded as a task."))
    return redirect(reverse("meetings:detail", args=[found.pk]) + "#tasks")


@login_required
@require_POST
def meeting_close(request: AuthedRequest, meeting: int) -> HttpResponse:
    found = _meeting_or_404(request, meeting)
    _run(
        request,
        lambda: services.close_meeting(found, user=request.user, request=request),
        _("The meeting is closed; its minutes are final."),
    )
    return redirect("meetings:detail", meeting=found.pk)


# --- tasks ------------------------------------------------------------------------------------
@login_required
@require_GET
def task_list(request: AuthedRequest) -> HttpResponse:
    tasks = list(selectors.owned_tasks(request.user)[:200])
    today = selectors.today()
    context = {
        "tasks": tasks,
        "overdue": [t for t in tasks if t.overdue_on(today)],
        "today": today,
        "form": TaskDoneForm(),
    }
    return render(request, "meetings/tasks.html", context)


@login_required
@require_POST
def task_done(request: AuthedRequest, task: int) -> HttpResponse:
    found = _task_or_404(request, task)
    form = TaskDoneForm(request.POST)
    _run(
        request,
        lambda: services.complete_task(found, user=request.user, note=form.cleaned_data["note"]),
        _("The task is reported done."),
        form,
    )
    back = request.POST.get("next", "")
    if back == "meeting" and access.may_read_meetings(request.user):
        return redirect(reverse("meetings:detail", args=[found.meeting_id]) + "#tasks")
    return redirect("meetings:tasks")
