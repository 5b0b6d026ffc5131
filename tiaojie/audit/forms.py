"""The filters of the auditor's screen."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import AuditKind, AuditOutcome
from .selectors import AuditFilters


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=lambda: [("", _("All kinds")), *AuditKind.choices]
    )
    user = forms.CharField(label=_("User name or id"), required=False, max_length=150)
    outcome = forms.ChoiceField(
        label=pgettext_lazy("audit", "Outcome"),
        required=False,
        choices=lambda: [("", _("All outcomes")), *AuditOutcome.choices],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(**{k: v for k, v in data.items() if v not in (None, "")})
