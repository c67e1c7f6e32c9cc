from django.urls import path

from . import views

app_name = "push"

urlpatterns = [
    path("submissions/", views.SubmissionCreateView.as_view(), name="submissions"),
    path("submissions/<str:pk>/", views.SubmissionDetailView.as_view(), name="submission"),
]
