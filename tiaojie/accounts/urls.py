from django.urls import path

from . import login_views, views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", login_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", login_views.LogoutView.as_view(), name="logout"),
    path("accounts/code/", login_views.two_factor_step, name="two_factor"),
    path("accounts/code/setup/", login_views.two_factor_setup, name="two_factor_setup"),
    path("accounts/code/setup/qr.svg", login_views.two_factor_qr, name="two_factor_qr"),
    path("accounts/code/backup/", login_views.backup_codes, name="backup_codes"),
    path("accounts/password/", login_views.password_change, name="password_change"),
    path("accounts/security/", login_views.security, name="security"),
    path("units/", views.units, name="units"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.open_notification, name="notification"),
]
