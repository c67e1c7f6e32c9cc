from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HarvestConfig(AppConfig):
    name = "interop.harvest"
    label = "harvest"
    verbose_name = _("Harvesting")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from content_types.records.models import RecordPage

        from .locks import harvested_lock

        if harvested_lock not in RecordPage.lock_sources:
            RecordPage.lock_sources.append(harvested_lock)
