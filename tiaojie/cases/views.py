"""Case list and detail pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tiaojie.accounts.http import AuthedRequest
from tiaojie.core.errors import Conflict, DomainError, NotFound
from tiaojie.core.privacy import mark_full_view
from tiaojie.regions.selectors import towns_for_user

from . import disclosure, petitions, sensitivity, services
from .action_forms import ACTIONS, ActionForm, assignable_units, form_for, invalid_input, run
from .attachments import attach
from .downloads import file_response
from .forms import AttachmentForm, CaseFilterForm
from .models import Case, PartyRole
from .selectors import (
    CaseFilters,
    agreement_of,
    attachment_for_user,
    attachments_of,
    case_for_user,
    case_timeline,
    cases_for_user,
    filter_cases,
    readable_case_for_user,
    related_cases,
)
from .workflow import Action

PAGE_SIZE = 25


class CappedPaginator(Paginator):
    """Counts at most CAP rows: an exact count of a million cases costs more than the page.

    Past the cap the page says "more than 2,000" and the filters narrow it down.
    """

    CAP = 2_000

    def __init__(self, *args: Any, cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if cap is not None:
            self.CAP = cap

    @cached_property
    def count(self) -> int:
        # No ORDER BY inside the count: sorting the rows only to count them is wasted work.
        return self.object_list.order_by()[: self.CAP + 1].count()  # type: ignore[attr-defined]

    @property
    def capped(self) -> bool:
        return self.count > self.CAP


@login_required
def case_list(request: AuthedRequest) -> HttpResponse:
    form = CaseFilterForm(
        request.GET or None,
        towns=list(towns_for_user(request.user)),
        units=list(assignable_units(request.user)),
    )
    qs = cases_for_user(request.user)
    if form.is_bound and form.is_valid():
        qs = filter_cases(qs, form.filters(), user=request.user)
    elif form.is_bound:
        qs = qs.none()
    else:
        qs = filter_cases(qs, CaseFilters(), user=request.user)
    qs = qs.select_related("region", "lead_unit").order_by("-received_at", "-id")
    # A search for a common word is tested row by row; counting 2,000 of its hits costs more
    # than the page (bench/search.py), so searches count to 200.
    searching = form.is_bound and form.is_valid() and bool(form.cleaned_data.get("q"))
    page = CappedPaginator(qs, PAGE_SIZE, cap=200 if searching else None).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "cases/_case_rows.html" if request.htmx else "cases/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _case_or_404(request: AuthedRequest, code: str) -> Case:
    try:
        return case_for_user(request.user, code)
    except NotFound:
        raise Http404 from None


@login_required
def case_detail(request: AuthedRequest, code: str) -> HttpResponse:
    case = _case_or_404(request, code)
    context = _detail_context(request, case)
    # Just registered at the window: the code, big, to read out to the citizen (一案一码).
    context["just_registered"] = request.GET.get("registered") == "1"
    return render(request, "cases/detail.html", context)


def _detail_context(
    request: AuthedRequest, case: Case, failed: tuple[Action, ActionForm] | None = None
) -> dict[str, object]:
    forms = []
    actions = services.actions_for(request.user, case)
    for action in actions:
        if action not in ACTIONS:
            continue  # attaching has its own form beside the list of files
        if failed and failed[0] == action:
            forms.append((action, failed[1]))
        else:
            forms.append((action, form_for(action, case=case, user=request.user)))
    shell_only = sensitivity.restricted(request.user, case)
    return {
        "case": case,
        "restricted": shell_only,
        "parties": case.parties.select_related("person").order_by("role", "id"),
        "events": case_timeline(case),
        "assignments": case.assignments.select_related("unit").order_by("-assigned_at", "role"),
        "action_forms": forms,
        "open_action": failed[0].value if failed else "",
        "agreement": "" if shell_only else agreement_of(case),
        "may_see_in_full": disclosure.may_see_in_full(request.user) and not shell_only,
        "attachments": [] if shell_only else attachments_of(case),
        "upload_max_mb": settings.TIAOJIE_UPLOAD_MAX_BYTES // (1024 * 1024),
        "attachment_form": (
            AttachmentForm() if Action.ATTACH in actions and not shell_only else None
        ),
        **related_cases(request.user, case),
    }


@login_required
@require_POST
def case_act(request: AuthedRequest, code: str, action: str) -> HttpResponse:
    """Take one action on a case; the service decides, the page only reports."""
    case = _case_or_404(request, code)
    try:
        chosen = Action(action)
    except ValueError:
        raise Http404 from None
    if chosen not in ACTIONS:
        raise Http404
    form = form_for(chosen, case=case, user=request.user, data=request.POST)
    try:
        run(chosen, form)
    except Conflict as exc:
        messages.warning(request, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
        case.refresh_from_db()
        context = _detail_context(request, case, failed=(chosen, form))
        return render(request, "cases/detail.html", context, status=400)
    else:
        messages.success(request, _("%(action)s: done.") % {"action": chosen.label})
    return redirect("cases:detail", code=case.code)


@never_cache
@login_required
@require_POST
def party_in_full(request: AuthedRequest, code: str, party: int) -> HttpResponse:
    """The case page once more, with one party's personal data unmasked in this response only.

    Never a redirect (the data would need a URL or a session to travel) and never cached.
    """
    case = _case_or_404(request, code)
    context = _detail_context(request, case)
    try:
        shown = disclosure.reveal_party(
            user=request.user,
            case=case,
            party_id=party,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except NotFound:
        raise Http404 from None
    except disclosure.FullViewRefused as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        context.update(full_view_error=exc.message, full_view_party=party)
        return render(request, "cases/detail.html", context, status=400)
    context["revealed"] = shown
    return mark_full_view(render(request, "cases/detail.html", context))


@login_required
def agreement(request: AuthedRequest, code: str) -> HttpResponse:
    """The printable 调解协议书 written at the resolve step."""
    try:
        case = readable_case_for_user(request.user, code)
    except NotFound:
        raise Http404 from None
    text = agreement_of(case)
    if not text:
        raise Http404
    parties = case.parties.select_related("person").order_by("role", "id")
    return render(
        request, "cases/agreement.html", {"case": case, "agreement": text, "parties": parties}
    )


@login_required
def notice(request: AuthedRequest, code: str) -> HttpResponse:
    """The printable 受理告知书 / 不予受理告知书 of the accept or decline step (信访工作条例
    art. 23); before the decision, a page that says there is none yet."""
    case = _case_or_404(request, code)
    context = {
        "case": case,
        "notice": petitions.notice_for(case),
        "applicants": case.parties.select_related("person")
        .filter(role=PartyRole.APPLICANT)
        .order_by("id"),
    }
    return render(request, "cases/notice.html", context)


@login_required
@require_POST
def attachment_upload(request: AuthedRequest, code: str) -> HttpResponse:
    """Add a file to the case; a refused file is reported and nothing is kept.

    Success or not, the answer is the case page again (a browser cannot refill a file input,
    so re-rendering the form would keep nothing worth keeping).
    """
    case = _case_or_404(request, code)
    form = AttachmentForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise invalid_input(form)
        attachment = attach(
            case,
            actor=services.Actor(request.user),
            file=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
        )
    except Conflict as exc:
        messages.warning(request, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Attached: %(name)s.") % {"name": attachment.original_name})
    return redirect(reverse("cases:detail", args=[case.code]) + "#attachments")


@login_required
@require_GET
def attachment_download(request: AuthedRequest, code: str, pk: int) -> FileResponse:
    """The file itself, for anyone who may see the case; 404 for everyone else."""
    try:
        attachment = attachment_for_user(request.user, code, pk)
    except NotFound:
        raise Http404 from None
    return file_response(attachment)
