"""Ledger imports (台账导入): the uploaded file, its column mapping, check and import job."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import Unit
from tiaojie.core.models import TimeStampedModel


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for the column mapping")
    CHECK_QUEUED = "check_queued", _("Waiting for the check")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked")
    IMPORT_QUEUED = "import_queued", _("Waiting to import")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


# A job in one of these is being worked on (or waits for a worker); the page polls it.
RUNNING = frozenset(
    {
        ImportStatus.CHECK_QUEUED,
        ImportStatus.CHECKING,
        ImportStatus.IMPORT_QUEUED,
        ImportStatus.IMPORTING,
    }
)


class LedgerImport(TimeStampedModel):
    """One uploaded ledger file and what became of it: mapping, dry run, import.

    The row is also the job: a worker claims it with a compare-and-swap on ``status`` and
    writes its progress here, which the page polls.
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    # Under MEDIA_ROOT, an opaque name; removed once the import is done.
    stored_file = models.CharField(max_length=200, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    file_format = models.CharField(_("format"), max_length=10)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    header = models.JSONField(_("header row"), default=list)
    header_row = models.PositiveIntegerField(_("header row number"), default=1)
    # Our field → column index (0-based) in the header, and the values for empty cells.
    mapping = models.JSONField(_("column mapping"), default=dict)
    defaults = models.JSONField(_("default values"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    done_rows = models.PositiveIntegerField(_("rows done"), default=0)
    # [[row number, field, problem code, shown value], ...]: no personal data, see rows.py.
    problems = models.JSONField(_("problems"), default=list)
    problem_rows = models.PositiveIntegerField(_("rows with problems"), default=0)
    new_rows = models.PositiveIntegerField(_("rows to import"), default=0)
    known_rows = models.PositiveIntegerField(_("rows imported before"), default=0)
    repeated_rows = models.PositiveIntegerField(_("repeated rows"), default=0)
    created_cases = models.PositiveIntegerField(_("cases created"), default=0)
    error = models.TextField(_("error"), blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "-created_at"], name="ledger_import_unit")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    @property
    def percent(self) -> int:
        return min(100, self.done_rows * 100 // self.total_rows) if self.total_rows else 0


class LedgerMapping(TimeStampedModel):
    """A column mapping saved for reuse: our field → the ledger's column name."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    columns = models.JSONField(_("columns"), default=dict)
    defaults = models.JSONField(_("default values"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("saved column mapping")
        verbose_name_plural = _("saved column mappings")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="ledger_mapping_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class LedgerRow(models.Model):
    """A ledger row that became a case: its fingerprint makes a second import skip it."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    fingerprint = models.CharField(max_length=64)
    ledger_import = models.ForeignKey(LedgerImport, on_delete=models.PROTECT, related_name="rows")
    row_number = models.PositiveIntegerField(_("row"))
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("imported ledger row")
        verbose_name_plural = _("imported ledger rows")
        constraints = [
            models.UniqueConstraint(fields=["unit", "fingerprint"], name="ledger_row_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.ledger_import_id}:{self.row_number}"
