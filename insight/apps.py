from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    """Country profiles, dashboards and the decision tracker: read-only views over published content."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "insight"
    verbose_name = _("Insight")
