from django.urls import path

from . import views

app_name = "grid"

urlpatterns = [
    path("report/", views.report_page, name="report"),
]
