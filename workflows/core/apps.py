from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowCoreConfig(AppConfig):
    """The parts every flow shares: policies, guarded nodes, task helpers, the audit base and the inbox."""

    name = "workflows.core"
    label = "workflow_core"
    verbose_name = _("Workflow core")
