from django.urls import path

from . import views

app_name = "ledger"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:import_id>/", views.detail, name="detail"),
    path("<int:import_id>/mapping/", views.mapping, name="mapping"),
    path("<int:import_id>/progress/", views.progress, name="progress"),
    path("<int:import_id>/import/", views.run_import, name="import"),
]
