"""Cases (事项), parties and persons. A first shape; the lifecycle issue owns the final one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaojie.accounts.models import Unit
from tiaojie.core import cache
from tiaojie.core.crypto import EncryptedTextField
from tiaojie.core.enums import CaseKind, Category, Channel, RiskLevel, Tier
from tiaojie.core.idnumber import mask_address, mask_id_number, mask_phone
from tiaojie.core.models import TimeStampedModel
from tiaojie.regions.models import Region

from .workflow import OPEN, Status


class Gender(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")
    UNKNOWN = "", _("Unknown")


class Person(TimeStampedModel):
    """One human across cases, found by the keyed hash of their ID number (repeat visits)."""

    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_hash = models.CharField(
        _("ID number blind index"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
    )
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(
        _("phone blind index"), max_length=64, blank=True, db_index=True, editable=False
    )
    address = EncryptedTextField(_("address"), blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number or "")

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone or "")

    @property
    def masked_address(self) -> str:
        return mask_address(self.address or "")


class SupervisionLevel(models.IntegerChoices):
    """How hard the center is pushing a case: reminder → 督办 → 挂牌督办."""

    NONE = 0, _("None")
    REMINDER = 1, _("Reminder")
    SUPERVISED = 2, _("Supervised")
    LISTED = 3, _("Listed for supervision")


class LegalRoute(models.TextChoices):
    """Where a declined matter is pointed (导入法定途径)."""

    LITIGATION = "litigation", _("Litigation")
    ARBITRATION = "arbitration", _("Arbitration")
    RECONSIDERATION = "reconsideration", _("Administrative reconsideration")
    OTHER_AUTHORITY = "other_authority", _("Another competent authority")


class ReviewStage(models.TextChoices):
    """A petition asking the level above to look again (信访工作条例 arts. 35, 36)."""

    REVIEW = "review", _("Review request (复查)")
    RE_REVIEW = "re_review", _("Re-review request (复核)")


class DeadlinePolicy(TimeStampedModel):
    """How long a stage may take: calendar or working days, one extension, the legal source."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    days = models.PositiveIntegerField(_("days"))
    working_days = models.BooleanField(_("working days"), default=False)
    extension_days = models.PositiveIntegerField(_("extension days"), default=0)
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class Sensitivity(models.TextChoices):
    """The security label (安全标记, 等保 level 3): who may read a case's contents."""

    ORDINARY = "ordinary", _("Ordinary")
    # Health or psychological notes, minors, informants (检举揭发): only cleared staff read
    # the contents; everyone else in scope sees the case's shell.
    SENSITIVE = "sensitive", _("Sensitive")


