from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("", views.workspace, name="home"),
    path("new/", views.choose_type, name="choose_type"),
    path("new/<slug:type_name>/", views.create_record, name="create"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/edit/", views.edit_record, name="edit"),
    path("submissions/<int:pk>/submit/", views.submit_submission, name="submit"),
    path("submissions/<int:pk>/withdraw/", views.withdraw_submission, name="withdraw"),
    path("submissions/<int:pk>/revise/", views.start_revision, name="start_revision"),
    path("submissions/<int:pk>/history/", views.submission_history, name="history"),
    path(
        "submissions/<int:pk>/attachments/<int:document_id>/",
        views.download_attachment,
        name="attachment",
    ),
    path("tasks/", views.task_inbox, name="tasks"),
    path("tasks/<int:task_pk>/", views.task_detail, name="task"),
    path("tasks/<int:task_pk>/done/", views.submission_or_tasks, name="submission_or_tasks"),
    path("tasks/<int:task_pk>/claim/", views.task_claim, name="task_claim"),
    path("tasks/<int:task_pk>/release/", views.task_release, name="task_release"),
]
