"""Admin screen for what each dispatch mode does (edits are audited like every admin edit)."""

from django.contrib import admin

from .models import ModeSetting


@admin.register(ModeSetting)
class ModeSettingAdmin(admin.ModelAdmin):
    list_display = ("mode", "deadline_factor", "notify_roles", "note")
    filter_horizontal = ("notify_units",)
