from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsFlowConfig(AppConfig):
    """The award process: nominations, the committee's evaluation, its decision and the publication."""

    name = "workflows.awards"
    label = "awards_flow"
    verbose_name = _("Award process")

    def ready(self):
        from . import flows  # noqa: F401  (defines the flow, whose nodes add the process permissions)
        from .events import register_award_events
        from .inbox import register_award_inbox
        from .policy import register_award_policies

        register_award_policies()
        register_award_events()
        register_award_inbox()
