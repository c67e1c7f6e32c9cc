from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropApiConfig(AppConfig):
    name = "interop.api"
    label = "interop_api"
    verbose_name = _("Open API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # connects the pages' tombstone receivers

        signals.connect_award_receivers()
