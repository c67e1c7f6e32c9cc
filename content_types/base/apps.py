from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentBaseConfig(AppConfig):
    name = "content_types.base"
    label = "content_base"
    verbose_name = _("Shared content base")
