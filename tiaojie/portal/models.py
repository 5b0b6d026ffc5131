"""What the portal keeps beside the case: the query code's keyed hash, consent and the rating."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.cases.models import Case, Satisfaction


class PortalTicket(models.Model):
    """A case submitted online: the hash of its private query code, the consent, the rating."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="portal_ticket"
    )
    # HMAC of case code and query code under the blind-index key (core/crypto.py): the code
    # itself is shown once and kept nowhere.
    code_hash = models.CharField(_("query code hash"), max_length=64, editable=False)
    # The form's one-time token (hashed): a form sent twice registers one case.
    form_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"))
    # PIPL art. 14: consent to the notice shown, recorded with the notice's version.
    consent_notice = models.CharField(_("privacy notice agreed to"), max_length=20)
    satisfaction = models.CharField(
        _("applicant's rating"), max_length=30, choices=Satisfaction.choices, blank=True
    )
    comment = models.TextField(_("applicant's comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("online submission")
        verbose_name_plural = _("online submissions")

    def __str__(self) -> str:
        return str(self.case_id)
