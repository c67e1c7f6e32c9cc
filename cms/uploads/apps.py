from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UploadsConfig(AppConfig):
    """Checks on uploaded files, the request-size cap, the sweep of abandoned uploads, rendition names."""

    name = "cms.uploads"
    label = "uploads"
    verbose_name = _("Uploads")

    def ready(self):
        from cms.uploads import renditions

        renditions.connect_signals()
