"""Ledger import: upload, map the columns, check every row (dry run), import all or nothing.

Checking and importing run as queued work, not in the request: a 100,000-row ledger takes
longer than a page may. The ``LedgerImport`` row holds the job's state; ``start`` queues a
task for ``tiaojie worker`` in the same transaction that moves the status, so both commit or
neither. The worker holds a lease on the task while it runs; when its process dies, another
worker takes the task over once the lease runs out and starts the job again — safe, because
an import writes in one transaction: a dead one left nothing (docs/worker.md).

The import writes every case of the file in one transaction (cases/bulk.py), with one
``LedgerRow`` per row holding its fingerprint; rows whose fingerprint is already there are
skipped, so importing the same file twice creates nothing the second time. If any row has a
problem, nothing is written. While it writes, the job's row cannot show progress (the
transaction is not visible to anyone until it commits), so the page shows the writing step
without a percentage; the reading and checking before it are counted row by row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import secrets
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import DESK_ROLES
from tiaojie.audit.models import AuditKind
from tiaojie.audit.services import Target, record
from tiaojie.cases.bulk import PastCase, register_past_cases
from tiaojie.cases.scoping import sees_whole_area, works_cases
from tiaojie.cases.services import Actor
from tiaojie.core.enums import CaseKind, Category, Channel
from tiaojie.core.errors import Conflict, DomainError
from tiaojie.core.sql import execute_binary, insert_rows
from tiaojie.worker.registry import job
from tiaojie.worker.runner import describe

from . import reading
from .columns import LedgerField, apply_saved, propose
from .models import RUNNING, ImportStatus, LedgerImport, LedgerMapping, LedgerRow
from .rows import Context, Parsed, Problem, parse_row

log = logging.getLogger(__name__)

IMPORT_ROLES = DESK_ROLES
# Seconds between two progress writes (each is a commit: on SQLite, a disk flush).
PROGRESS_SECONDS = 1.0
# The report keeps this many problems; the counts cover them all.
MAX_PROBLEMS = 5000

FILE_MESSAGES: dict[str, Any] = {
    "xls": gettext_lazy(
        "This is an old Excel file (.xls). Save it as .xlsx or CSV and upload it again."
    ),
    "format": gettext_lazy("This file is neither an Excel workbook (.xlsx) nor a CSV file."),
    "empty": gettext_lazy("The file has no rows."),
    "encoding": gettext_lazy("The CSV file is neither UTF-8 nor GBK text."),
    "too_large": gettext_lazy("The file is larger than %(mb)s MB."),
}


def may_import(user: Any) -> bool:
    """Window clerks, dispatchers and town staff of a center (or village committee)."""
    return bool(works_cases(user) and sees_whole_area(user.unit) and user.role_codes & IMPORT_ROLES)


def _refuse(code: str) -> DomainError:
    mb = settings.TIAOJIE_LEDGER_MAX_BYTES // (1024 * 1024)
    return DomainError(str(FILE_MESSAGES[code]) % {"mb": mb}, code=f"file_{code}")


# --- upload and mapping -------------------------------------------------------------------
def upload(*, user: User, file: UploadedFile) -> LedgerImport:
    """Keep the file (under MEDIA_ROOT, an opaque name), find its header, propose a mapping."""
    if not may_import(user) or user.unit is None:
        raise DomainError(_("Only the staff of a center can import a ledger."), code="not_allowed")
    if not file.size:
        raise _refuse("empty")
    if file.size > settings.TIAOJIE_LEDGER_MAX_BYTES:
        raise _refuse("too_large")
    head = file.read(8)
    file.seek(0)
    try:
        fmt = reading.file_format(head, file.name or "")
    except reading.UnreadableFile as exc:
        raise _refuse(exc.code) from None
    now = timezone.now()
    relative = f"ledger/{now:%Y/%m}/{secrets.token_hex(16)}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    digest = hashlib.sha256()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(fd, "wb") as out:
        for chunk in file.chunks():
            digest.update(chunk)
            out.write(chunk)
    try:
        layout = reading.inspect(path, fmt)
    except reading.UnreadableFile as exc:
        path.unlink()
        raise _refuse(exc.code) from None
    except Exception:
        path.unlink()
        raise
    return LedgerImport.objects.create(
        unit=user.unit,
        uploaded_by=user,
        file_name=(file.name or "ledger")[:255],
        stored_file=relative,
        sha256=digest.hexdigest(),
        size=file.size,
        file_format=layout.file_format,
        encoding=layout.encoding,
        header=layout.header,
        header_row=layout.header_row,
        mapping=proposed_mapping(layout.header, user),
        defaults=DEFAULTS,
    )


DEFAULTS = {
    LedgerField.KIND: CaseKind.DISPUTE,
    LedgerField.CATEGORY: Category.OTHER,
    LedgerField.CHANNEL: Channel.WINDOW,
}


def proposed_mapping(header: list[str], user: User) -> dict[str, int]:
    """The newest saved mapping of the unit that fits this header, or a guess from the names."""
    for saved in LedgerMapping.objects.filter(unit=user.unit):
        if (mapping := apply_saved(header, saved.columns)) is not None:
            return mapping
    return propose(header)


def mapping_problems(mapping: dict[str, int], header: list[str]) -> list[str]:
    """What a mapping lacks before any row can be read with it (messages)."""
    problems = []
    if any(not 0 <= i < len(header) for i in mapping.values()):
        problems.append(_("A field is mapped to a column the file does not have."))
    if len(set(mapping.values())) != len(mapping):
        problems.append(_("A column can serve only one field."))
    needed = [
        ([LedgerField.TITLE, LedgerField.DESCRIPTION], _("the case title or what is asked")),
        ([LedgerField.RECEIVED_AT], _("the date received")),
        ([LedgerField.APPLICANT], _("the applicant")),
        (
            [LedgerField.REGION_CODE, LedgerField.TOWN, LedgerField.VILLAGE, LedgerField.ADDRESS],
            _("the place (division code, town, village or address)"),
        ),
    ]
    for fields, what in needed:
        if not any(f in mapping for f in fields):
            problems.append(_("Choose the column for %(what)s.") % {"what": what})
    return problems


def set_mapping(
    ledger: LedgerImport,
    *,
    user: User,
    mapping: dict[str, int],
    defaults: dict[str, str],
    save_as: str = "",
) -> LedgerImport:
    """Keep the mapping (and save it for reuse under ``save_as``), then queue the dry run."""
    if problems := mapping_problems(mapping, ledger.header):
        raise DomainError(" ".join(problems), code="mapping")
    with transaction.atomic():
        moved = LedgerImport.objects.filter(
            pk=ledger.pk,
            status__in=[ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.FAILED],
        ).update(
            mapping=mapping,
            defaults=defaults,
            status=ImportStatus.CHECK_QUEUED,
            done_rows=0,
            problems=[],
            error="",
            updated_at=timezone.now(),
        )
        if not moved:
            raise Conflict(_("This ledger is being checked or imported already."))
        if save_as.strip():
            LedgerMapping.objects.update_or_create(
                unit_id=ledger.unit_id,
                name=save_as.strip()[:100],
                defaults={
                    "columns": {f: ledger.header[i] for f, i in mapping.items()},
                    "defaults": defaults,
                    "created_by": user,
                },
            )
        start(ledger.pk)
    ledger.refresh_from_db()
    return ledger


def start_import(ledger: LedgerImport, *, user: User) -> LedgerImport:
    """Queue the import of a ledger whose dry run found no problem."""
    with transaction.atomic():
        moved = LedgerImport.objects.filter(
            pk=ledger.pk, status=ImportStatus.CHECKED, problem_rows=0
        ).update(status=ImportStatus.IMPORT_QUEUED, done_rows=0, updated_at=timezone.now())
        if not moved:
            raise Conflict(_("Only a ledger checked without problems can be imported."))
        start(ledger.pk)
    ledger.refresh_from_db()
    return ledger


# --- running jobs ----------------------------------------------------------------------------
def start(pk: int) -> None:
    """Queue the job for the worker, in the caller's transaction: both commit, or neither."""
    run_ledger_job.enqueue(pk)


