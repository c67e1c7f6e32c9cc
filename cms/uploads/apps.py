from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UploadsConfig(AppConfig):
    """Checks on uploaded files, the request-size cap and the sweep of abandoned uploads."""

    name = "cms.uploads"
    label = "uploads"
    verbose_name = _("Uploads")
