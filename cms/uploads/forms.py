"""The Wagtail admin's document forms (``WAGTAILDOCS_DOCUMENT_FORM_BASE``) check files as the workspace does."""

from wagtail.documents.forms import BaseDocumentForm

from .validators import validate_upload


class CheckedDocumentForm(BaseDocumentForm):
    """Every admin document upload (single, multiple, chooser) passes :func:`validate_upload` before it is stored."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            validate_upload(uploaded)
        return uploaded
