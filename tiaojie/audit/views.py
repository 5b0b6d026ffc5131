"""The auditor's screen: the audit log with filters, pages and a CSV export. Auditor only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from tiaojie.accounts.http import AuthedRequest
from tiaojie.core.errors import NotFound

from .export import csv_lines
from .forms import AuditFilterForm
from .models import AuditEntry, AuditKind, AuditOutcome
from .selectors import AuditFilters, entries_for_user, filter_entries
from .services import Target, record

PAGE_SIZE = 50


def _entries_or_404(request: AuthedRequest) -> QuerySet[AuditEntry]:
    """The log for the auditor; anyone else gets 404, and the attempt is itself recorded."""
    try:
        return entries_for_user(request.user)
    except NotFound:
        record(
            AuditKind.AUDIT_ACCESS,
            request=request,
            outcome=AuditOutcome.DENIED,
            target=Target("audit_log", request.resolver_match.url_name or ""),  # type: ignore[union-attr]
        )
        raise Http404 from None


def _filtered(
    request: AuthedRequest, entries: QuerySet[AuditEntry]
) -> tuple[AuditFilterForm, AuditFilters | None, QuerySet[AuditEntry]]:
    form = AuditFilterForm(request.GET or None)
    if not form.is_bound:
        return form, AuditFilters(), entries
    if not form.is_valid():
        return form, None, entries.none()
    filters = form.filters()
    return form, filters, filter_entries(entries, filters)


@never_cache
@login_required
def audit_log(request: AuthedRequest) -> HttpResponse:
    form, _filters, entries = _filtered(request, _entries_or_404(request))
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/log.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@never_cache
@login_required
def audit_export(request: AuthedRequest) -> HttpResponse | StreamingHttpResponse:
    form, filters, entries = _filtered(request, _entries_or_404(request))
    if filters is None:
        page = Paginator(entries, PAGE_SIZE).get_page(1)
        return render(request, "audit/log.html", {"form": form, "page": page}, status=400)
    # The export is itself an entry, written before the first row leaves; the file holds
    # what was there before it.
    entry = record(
        AuditKind.AUDIT_EXPORT,
        request=request,
        target=Target("audit_log", "csv"),
        detail={"filters": filters.as_dict(), "rows": entries.count()},
    )
    response = StreamingHttpResponse(
        csv_lines(entries.filter(seq__lt=entry.seq)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
