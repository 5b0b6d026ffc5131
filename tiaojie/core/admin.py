"""Admin screens for the official calendar (a year's holidays and make-up workdays)."""

from django.contrib import admin

from .calendar_models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "name", "source")
    list_filter = ("is_workday",)
    date_hierarchy = "date"
