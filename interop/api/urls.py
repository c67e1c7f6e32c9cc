from django.urls import path

from . import awards
from .views import VOCABULARY_NAMES, ChangesView, detail_view, list_view, vocabulary_view

app_name = "interop-api"

ROUTES = {"record": "records", "event": "events", "network": "networks", "news": "news"}

urlpatterns = [
    path("changes/", ChangesView.as_view(), name="changes"),
    path("awards/", awards.AwardListView.as_view(), name="award-list"),
    path("awards/<str:identifier>/", awards.AwardDetailView.as_view(), name="award-detail"),
    *[path(f"{route}/", list_view(kind), name=f"{kind}-list") for kind, route in ROUTES.items()],
    *[path(f"{route}/<str:identifier>/", detail_view(kind), name=f"{kind}-detail") for kind, route in ROUTES.items()],
    *[path(f"vocabularies/{name}/", vocabulary_view(name), name=f"vocabulary-{name}") for name in VOCABULARY_NAMES],
]
