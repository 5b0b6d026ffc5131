from django.urls import path

from . import views

app_name = "routing"

urlpatterns = [
    path("", views.rules, name="rules"),
    path("rules/new/", views.new, name="new"),
    path("rules/<int:rule_id>/", views.rule, name="rule"),
    path("rules/<int:rule_id>/edit/", views.edit, name="edit"),
]
