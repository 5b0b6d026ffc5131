"""The dispatch catalogue's screens (派单目录): the rules, one rule with its history, and the
change form: edit → preview (rule replay) → save with a reason.

Thin: check who asks (access.py), parse with a form, call replay or a service, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tiaojie.accounts.http import AuthedRequest
from tiaojie.audit.models import AuditKind, AuditOutcome
from tiaojie.audit.services import Target, record
from tiaojie.core.errors import Conflict, DomainError, NotFound

from . import access, forms, replay, selectors, services
from .forms import RuleFilterForm, RuleForm, SaveForm
from .models import RULE_FIELDS, DispatchRule, changed_fields

RULES_PER_PAGE = 100
DIFFERENCES_PER_PAGE = 50


def _reader(request: AuthedRequest) -> None:
    if not access.may_read(request.user):
        raise Http404


def _rule_or_404(rule_id: int) -> DispatchRule:
    try:
        return selectors.rule(rule_id)
    except NotFound:
        raise Http404 from None


def _query_without(request: AuthedRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@login_required
def rules(request: AuthedRequest) -> HttpResponse:
    _reader(request)
    form = RuleFilterForm(request.GET or None)
    page = Paginator(selectors.rules(form.filters()), RULES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "query": _query_without(request, "page"),
        "ties": selectors.ties(),
        "policies": dict(selectors.policy_choices()),
        "may_edit": access.may_edit(request.user),
    }
    return render(request, "routing/rules.html", context)


def _preview_query(data: dict[str, Any], **changes: Any) -> str:
    """The change form's query string for these values, straight to the preview."""
    found = forms.query(data, **changes)
    found["preview"] = "1"
    return found.urlencode()


@login_required
def rule(request: AuthedRequest, rule_id: int) -> HttpResponse:
    _reader(request)
    found = _rule_or_404(rule_id)
    context = {
        "rule": found,
        "history": selectors.history(found),
        "policies": dict(selectors.policy_choices()),
        "may_edit": access.may_edit(request.user),
        "toggle_query": _preview_query(RuleForm.initial_for(found), is_active=not found.is_active),
    }
    return render(request, "routing/rule.html", context)


@login_required
def new(request: AuthedRequest) -> HttpResponse:
    _reader(request)
    return _change(request, None)


@login_required
def edit(request: AuthedRequest, rule_id: int) -> HttpResponse:
    _reader(request)
    return _change(request, _rule_or_404(rule_id))


def _change(request: AuthedRequest, stored: DispatchRule | None) -> HttpResponse:
    """GET: the form, or with ``preview`` the replay of the change; POST: save it."""
    if not access.may_edit(request.user):
        raise PermissionDenied
    if request.method == "POST":
        return _save(request, stored)
    if "preview" not in request.GET:
        # Back from a preview the form keeps what was typed; otherwise it shows the rule.
        if "tier" in request.GET:
            return _form_page(request, stored, RuleForm(request.GET))
        return _form_page(request, stored, RuleForm(initial=RuleForm.initial_for(stored)))
    form = RuleForm(request.GET)
    if not form.is_valid():
        return _form_page(request, stored, form, status=400)
    return _preview_page(request, stored, form.cleaned_data)


def _fresh(stored: DispatchRule | None) -> DispatchRule:
    """A copy to change in memory: ``stored`` itself stays as the page read it."""
    return selectors.rule(stored.pk) if stored is not None else DispatchRule()


def _save(request: AuthedRequest, stored: DispatchRule | None) -> HttpResponse:
    form = SaveForm(request.POST)
    if not form.is_valid():
        if any(f in form.errors for f in (*RULE_FIELDS, "months", "version")):
            return _form_page(request, stored, RuleForm(request.POST), status=400)
        # Only the reason is missing or too long: the preview again, with the message.
        return _preview_page(request, stored, form.cleaned_data, save_form=form, status=400)
    data = form.cleaned_data
    target = form.apply(_fresh(stored))
    try:
        services.save_rule(
            target, actor=request.user, reason=data["reason"], expected_version=data["version"]
        )
    except DomainError as exc:
        record(
            AuditKind.CONFIG_CHANGED,
            request=request,
            outcome=AuditOutcome.FAILURE,
            target=Target("routing.dispatchrule", stored.pk if stored else "new"),
            detail={"code": exc.code, "reason": data["reason"]},
        )
        if isinstance(exc, Conflict):
            # The catalogue moved: show the replay against the catalogue as it is now.
            messages.error(request, exc.message)
            return _preview_page(request, stored, data, status=409)
        retry = RuleForm(request.POST)
        retry.is_valid()
        retry.add_error(None, exc.message)
        return _form_page(request, stored, retry, status=400)
    messages.success(request, _("The dispatch rule was saved."))
    return redirect("routing:rule", rule_id=target.pk)


def _form_page(
    request: AuthedRequest, stored: DispatchRule | None, form: RuleForm, *, status: int = 200
) -> HttpResponse:
    return render(request, "routing/rule_form.html", {"rule": stored, "form": form}, status=status)


def _preview_page(
    request: AuthedRequest,
    stored: DispatchRule | None,
    data: dict[str, Any],
    *,
    save_form: SaveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    target = forms.apply(_fresh(stored), data)
    try:
        result = replay.preview(target, user=request.user, months=data["months"])
    except DomainError as exc:
        form = RuleForm(request.GET if request.method == "GET" else request.POST)
        form.is_valid()
        form.add_error(None, exc.message)
        return _form_page(request, stored, form, status=400)
    if save_form is None:
        initial = {**{f: data[f] for f in RULE_FIELDS}, "months": data["months"]}
        reason = data.get("reason", "")  # kept when the save was refused as stale
        save_form = SaveForm(initial={**initial, "version": result.version, "reason": reason})
    before = None if stored is None else {f: getattr(stored, f) for f in RULE_FIELDS} | _ids(stored)
    after = {f: data[f] for f in RULE_FIELDS} | _ids(target)
    places = [stored.region if stored else None, target.region]
    regions = {r.pk: r.name for r in places if r is not None}
    diff = changed_fields(before, after)
    changes = [
        selectors.Change(
            selectors.field_label(f),
            selectors.shown(f, diff[f][0], regions),
            selectors.shown(f, diff[f][1], regions),
        )
        for f in RULE_FIELDS
        if f in diff
    ]
    page = Paginator(result.differences, DIFFERENCES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "rule": stored,
        "result": result,
        "changes": changes,
        "page": page,
        "query": _preview_query(data),
        "edit_query": forms.query(data).urlencode(),
        "save_form": save_form,
        "months": data["months"],
    }
    return render(request, "routing/preview.html", context, status=status)


def _ids(rule: DispatchRule) -> dict[str, Any]:
    return {"region": rule.region_id}
