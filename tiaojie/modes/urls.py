from django.urls import path

from . import views

app_name = "modes"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/end/", views.end, name="end"),
]
