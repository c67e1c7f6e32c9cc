from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "cms.home"
    label = "home"
    verbose_name = _("Home and sections")

    def ready(self):
        from cms import frontend_purge, view_restrictions

        frontend_purge.connect_signals()
        view_restrictions.install()
