from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentBaseConfig(AppConfig):
    name = "content_types.base"
    label = "content_base"
    verbose_name = _("Shared content base")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Locale
        from wagtail_localize.models import Translation

        from .languages import forget_locale_codes, forget_translated_locales

        post_save.connect(forget_locale_codes, sender=Locale, dispatch_uid="chm_forget_locale_codes_saved")
        post_delete.connect(forget_locale_codes, sender=Locale, dispatch_uid="chm_forget_locale_codes_deleted")
        post_save.connect(forget_translated_locales, sender=Translation, dispatch_uid="chm_translated_locales_saved")
        post_delete.connect(
            forget_translated_locales, sender=Translation, dispatch_uid="chm_translated_locales_deleted"
        )
