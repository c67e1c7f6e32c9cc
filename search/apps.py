from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChmSearchConfig(AppConfig):
    name = "search"
    label = "chm_search"
    verbose_name = _("Search")

    def ready(self):
        from . import signals

        signals.connect()