_CLAIMS = {
    ImportStatus.CHECK_QUEUED: ImportStatus.CHECKING,
    ImportStatus.IMPORT_QUEUED: ImportStatus.IMPORTING,
}


class StillRunning(Exception):
    """An earlier run of this job still shows signs of life: try again later."""


class NoLongerRunning(Exception):
    """The job was marked failed (or finished) meanwhile: what this run wrote is undone."""


# The worker gave up on the job (its attempts used): the page says so, and the uploader may
# start it again.
GAVE_UP = "gave_up"


def gave_up(pk: int) -> None:
    """The worker's final-failure hook: a job it will no longer try is failed, so a person
    can start it again (set_mapping takes a failed ledger)."""
    LedgerImport.objects.filter(pk=pk, status__in=RUNNING).update(
        status=ImportStatus.FAILED, error=GAVE_UP, finished_at=timezone.now(), heartbeat_at=None
    )


@job(name=gettext_lazy("Ledger check or import"), max_attempts=3, on_final_failure=gave_up)
def run_ledger_job(pk: int) -> bool:
    """The queued work of a ledger: its dry run or its import.

    A job found checking or importing was left so by an earlier attempt of this very task
    (the worker took the task back when its lease ran out). If that run shows no sign of life
    for a lease's length, its process died and nothing of it was written: it starts again. A
    live one (its lease was taken back while it ran on) is left alone, and this attempt tries
    later.
    """
    stale = Q(heartbeat_at=None) | Q(
        heartbeat_at__lt=Now() - dt.timedelta(seconds=settings.TIAOJIE_WORKER_LEASE_SECONDS)
    )
    for queued, running in _CLAIMS.items():
        LedgerImport.objects.filter(stale, pk=pk, status=running).update(status=queued)
    if LedgerImport.objects.filter(pk=pk, status__in=_CLAIMS.values()).exists():
        raise StillRunning(pk)
    return run_job(pk)


