from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PushConfig(AppConfig):
    """The write API: admin-issued client tokens push records into the review process."""

    name = "interop.push"
    label = "push"
    verbose_name = _("API clients and pushed records")
