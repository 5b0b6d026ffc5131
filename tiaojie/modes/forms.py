"""Forms of the dispatch mode page: switch a scope into a mode, end a mode early."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaojie.regions.models import Region

from .models import Mode

_LOCAL = "%Y-%m-%dT%H:%M"
DURATIONS = (
    ("6", _("6 hours")),
    ("12", _("12 hours")),
    ("24", _("1 day")),
    ("72", _("3 days")),
    ("168", _("7 days")),
)


class SwitchForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[(Mode.URGENT.value, Mode.URGENT.label), (Mode.WARTIME.value, Mode.WARTIME.label)],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    scope = forms.ModelChoiceField(
        label=_("Scope"),
        queryset=Region.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    hours = forms.ChoiceField(
        label=_("For"),
        choices=DURATIONS,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    ends_at = forms.DateTimeField(
        label=_("Or until"),
        required=False,
        input_formats=[_LOCAL],
        widget=forms.DateTimeInput(
            format=_LOCAL, attrs={"type": "datetime-local", "class": "form-control"}
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args: Any, scopes: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scope"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Region.objects.filter(pk__in=[r.pk for r in scopes]).order_by(
            "depth", "code"
        )

    def until(self, now: dt.datetime) -> dt.datetime:
        """The end the user chose: a date and time, or a span from now."""
        chosen = self.cleaned_data.get("ends_at")
        if chosen is not None:
            return chosen if timezone.is_aware(chosen) else timezone.make_aware(chosen)
        return now + dt.timedelta(hours=int(self.cleaned_data.get("hours") or 24))


class EndForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for ending early"),
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