def run_job(pk: int) -> bool:
    """Claim a queued job and run it; False if someone else has it (or nobody queued it)."""
    for queued, running in _CLAIMS.items():
        claimed = LedgerImport.objects.filter(pk=pk, status=queued).update(
            status=running, heartbeat_at=Now()
        )
        if claimed:
            ledger = LedgerImport.objects.select_related("unit__region", "uploaded_by").get(pk=pk)
            try:
                if running == ImportStatus.CHECKING:
                    check(ledger)
                else:
                    do_import(ledger)
            except Exception as exc:
                # Its class and place, never its message: that may quote a cell or a row.
                log.error("ledger import %s failed: %s", pk, describe(exc))
                _finish(ledger, ImportStatus.FAILED, error=f"{type(exc).__name__}")
            return True
    return False


def _progress(ledger: LedgerImport, done: int, total: int | None = None) -> None:
    fields: dict[str, Any] = {"done_rows": done, "heartbeat_at": Now()}
    if total is not None:
        fields["total_rows"] = total
    LedgerImport.objects.filter(pk=ledger.pk).update(**fields)


def _finish(ledger: LedgerImport, status: str, **fields: Any) -> bool:
    """End the job, if it is still in the running status this run claimed: a job failed
    meanwhile (the worker gave up on it) or finished by another run keeps what it says."""
    return bool(
        LedgerImport.objects.filter(pk=ledger.pk, status=ledger.status).update(
            status=status, finished_at=timezone.now(), heartbeat_at=None, **fields
        )
    )


# --- the work --------------------------------------------------------------------------------
def _path(ledger: LedgerImport) -> Path:
    return Path(settings.MEDIA_ROOT) / ledger.stored_file


def _remove_file(ledger: LedgerImport) -> None:
    """The uploaded file and the rows kept from it: the cases hold what they held now."""
    _path(ledger).unlink(missing_ok=True)
    reading.kept_rows_path(_path(ledger)).unlink(missing_ok=True)


def _layout(ledger: LedgerImport) -> reading.Layout:
    return reading.Layout(ledger.file_format, ledger.encoding, ledger.header, ledger.header_row)


class Outcome:
    """Every row of a file read and checked: the good ones, the problems, the repeats."""

    def __init__(self) -> None:
        self.parsed: list[Parsed] = []
        self.problems: list[Problem] = []
        self.problem_rows = 0
        self.repeated = 0
        self.known: set[str] = set()


