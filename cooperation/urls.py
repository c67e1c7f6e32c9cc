from django.urls import path

from . import views

app_name = "cooperation"

urlpatterns = [
    path("", views.my_matches, name="mine"),
    path("board/", views.board, name="board"),
    path("propose/", views.propose, name="propose"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/answer/", views.proposal_answer, name="answer"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="withdraw"),
]
