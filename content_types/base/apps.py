from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentBaseConfig(AppConfig):
    name = "content_types.base"
    label = "content_base"
    verbose_name = _("Shared content base")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Locale

        from .languages import forget_locale_codes

        post_save.connect(forget_locale_codes, sender=Locale, dispatch_uid="chm_forget_locale_codes_saved")
        post_delete.connect(forget_locale_codes, sender=Locale, dispatch_uid="chm_forget_locale_codes_deleted")
