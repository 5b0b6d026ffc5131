"""Forms of the ledger pages: the upload, and the column mapping with its default values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaojie.core.enums import CaseKind, Category, Channel

from .columns import LedgerField
from .models import LedgerImport


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Ledger file"),
        help_text=_("Excel (.xlsx) or CSV (UTF-8 or GBK), the header in one of the first rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )


_DEFAULTS = (
    (LedgerField.KIND, CaseKind.choices),
    (LedgerField.CATEGORY, Category.choices),
    (LedgerField.CHANNEL, Channel.choices),
)


class MappingForm(forms.Form):
    """One choice of column per field of ours, and the value an empty cell stands for."""

    save_as = forms.CharField(
        label=_("Save this mapping as"),
        required=False,
        max_length=100,
        help_text=_("Optional: a name, to use the same columns for the next ledger."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, ledger: LedgerImport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        columns = [("", _("— not in the file —"))] + [
            (str(i), name or _("Column %(n)s") % {"n": i + 1})
            for i, name in enumerate(ledger.header)
        ]
        for name, label in LedgerField.choices:
            self.fields[f"col_{name}"] = forms.ChoiceField(
                label=label,
                choices=columns,
                required=False,
                initial=str(ledger.mapping[name]) if name in ledger.mapping else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
        for name, choices in _DEFAULTS:
            self.fields[f"default_{name}"] = forms.ChoiceField(
                label=LedgerField(name).label,
                choices=choices,
                initial=ledger.defaults.get(name),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
        self.order_fields([*(f"col_{n}" for n in LedgerField.values), "save_as"])

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"col_{n}"] for n in LedgerField.values]

    def default_fields(self) -> list[forms.BoundField]:
        return [self[f"default_{n}"] for n, _choices in _DEFAULTS]

    def mapping(self) -> dict[str, int]:
        return {
            name: int(self.cleaned_data[f"col_{name}"])
            for name in LedgerField.values
            if self.cleaned_data.get(f"col_{name}") not in (None, "")
        }

    def defaults(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"default_{name}"] for name, _choices in _DEFAULTS}
