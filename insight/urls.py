from django.urls import path, re_path

from . import views

app_name = "insight"

urlpatterns = [
    path("countries/", views.country_list, name="countries"),
    re_path(r"^countries/(?P<code>[A-Za-z]{2})/$", views.country_profile, name="country"),
    path("dashboards/", views.dashboards_index, name="dashboards"),
    path("dashboards/national-reports/", views.dashboard_reporting, name="dashboard-reporting"),
    path("dashboards/progress/", views.dashboard_progress, name="dashboard-progress"),
    path("dashboards/records-and-events/", views.dashboard_activity, name="dashboard-activity"),
    path("dashboards/needs-and-offers/", views.dashboard_cooperation, name="dashboard-cooperation"),
    path("decisions/tracker/", views.decision_tracker, name="decision-tracker"),
]
