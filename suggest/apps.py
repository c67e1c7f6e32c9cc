from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestConfig(AppConfig):
    name = "suggest"
    verbose_name = _("Suggestions while writing")

    def ready(self):
        from . import signals

        signals.connect()
