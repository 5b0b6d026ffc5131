from django.urls import include, path

from . import views, workbench

app_name = "cases"

case_pages = [
    path("", views.case_list, name="list"),
    path("<str:code>/", views.case_detail, name="detail"),
    path("<str:code>/act/<str:action>/", views.case_act, name="act"),
    path("<str:code>/agreement/", views.agreement, name="agreement"),
    path("<str:code>/notice/", views.notice, name="notice"),
    path("<str:code>/parties/<int:party>/full/", views.party_in_full, name="party_in_full"),
    path("<str:code>/attachments/", views.attachment_upload, name="attach"),
    path("<str:code>/attachments/<int:pk>/", views.attachment_download, name="attachment"),
]

# Mounted at the site's root: the workbench is /workbench/, the case pages are under /cases/.
urlpatterns = [
    path("workbench/", workbench.workbench, name="workbench"),
    path("cases/", include(case_pages)),
]
