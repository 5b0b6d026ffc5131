"""Admin screens for the data admins maintain: deadline policies."""

from django.contrib import admin

from .models import DeadlinePolicy


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "days", "working_days", "extension_days", "source")
    search_fields = ("code", "name", "source")
