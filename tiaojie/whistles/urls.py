from django.urls import path

from . import views

app_name = "whistles"

urlpatterns = [
    path("whistles/", views.call_list, name="list"),
    path("cases/<str:code>/whistles/new/", views.raise_whistle, name="raise"),
    path("cases/<str:code>/whistles/<int:whistle>/check-in/", views.check_in, name="check_in"),
    path("cases/<str:code>/whistles/<int:whistle>/close/", views.close, name="close"),
]
