from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "workflows.review"
    label = "review"
    verbose_name = _("Submission review")

    def ready(self):
        from content_types.records.models import RecordPage

        from . import flows  # noqa: F401  (defines the flow, whose nodes add the process permissions)
        from .events import register_review_events
        from .inbox import register_review_inbox
        from .locks import review_lock

        if review_lock not in RecordPage.lock_sources:
            RecordPage.lock_sources.append(review_lock)
        register_review_events()
        register_review_inbox()
