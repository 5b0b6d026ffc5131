"""Ledger pages: upload → column mapping → dry-run report → import with progress → result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.http import AuthedRequest
from tiaojie.core.errors import Conflict, DomainError, NotFound

from . import selectors, services
from .columns import LedgerField
from .forms import MappingForm, UploadForm
from .models import ImportStatus, LedgerImport
from .rows import message


def _ledger_or_404(request: AuthedRequest, import_id: int) -> LedgerImport:
    try:
        return selectors.import_for_user(request.user, import_id)
    except NotFound:
        raise Http404 from None


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    if not services.may_import(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            ledger = services.upload(user=request.user, file=form.cleaned_data["file"])
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("ledger:mapping", import_id=ledger.pk)
    imports = selectors.imports_for_user(request.user)[:30]
    status = 400 if form.errors else 200
    return render(request, "ledger/index.html", {"form": form, "imports": imports}, status=status)


@login_required
def mapping(request: AuthedRequest, import_id: int) -> HttpResponse:
    ledger = _ledger_or_404(request, import_id)
    if ledger.running or ledger.status == ImportStatus.DONE:
        return redirect("ledger:detail", import_id=ledger.pk)
    form = MappingForm(request.POST or None, ledger=ledger)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_mapping(
                ledger,
                user=request.user,
                mapping=form.mapping(),
                defaults=form.defaults(),
                save_as=form.cleaned_data["save_as"],
            )
        except Conflict as exc:
            messages.warning(request, exc.message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("ledger:detail", import_id=ledger.pk)
    context = {"ledger": ledger, "form": form}
    return render(request, "ledger/mapping.html", context, status=400 if form.errors else 200)


def _report(ledger: LedgerImport) -> list[dict[str, object]]:
    labels = dict(LedgerField.choices)
    return [
        {"row": p[0], "field": labels.get(p[1], p[1]), "message": message(p)}
        for p in ledger.problems
    ]


@login_required
def detail(request: AuthedRequest, import_id: int) -> HttpResponse:
    ledger = _ledger_or_404(request, import_id)
    if ledger.status == ImportStatus.UPLOADED:
        return redirect("ledger:mapping", import_id=ledger.pk)
    context = {
        "ledger": ledger,
        "problems": _report(ledger),
        "rows": selectors.imported_rows(ledger) if ledger.status == ImportStatus.DONE else [],
    }
    return render(request, "ledger/detail.html", context)


def _unsaved(must_create: bool = False) -> None:
    return None


@login_required
def progress(request: AuthedRequest, import_id: int) -> HttpResponse:
    """The progress bar, polled by htmx; once the job is over the page reloads itself.

    A poll is not the user's doing: it must not keep an idle sign-in alive, so the session
    (saved on every request otherwise) is not written. That also keeps the poll from
    waiting on SQLite's one writer while an import holds it.
    """
    request.session.save = _unsaved  # type: ignore[method-assign]
    ledger = _ledger_or_404(request, import_id)
    response = render(request, "ledger/_progress.html", {"ledger": ledger})
    if not ledger.running:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run_import(request: AuthedRequest, import_id: int) -> HttpResponse:
    ledger = _ledger_or_404(request, import_id)
    try:
        services.start_import(ledger, user=request.user)
    except DomainError as exc:
        messages.warning(request, exc.message)
    else:
        messages.info(request, _("The import has started. You may leave this page."))
    return redirect("ledger:detail", import_id=ledger.pk)
