"""``/api/docs/``: the OpenAPI schema as readable documentation (Redoc, served by the portal)."""

from django.urls import path
from drf_spectacular.views import SpectacularRedocView

urlpatterns = [
    path(
        "", SpectacularRedocView.as_view(url_name="api-schema", template_name="interop_api/docs.html"), name="api-docs"
    ),
]