def read_all(ledger: LedgerImport, *, progress: bool = True) -> Outcome:
    """Read and check every row; rows repeating an earlier one are counted, not kept."""
    ctx = Context.build(
        unit=ledger.unit,
        user=ledger.uploaded_by,
        mapping=ledger.mapping,
        defaults=ledger.defaults,
    )
    result = Outcome()
    seen: set[str] = set()
    rows = reading.all_rows(_path(ledger), _layout(ledger))
    ledger.total_rows = len(rows)
    if progress:
        _progress(ledger, 0, ledger.total_rows)
    last = time.monotonic()
    for n, (number, cells) in enumerate(rows, start=1):
        parsed = parse_row(number, cells, ctx)
        if isinstance(parsed, Parsed):
            if parsed.fingerprint in seen:
                result.repeated += 1
            else:
                seen.add(parsed.fingerprint)
                result.parsed.append(parsed)
        else:
            result.problem_rows += 1
            result.problems += parsed
        if progress and n % 500 == 0 and time.monotonic() - last > PROGRESS_SECONDS:
            _progress(ledger, n)
            last = time.monotonic()
    result.known = _known(ledger, [p.fingerprint for p in result.parsed])
    return result


def _known(ledger: LedgerImport, fingerprints: list[str]) -> set[str]:
    """The fingerprints among these that the unit imported before."""
    if connection.vendor == "postgresql":
        rows = execute_binary(
            "SELECT fingerprint FROM ledger_ledgerrow WHERE unit_id = %b AND fingerprint = ANY(%b)",
            [ledger.unit_id, fingerprints],
            fetch=True,
        )
        return {row[0] for row in rows}
    known: set[str] = set()
    for start_at in range(0, len(fingerprints), 5000):
        chunk = fingerprints[start_at : start_at + 5000]
        known.update(
            LedgerRow.objects.filter(unit_id=ledger.unit_id, fingerprint__in=chunk).values_list(
                "fingerprint", flat=True
            )
        )
    return known


def _counts(result: Outcome) -> dict[str, Any]:
    return {
        "problems": [p.as_list() for p in result.problems[:MAX_PROBLEMS]],
        "problem_rows": result.problem_rows,
        "new_rows": len(result.parsed) - len(result.known),
        "known_rows": len(result.known),
        "repeated_rows": result.repeated,
    }


def check(ledger: LedgerImport) -> Outcome:
    """The dry run: every row's problems by row number; nothing is written but the report."""
    result = read_all(ledger)
    _finish(ledger, ImportStatus.CHECKED, done_rows=ledger.total_rows, **_counts(result))
    return result


def do_import(ledger: LedgerImport) -> list[int]:
    """Check again, then write every new row's case in one transaction, or nothing at all."""
    result = read_all(ledger)
    if result.problem_rows:
        _finish(ledger, ImportStatus.FAILED, **_counts(result))
        return []
    fresh = [p for p in result.parsed if p.fingerprint not in result.known]
    cases = [_with_source(p.case, ledger, p.row) for p in fresh]
    with transaction.atomic():
        ids = register_past_cases(cases, actor=Actor(ledger.uploaded_by))
        insert_rows(
            LedgerRow,
            [
                {
                    "unit_id": ledger.unit_id,
                    "fingerprint": p.fingerprint,
                    "ledger_import_id": ledger.pk,
                    "row_number": p.row,
                    "case_id": pk,
                }
                for p, pk in zip(fresh, ids, strict=True)
            ],
        )
        record(
            AuditKind.IMPORT,
            actor=ledger.uploaded_by,
            target=Target("ledger_import", ledger.pk),
            detail={"cases": len(ids), "rows": ledger.total_rows, "sha256": ledger.sha256},
        )
        if not _finish(
            ledger,
            ImportStatus.DONE,
            created_cases=len(ids),
            done_rows=ledger.total_rows,
            **_counts(result),
        ):
            raise NoLongerRunning(ledger.pk)  # and the cases are not written
        transaction.on_commit(lambda: _remove_file(ledger))
    return ids


def _with_source(case: PastCase, ledger: LedgerImport, row: int) -> PastCase:
    return replace(case, source={"ledger": ledger.pk, "row": row})
