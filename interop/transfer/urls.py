"""The record import in the admin: upload, dry-run report, confirmation, and the templates per type."""

from django.urls import path

from . import views

app_name = "record_import"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("template/<slug:type_code>.<str:extension>", views.template_file, name="template"),
    path("jobs/<int:pk>/", views.job_page, name="job"),
    path("jobs/<int:pk>/progress.json", views.job_progress, name="job_progress"),
    path("<str:token>/", views.report, name="report"),
    path("<str:token>/confirm/", views.confirm, name="confirm"),
]