class Case(TimeStampedModel):
    """One matter from the public: one case, one code (一案一码)."""

    code = models.CharField(_("case code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    region = models.ForeignKey(
        Region, verbose_name=_("place"), on_delete=models.PROTECT, related_name="cases"
    )
    address = EncryptedTextField(_("address"), blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    people_count = models.PositiveIntegerField(_("people involved"), default=1)
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.BLUE
    )
    sensitivity = models.CharField(
        _("security label"),
        max_length=10,
        choices=Sensitivity.choices,
        default=Sensitivity.ORDINARY,
    )
    # Health and psychological notes: encrypted, and shown only to cleared staff.
    sensitive_notes = EncryptedTextField(_("health and psychological notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, default=Tier.TOWN)
    first_unit = models.ForeignKey(
        Unit,
        verbose_name=_("first receiving unit"),
        on_delete=models.PROTECT,
        related_name="first_received_cases",
    )
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_cases",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registered_cases",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    outcome = models.TextField(_("outcome"), blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=30, choices=Satisfaction.choices, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    review_of = models.ForeignKey(
        "self",
        verbose_name=_("review of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
        help_text=_("The petition whose decision this 复查 or 复核 request asks to look at again."),
    )
    review_stage = models.CharField(
        _("review stage"), max_length=10, choices=ReviewStage.choices, blank=True
    )
    # --- lifecycle state (written only by cases/services/) --------------------------------
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every change; stale forms are refused.")
    )
    policy = models.ForeignKey(
        DeadlinePolicy,
        verbose_name=_("deadline policy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    stage_started_at = models.DateTimeField(_("stage started at"), null=True, blank=True)
    extended = models.BooleanField(_("deadline extended in this stage"), default=False)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    supervision_level = models.PositiveSmallIntegerField(
        _("supervision level"), choices=SupervisionLevel.choices, default=SupervisionLevel.NONE
    )
    decline_route = models.CharField(
        _("legal route"), max_length=20, choices=LegalRoute.choices, blank=True
    )
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    dissatisfied_count = models.PositiveSmallIntegerField(_("times rated dissatisfied"), default=0)
    # The due time for which the sweeper already reminded / escalated: claiming the next step
    # is a compare-and-swap on these, so two sweepers never act twice.
    reminded_for_due = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_for_due = models.DateTimeField(null=True, blank=True, editable=False)
    # Head of the event chain, written with every event: a truncated history shows.
    event_count = models.PositiveIntegerField(default=0, editable=False)
    last_event_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["region", "-received_at"], name="case_region_received"),
            models.Index(fields=["status", "due_at"], name="case_status_due"),
            models.Index(fields=["lead_unit", "status"], name="case_lead_status"),
            models.Index(fields=["-received_at", "-id"], name="case_received"),
            models.Index(fields=["due_at"], name="case_due", condition=~models.Q(due_at=None)),
            # A place's open cases by status and deadline: the workbench's counts and shelves
            # and the open list of a town, a few percent of all cases (bench/lifecycle.py).
            models.Index(
                fields=["region", "status", "due_at"],
                name="case_open_region",
                condition=models.Q(status__in=sorted(OPEN)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    ASSISTING = "assisting", _("Assisting unit")


class Assignment(TimeStampedModel):
    """One unit's part in a case: lead or assisting, its own deadline, check-in and report."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=10, choices=AssignmentRole.choices)
    assigned_at = models.DateTimeField(_("assigned at"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    check_in_due_at = models.DateTimeField(_("check-in due at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    report = models.TextField(_("report"), blank=True)
    ended_at = models.DateTimeField(
        _("ended at"), null=True, blank=True, help_text=_("Returned, reassigned or escalated.")
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            # At most one live lead unit per case.
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(role="lead", ended_at=None),
                name="assignment_one_live_lead",
            ),
            models.UniqueConstraint(
                fields=["case", "unit"],
                condition=models.Q(ended_at=None),
                name="assignment_unit_once_live",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "ended_at"], name="assignment_unit_live"),
            models.Index(
                fields=["due_at"], name="assignment_due", condition=models.Q(ended_at=None)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.code} · {self.unit} ({self.get_role_display()})"


class CaseEvent(models.Model):
    """One thing that happened to a case. Append-only; rows are hash-chained per case."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="events"
    )
    seq = models.PositiveIntegerField(_("sequence"))
    action = models.CharField(_("action"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_unit = models.ForeignKey(
        Unit,
        verbose_name=_("actor's unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")
    OTHER = "other", _("Other party")


class Party(models.Model):
    """A person's part in one case."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="parties"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="parties"
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "role"], name="party_once_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class CaseCodeSequence(models.Model):
    """The last case number handed out in a year; case codes are YYYY + six digits."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case code sequence")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class AttachmentKind(models.TextChoices):
    EVIDENCE = "evidence", _("Evidence")
    AGREEMENT = "agreement", _("Signed agreement (scan)")
    RECORD = "record", _("Record or minutes")
    PHOTO = "photo", _("Photo of the scene")
    OTHER = "other", _("Other material")


# What the list shows for a sniffed content type (tiaojie/core/uploads.py names them).
_TYPE_LABELS = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "video/mp4": "MP4",
    "audio/mpeg": "MP3",
    "audio/amr": "AMR",
    "audio/wav": "WAV",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-excel": "Excel",
}


class Attachment(models.Model):
    """A file in a case's dossier: stored on disk under an opaque name, its hash in the history."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="attachments"
    )
    # A random path under MEDIA_ROOT (attachments/YYYY/MM/<hex>): never the file's own name,
    # which may name a person.
    file = models.FileField(_("file"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    kind = models.CharField(
        pgettext_lazy("attachment", "kind"),
        max_length=20,
        choices=AttachmentKind.choices,
        default=AttachmentKind.EVIDENCE,
    )
    description = models.CharField(
        pgettext_lazy("attachment", "description"), max_length=500, blank=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by_unit = models.ForeignKey(
        Unit,
        verbose_name=_("uploaded by unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["case", "uploaded_at", "id"]
        indexes = [models.Index(fields=["case", "uploaded_at"], name="attachment_case_time")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.original_name}"

    @property
    def type_label(self) -> str:
        if self.content_type == "text/plain":
            return str(_("Text"))
        return _TYPE_LABELS.get(self.content_type, self.content_type)


from .search_models import CaseSearch  # noqa: E402,F401

# A change here must reach every process's cached copies at once (tiaojie.core.cache).
cache.watch("deadline_policies", DeadlinePolicy)
