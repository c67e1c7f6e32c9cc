from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "interop.transfer"
    label = "interop_transfer"
    verbose_name = _("Import and export")
