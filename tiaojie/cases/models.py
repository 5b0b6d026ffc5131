"""Cases (事项), parties and persons. A first shape; the lifecycle issue owns the final one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import Unit
from tiaojie.core.crypto import EncryptedTextField
from tiaojie.core.enums import CaseKind, Category, Channel, RiskLevel, Tier
from tiaojie.core.idnumber import mask_id_number, mask_phone
from tiaojie.core.models import TimeStampedModel
from tiaojie.regions.models import Region

from .workflow import Status


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


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


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

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["region", "-received_at"], name="case_region_received"),
            models.Index(fields=["status", "due_at"], name="case_status_due"),
            models.Index(fields=["lead_unit", "status"], name="case_lead_status"),
            models.Index(fields=["-received_at", "-id"], name="case_received"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


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
