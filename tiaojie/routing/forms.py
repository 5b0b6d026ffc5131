"""Forms of the catalogue screens. They parse input; the checks of substance are services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import UnitKind
from tiaojie.core.enums import CaseKind, Category, RiskLevel, Tier
from tiaojie.regions.models import Region, RegionLevel

from . import selectors
from .models import RULE_FIELDS, DispatchRule
from .replay import DEFAULT_MONTHS, MAX_MONTHS


def _regions() -> Any:
    # Rules are written for the district, its towns and villages; a grid is too small a place.
    return Region.objects.exclude(level=RegionLevel.GRID).order_by("path")


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


def apply(rule: DispatchRule, data: dict[str, Any]) -> DispatchRule:
    """``rule`` (not saved) with the values of a valid RuleForm."""
    for field in RULE_FIELDS:
        setattr(rule, field, data[field])
    return rule


def query(data: dict[str, Any], **changes: Any) -> QueryDict:
    """A RuleForm's values (``initial_for`` or cleaned) as the form's query string."""
    out = QueryDict(mutable=True)
    for field, value in {**data, **changes}.items():
        if field not in (*RULE_FIELDS, "months"):
            continue
        if field == "region":
            out[field] = str(value.pk) if value is not None else ""
        elif field == "assisting_kinds":
            out.setlist(field, list(value))
        elif field == "is_active":
            if value:
                out[field] = "on"
        else:
            out[field] = str(value)
    return out


class RuleFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *CaseKind.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Category.choices]
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"), required=False, choices=[("", _("All levels")), *RiskLevel.choices]
    )
    region = forms.ModelChoiceField(
        label=_("Region"), required=False, queryset=Region.objects.none(), empty_label=_("All")
    )
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        initial="active",
        choices=[("active", _("Active")), ("inactive", _("Deactivated")), ("", _("All"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions()  # type: ignore[attr-defined]
        _styled(self)

    def filters(self) -> selectors.RuleFilters:
        if not self.is_bound:
            return selectors.RuleFilters()
        if not self.is_valid():
            return selectors.RuleFilters()
        return selectors.RuleFilters(**self.cleaned_data)


class RuleForm(forms.Form):
    """A rule as it would be after the change, and how far back to replay it."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *CaseKind.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any category")), *Category.choices]
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"), required=False, choices=[("", _("Any level")), *RiskLevel.choices]
    )
    region = forms.ModelChoiceField(
        label=_("Region scope"),
        required=False,
        queryset=Region.objects.none(),
        empty_label=_("Everywhere"),
        help_text=_("Only cases in this region and below; empty for everywhere."),
    )
    tier = forms.ChoiceField(label=_("Handling tier"), choices=Tier.choices)
    lead_kind = forms.ChoiceField(label=_("Lead unit kind"), choices=UnitKind.choices)
    assisting_kinds = forms.MultipleChoiceField(
        label=_("Assisting unit kinds"),
        required=False,
        choices=UnitKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    policy_code = forms.ChoiceField(label=_("Deadline policy"), required=False, choices=[])
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    months = forms.IntegerField(
        label=_("Replay the cases of the last … months"),
        min_value=1,
        max_value=MAX_MONTHS,
        initial=DEFAULT_MONTHS,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions()  # type: ignore[attr-defined]
        self.fields["policy_code"].choices = [  # type: ignore[attr-defined]
            ("", _("Legal default for the kind and category")),
            *selectors.policy_choices(),
        ]
        _styled(self)

    @classmethod
    def initial_for(cls, rule: DispatchRule | None) -> dict[str, Any]:
        if rule is None:
            return {"is_active": True, "months": DEFAULT_MONTHS}
        values = {f: getattr(rule, f) for f in RULE_FIELDS}
        return {**values, "months": DEFAULT_MONTHS}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("lead_kind") and data.get("lead_kind") in data.get("assisting_kinds", []):
            self.add_error(
                "assisting_kinds", _("The lead unit kind cannot also be an assisting unit kind.")
            )
        return data

    def apply(self, rule: DispatchRule) -> DispatchRule:
        return apply(rule, self.cleaned_data)

    def rule_fields(self) -> list[forms.BoundField]:
        return [self[f] for f in RULE_FIELDS]


class SaveForm(RuleForm):
    """The previewed rule, sent back with the version it was previewed on and the reason."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Please give the reason for the change.")},
    )
