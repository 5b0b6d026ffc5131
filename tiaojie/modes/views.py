"""The dispatch mode page: what is in force, switching, ending early, and the log. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.http import AuthedRequest
from tiaojie.core import clock
from tiaojie.core.errors import DomainError, NotFound

from . import selectors, services
from .forms import EndForm, SwitchForm


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    if not selectors.may_read(request.user):
        raise PermissionDenied
    scopes = selectors.switch_scopes(request.user)
    form = SwitchForm(request.POST or None, scopes=scopes)
    if request.method == "POST":
        if not scopes:
            raise PermissionDenied
        if form.is_valid():
            try:
                period = services.start_mode(
                    actor=request.user,
                    mode=form.cleaned_data["mode"],
                    scope=form.cleaned_data["scope"],
                    reason=form.cleaned_data["reason"],
                    ends_at=form.until(clock.now()),
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("%(scope)s is now in %(mode)s mode.")
                    % {"scope": period.scope, "mode": period.get_mode_display()},
                )
                return redirect("modes:index")
    log = Paginator(selectors.periods_for_user(request.user), 30).get_page(request.GET.get("page"))
    now = clock.now()
    switchable = {r.pk for r in scopes}
    rows = [
        {
            "period": p,
            "running": p.running_at(now),
            "scheduled": p.starts_at > now and p.until > now,
            "may_end": p.scope_id in switchable and p.until > now,
        }
        for p in log
    ]
    context = {
        "form": form,
        "may_switch": bool(scopes),
        "log": log,
        "rows": rows,
        "settings_table": selectors.settings_table(),
    }
    return render(request, "modes/index.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def end(request: AuthedRequest, pk: int) -> HttpResponse:
    period = selectors.periods_for_user(request.user).filter(pk=pk).first()
    if period is None:
        raise Http404
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the reason for ending the mode early."))
        return redirect("modes:index")
    try:
        services.end_mode(period, actor=request.user, reason=form.cleaned_data["reason"])
    except services.NotAllowed:
        raise PermissionDenied from None
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Back to normal dispatch for %(scope)s.") % {"scope": period.scope}
        )
    return redirect("modes:index")
