from django.apps import AppConfig


class ChecklistConfig(AppConfig):
    """A tiny second flow for the workflow core's tests; it has no tables of its own."""

    name = "tests.workflows.core.checklist"
    label = "core_checklist"
