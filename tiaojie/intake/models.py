"""Machine channels that send cases in (video alarms, the 12345 hotline, department
referrals), and the record of each request they made, for idempotency."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import Unit
from tiaojie.core import cache
from tiaojie.core.crypto import EncryptedTextField
from tiaojie.core.enums import Channel
from tiaojie.core.models import TimeStampedModel
from tiaojie.regions.models import Region

SYSTEM_CHANNELS = (Channel.VIDEO, Channel.HOTLINE, Channel.REFERRAL)


class IntakeSource(TimeStampedModel):
    """One sending system with its own shared secret (HMAC) and receiving unit."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    channel = models.CharField(
        _("channel"),
        max_length=20,
        choices=[(c.value, c.label) for c in SYSTEM_CHANNELS],
    )
    # Encrypted at rest like personal data: it is a credential.
    secret = EncryptedTextField(_("shared secret"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("receiving unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit that registers what this source sends (首接)."),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("default place"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where a case is placed when the request names no place we know."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("intake source")
        verbose_name_plural = _("intake sources")

    def __str__(self) -> str:
        return self.name


class IntakeStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    REGISTERED = "registered", _("Registered")
    FAILED = "failed", _("Failed")


class IntakeRequest(models.Model):
    """A signed request, kept from the moment it is acknowledged until its case exists.

    The endpoint validates, hands out the case code and stores the request (one short
    transaction); ``services.process`` then registers the case under that code. A request
    acknowledged is never lost: it stays here, received or failed, until it is registered.
    """

    # Indexes cost every receipt a write: the unique (source, key) serves lookups by source,
    # and only registered requests have a case to look up (see Meta).
    source = models.ForeignKey(
        IntakeSource, on_delete=models.PROTECT, related_name="requests", db_index=False
    )
    key = models.CharField(_("idempotency key"), max_length=100)
    body_sha256 = models.CharField(max_length=64)
    case_code = models.CharField(_("case code"), max_length=10)  # unique: see Meta
    # The validated request as JSON; it holds names, ID and phone numbers, so it is encrypted.
    payload = EncryptedTextField(_("request"))
    status = models.CharField(
        _("status"), max_length=12, choices=IntakeStatus.choices, default=IntakeStatus.RECEIVED
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    received_at = models.DateTimeField(_("received at"))
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("intake request")
        verbose_name_plural = _("intake requests")
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="intake_key_once_per_source"),
            # A constraint rather than unique=True: no second (LIKE) index on PostgreSQL.
            models.UniqueConstraint(fields=["case_code"], name="intake_case_code_once"),
        ]
        indexes = [
            models.Index(
                fields=["case"], name="intake_request_case", condition=models.Q(case__isnull=False)
            ),
            models.Index(
                fields=["received_at"],
                name="intake_pending",
                condition=models.Q(status="received"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_code} ({self.status})"


# A change here must reach every process's cached copies at once (tiaojie.core.cache).
cache.watch("intake_sources", IntakeSource)
