"""Units (单位/部门), staff users and grid duties."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.models import Session
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from tiaojie.core import cache
from tiaojie.core.crypto import EncryptedTextField
from tiaojie.core.enums import Tier
from tiaojie.core.idnumber import mask_phone
from tiaojie.core.models import TimeStampedModel
from tiaojie.regions.models import Region

if TYPE_CHECKING:
    from django.http import HttpRequest


class UnitKind(models.TextChoices):
    DISTRICT_CENTER = "district_center", _("District governance center")
    TOWN_CENTER = "town_center", _("Town governance center")
    COURT = "court", _("People's court")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    POLICE = "police", _("Public security bureau")
    POLICE_STATION = "police_station", _("Police station")
    JUSTICE_BUREAU = "justice_bureau", _("Justice bureau")
    JUSTICE_OFFICE = "justice_office", _("Justice office")
    PETITION_BUREAU = "petition_bureau", _("Petition bureau")
    HUMAN_RESOURCES = "human_resources", _("Human resources and social security bureau")
    HOUSING = "housing", _("Housing and construction bureau")
    HEALTH = "health", _("Health commission")
    PSYCHOLOGY = "psychology", _("Psychological service center")
    NATURAL_RESOURCES = "natural_resources", _("Natural resources bureau")
    ECOLOGY = "ecology", _("Ecology and environment bureau")
    MARKET_REGULATION = "market_regulation", _("Market regulation bureau")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs bureau")
    WOMEN_FEDERATION = "women_federation", _("Women's federation")
    VILLAGE_COMMITTEE = "village_committee", _("Village or residents' committee")
    OTHER = "other", _("Other unit")


class Stationing(models.TextChoices):
    """How a department is present at a center (常驻/轮驻/随驻)."""

    PERMANENT = "permanent", _("Permanently stationed")
    ROTATING = "rotating", _("Stationed in rotation")
    ON_CALL = "on_call", _("Stationed on call")


class Unit(TimeStampedModel):
    """A center, a department or a village committee; owns a region and employs staff."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=UnitKind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="units",
        help_text=_("The area this unit serves; its staff see cases in this area."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    stationed_at = models.ForeignKey(
        "self",
        verbose_name=_("stationed at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stationed_units",
        help_text=_("The governance center where this department keeps staff."),
    )
    stationing = models.CharField(
        _("stationing"), max_length=20, choices=Stationing.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["region__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_in_region"),
            models.CheckConstraint(
                condition=models.Q(stationing="") | models.Q(stationed_at__isnull=False),
                name="unit_stationing_needs_center",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tier(self) -> Tier:
        return self.region.tier


class User(AbstractUser):
    """A staff member: a real name, a unit and one or more roles (auth groups)."""

    real_name = models.CharField(_("real name"), max_length=50)
    phone = EncryptedTextField(_("mobile phone"), blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    title = models.CharField(_("job title"), max_length=50, blank=True)
    sensitive_clearance = models.BooleanField(
        _("cleared for sensitive cases"),
        default=False,
        help_text=_(
            "May read the contents of cases labelled sensitive "
            "(given by the security administrator)."
        ),
    )
    # Set when the user chooses their own password. Empty means someone else set it (a new
    # account, a reset): the user must choose a new one at the next sign-in.
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    # Not a column: who is deactivating this user in the save at hand (services.deactivate_user),
    # for the signal the save sends; a save from anywhere else reports no actor.
    deactivated_by: tuple[Any, HttpRequest | None] | None = None
    # Not a column either: why, when the system disables the account (services.disable_dormant).
    deactivation_detail: dict[str, str | int] | None = None
    _was_active: bool | None = None  # is_active before the save at hand (receivers.py)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.real_name or self.username

    def get_full_name(self) -> str:
        return self.real_name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        """Role codes, loaded once per request (the menu and every check read them)."""
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes & set(roles))

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone or "")


class PasswordHistory(models.Model):
    """A hash of a password a user had, so a new one cannot repeat the last few."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(_("password"), max_length=128)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("previous password")
        verbose_name_plural = _("previous passwords")
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


class UserSession(models.Model):
    """Which server-side session belongs to whom, so all of a user's sessions can be ended."""

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="sessions"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("user session")
        verbose_name_plural = _("user sessions")

    def __str__(self) -> str:
        return f"{self.user_id} since {self.created_at:%Y-%m-%d %H:%M}"


class GridDuty(models.TextChoices):
    """一长两员: grid head, full-time and part-time grid workers."""

    HEAD = "head", _("Grid head")
    FULL_TIME = "full_time", _("Full-time grid worker")
    PART_TIME = "part_time", _("Part-time grid worker")


class GridMember(models.Model):
    """A grid worker's duty in one grid."""

    grid = models.ForeignKey(
        Region, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="grid_members"
    )
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="grid_duties"
    )
    duty = models.CharField(_("duty"), max_length=20, choices=GridDuty.choices)

    class Meta:
        verbose_name = _("grid member")
        verbose_name_plural = _("grid members")
        constraints = [
            models.UniqueConstraint(fields=["grid", "user"], name="grid_member_once"),
            models.UniqueConstraint(
                fields=["grid"], condition=models.Q(duty="head"), name="grid_one_head"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grid} · {self.user}"


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("Case assigned")
    REMINDER = "reminder", _("Deadline reminder")
    SUPERVISED = "supervised", _("Supervision")
    ESCALATED = "escalated", _("Escalated")
    RETURNED = "returned", _("Case returned")
    FOLLOW_UP = "follow_up", _("Follow-up due")
    WHISTLE = "whistle", _("Whistle")
    MODE = "mode", _("Dispatch mode")


class Notification(models.Model):
    """One message in a staff member's in-app inbox."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # What this message is about (kind, case, event or due time): the same fact never
    # reaches the same person twice, however often the sweeper runs.
    dedupe_key = models.CharField(max_length=120)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="notification_once"),
        ]
        indexes = [
            models.Index(
                fields=["user", "-created_at"],
                name="notification_unread",
                condition=models.Q(read_at=None),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SmsStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


MESSAGE_KEY_SALT = "tiaojie.accounts.SmsMessage.message_key"


class SmsMessage(models.Model):
    """A text message in the outbox; the worker sends it after its transaction commits."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    phone = EncryptedTextField(_("phone"))
    body = models.CharField(_("message"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=SmsStatus.choices, default=SmsStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # While "sending": the sender's lease. A message still sending after it was left by a
    # sender that died, and is sent again (at least once; the gateway drops the repeat).
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    # While "pending" after a failed attempt: not before this (backoff, by the database's
    # clock), so a gateway down for a while does not use all the attempts at once.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    dedupe_key = models.CharField(max_length=120, unique=True)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        indexes = [
            models.Index(
                fields=["created_at"], name="sms_pending", condition=models.Q(status="pending")
            )
        ]

    def __str__(self) -> str:
        return f"SMS {self.pk} ({self.status})"

    @property
    def message_key(self) -> str:
        """The key the gateway drops a repeat by: stable for the row, telling nothing of it."""
        # Keyed by the project's secret: the deduplication key is made of small ids, which a
        # plain hash would let anyone who sees the key try one by one.
        digest = salted_hmac(MESSAGE_KEY_SALT, self.dedupe_key, algorithm="sha256")
        return "tj-" + digest.hexdigest()[:32]


# A change here must reach every process's cached copies at once (tiaojie.core.cache).
cache.watch("units", Unit)
