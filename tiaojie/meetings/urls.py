from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("open/", views.meeting_open, name="open"),
    path("<int:meeting>/", views.meeting_detail, name="detail"),
    path("<int:meeting>/agenda/", views.meeting_agenda, name="agenda"),
    path("<int:meeting>/minutes/", views.meeting_minutes, name="minutes"),
    path("<int:meeting>/decisions/", views.meeting_decide, name="decide"),
    path("<int:meeting>/close/", views.meeting_close, name="close"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:task>/done/", views.task_done, name="task_done"),
    path("cases/<str:code>/review/", views.review, name="review"),
]
