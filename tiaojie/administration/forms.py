from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import Unit
from tiaojie.accounts.roles import ADMIN_ROLES, Role

from .services import Profile


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or user name"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Switched off"))],
    )


class ProfileForm(forms.Form):
    real_name = forms.CharField(label=_("Real name"), max_length=50)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.filter(is_active=True).select_related("region"),
        required=False,
    )
    title = forms.CharField(label=_("Job title"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        help_text=_("Leave empty to keep the stored number."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
        self.fields["unit"].widget.attrs["class"] = "form-select"

    def profile(self) -> Profile:
        data = self.cleaned_data
        return Profile(
            real_name=data["real_name"],
            unit=data["unit"],
            title=data["title"],
            phone=data["phone"] or None,
        )


class NewAccountForm(ProfileForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    field_order = ["username", "real_name", "unit", "title", "phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = ""


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        choices=[(r.value, r.label) for r in Role if r not in ADMIN_ROLES],
        widget=forms.CheckboxSelectMultiple,
    )
    sensitive_clearance = forms.BooleanField(
        label=_("May read the contents of cases labelled sensitive"), required=False
    )
