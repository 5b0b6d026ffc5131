from django.urls import path

from . import views, work

app_name = "administration"

urlpatterns = [
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/new/", views.new_account, name="new_account"),
    path("accounts/<int:pk>/", views.account, name="account"),
    path("accounts/<int:pk>/active/", views.switch_account, name="switch_account"),
    path("accounts/<int:pk>/password/", views.reset_account_password, name="reset_password"),
    path("accounts/<int:pk>/roles/", views.account_roles, name="roles"),
    path("work/", work.work, name="work"),
    path("work/<uuid:work_id>/retry/", work.retry_work, name="retry_work"),
    path("work/sms/<int:pk>/retry/", work.retry_sms, name="retry_sms"),
]
