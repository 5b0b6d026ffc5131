"""Case statuses and their groups. The transition table grows here (issue: the closed loop)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ACCEPTED = "accepted", _("Accepted")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    SUSPENDED = "suspended", _("Suspended")
    RESOLVED = "resolved", _("Resolved")
    UNRESOLVED = "unresolved", _("Unresolved")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
    MERGED = "merged", _("Merged")
    WITHDRAWN = "withdrawn", _("Withdrawn")


TERMINAL = frozenset({Status.CLOSED, Status.DECLINED, Status.MERGED, Status.WITHDRAWN})
OPEN = frozenset(set(Status) - TERMINAL)
# Concluded = the handling ended in an outcome that counts for 化解率 (DESIGN §6).
CONCLUDED = frozenset({Status.RESOLVED, Status.UNRESOLVED, Status.CLOSED})
