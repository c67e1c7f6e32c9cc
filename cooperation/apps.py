from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    """Technical and scientific cooperation: needs matched with offers and expert profiles."""

    name = "cooperation"
    label = "cooperation"
    verbose_name = _("Cooperation")

    def ready(self):
        from . import signals
        from .events import register_match_events
        from .policy import register_match_policies

        register_match_policies()
        register_match_events()
        signals.connect()
