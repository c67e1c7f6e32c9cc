"""What the suggestions panel needs to render: its endpoint, the form fields it reads and fills, and
its strings in the page's language (the same panel serves the workspace form and the admin editor)."""

import json

from django.urls import reverse
from django.utils.translation import gettext


def panel_messages() -> dict:
    return {
        "add": gettext("Add"),
        "addNamed": gettext("Add %(item)s"),
        "ignore": gettext("Ignore"),
        "ignoreNamed": gettext("Ignore %(item)s"),
        "added": gettext("%(item)s added to the form."),
        "ignored": gettext("%(item)s ignored."),
        "target": gettext("GBF target"),
        "subject": gettext("Subject"),
        "supportedBy": gettext("Because of:"),
        "score": gettext("Similarity %(score)s"),
        "found": gettext("%(count)s suggestions for your text."),
        "foundOne": gettext("One suggestion for your text."),
        "none": gettext("No suggestion yet: describe the record in a few sentences."),
        "failed": gettext("Suggestions are not available right now; the form works without them."),
        "busy": gettext("Looking for suggestions…"),
    }


def panel_context(*, sources: list[str], targets: str, subjects: str, language: str = "", placement: str = "") -> dict:
    """``sources``: ids of the fields whose text is read; ``targets``/``subjects``: ids of the fields
    that "Add" fills; ``language``: id of the field giving the text's language (optional);
    ``placement``: id of the element the panel is moved after (the admin editor)."""
    return {
        "endpoint": reverse("suggest:suggestions"),
        "messages": json.dumps(panel_messages(), ensure_ascii=False),
        "sources": " ".join(sources),
        "targets": targets,
        "subjects": subjects,
        "language": language,
        "placement": placement,
    }
