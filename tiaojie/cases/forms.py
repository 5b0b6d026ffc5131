"""Input parsing for case pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaojie.accounts.models import Unit
from tiaojie.core.enums import CaseKind, Category, Channel, RiskLevel, Tier
from tiaojie.regions.models import Region

from .models import AttachmentKind
from .selectors import CaseFilters
from .workflow import Status


def _blank(choices: Sequence[tuple[Any, Any]], label: Any) -> list[tuple[Any, Any]]:
    return [("", label), *choices]


class PlainSelect(forms.Select):
    """A select whose options are written directly rather than through a template each.

    The list's unit filter offers every unit a district dispatcher may give work to (about
    500 in the demo county): Django's per-option templates took 23 ms of CPU on every case
    list (bench/lifecycle.py), more than the list's queries. Same markup, one string join.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        final = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), options)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    status = forms.ChoiceField(
        label=_("Status"),
        widget=PlainSelect,
        required=False,
        choices=lambda: _blank([("open", _("All open")), *Status.choices], _("All statuses")),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        widget=PlainSelect,
        required=False,
        choices=lambda: _blank(CaseKind.choices, _("All kinds")),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        widget=PlainSelect,
        required=False,
        choices=lambda: _blank(Category.choices, _("All categories")),
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        widget=PlainSelect,
        required=False,
        choices=lambda: _blank(Channel.choices, _("All channels")),
    )
    risk_level = forms.ChoiceField(
        label=_("Risk"),
        widget=PlainSelect,
        required=False,
        choices=lambda: _blank(RiskLevel.choices, _("All risk levels")),
    )
    tier = forms.ChoiceField(
        label=_("Tier"),
        widget=PlainSelect,
        required=False,
        choices=lambda: _blank(Tier.choices, _("All tiers")),
    )
    unit = forms.TypedChoiceField(
        label=_("Unit"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    town = forms.ChoiceField(label=_("Town"), required=False, widget=PlainSelect)
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(
        self, *args: object, towns: list[Region], units: list[Unit] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        unit_choices = _blank([(u.pk, u.short_name or u.name) for u in units or []], _("All units"))
        self.fields["unit"].choices = unit_choices  # type: ignore[attr-defined]
        town_choices = _blank([(t.code, t.name) for t in towns], _("All towns"))
        self.fields["town"].choices = town_choices  # type: ignore[attr-defined]
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            else:
                widget.attrs["class"] = "form-control form-control-sm"

    def filters(self) -> CaseFilters:
        data = self.cleaned_data
        return CaseFilters(**{k: v for k, v in data.items() if v not in (None, "")})


# Offered in the file picker; the service decides from the bytes (tiaojie/core/uploads.py).
ATTACHMENT_ACCEPT = (
    ".pdf,.jpg,.jpeg,.png,.gif,.webp,.doc,.docx,.xls,.xlsx,.txt,.mp3,.amr,.wav,.mp4,.m4a,.mov"
)


class AttachmentForm(forms.Form):
    """One file for the case's dossier, what kind it is, and a line about it."""

    # Empty and oversized files are refused by the service, with the same words for the API.
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        widget=forms.FileInput(
            attrs={"class": "form-control form-control-sm", "accept": ATTACHMENT_ACCEPT}
        ),
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("attachment", "Kind"),
        choices=AttachmentKind.choices,
        initial=AttachmentKind.EVIDENCE,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    description = forms.CharField(
        label=pgettext_lazy("attachment", "Description"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
