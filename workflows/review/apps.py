from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "workflows.review"
    label = "review"
    verbose_name = _("Submission review")

    def ready(self):
        from . import flows  # noqa: F401  (defines the flow, whose nodes add the process permissions)
