from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("window/", views.window, name="window"),
    path("window/matches/", views.window_matches, name="window_matches"),
]
