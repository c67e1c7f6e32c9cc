from django.urls import path

from . import views

app_name = "awards_flow"

urlpatterns = [
    path("", views.awards_home, name="home"),
    path("cycles/<int:cycle_pk>/", views.cycle_home, name="cycle"),
    path("cycles/<int:cycle_pk>/committee/", views.committee_form, name="committee"),
    path("cycles/<int:cycle_pk>/nominate/", views.nomination_form, name="nominate"),
    path("cycles/<int:cycle_pk>/nominations/<int:pk>/edit/", views.nomination_form, name="edit"),
    path("cycles/<int:cycle_pk>/ranking/", views.ranking, name="ranking"),
    path("cycles/<int:cycle_pk>/close-scoring/", views.close_scoring, name="close_scoring"),
    path("cycles/<int:cycle_pk>/decision/", views.decision, name="decision"),
    path("cycles/<int:cycle_pk>/sign-off/", views.sign_off, name="sign_off"),
    path("cycles/<int:cycle_pk>/publish/", views.publish, name="publish"),
    path("cycles/<int:cycle_pk>/score-sheet.<str:fmt>", views.export, name="export"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination"),
    path("nominations/<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("nominations/<int:pk>/screenshots/<int:screenshot_pk>/", views.screenshot, name="screenshot"),
    path("nominations/<int:pk>/check/", views.check, name="check"),
    path("nominations/<int:pk>/score/", views.score, name="score"),
    path("nominations/<int:pk>/visit/", views.visit, name="visit"),
    path("nominations/<int:pk>/conflict/", views.conflict, name="conflict"),
]
