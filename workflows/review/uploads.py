"""What the workspace allows as attachments of a record; the checks themselves are :mod:`cms.uploads.validators`.

Every file is checked (count, size, kind, content, bounded look into archives) before anything is
stored, by the same validator the Wagtail admin's document forms use.
"""

from django.conf import settings

from cms.uploads.validators import allowed_extensions, extension_of, validate_upload, validate_upload_count

__all__ = [
    "MAX_ATTACHMENTS",
    "allowed_extensions",
    "extension_of",
    "max_upload_size",
    "validate_attachment",
    "validate_attachment_count",
]

MAX_ATTACHMENTS = settings.UPLOAD_MAX_FILES


def max_upload_size() -> int:
    return getattr(settings, "REVIEW_ATTACHMENT_MAX_SIZE", None) or settings.WAGTAILDOCS_MAX_UPLOAD_SIZE


def validate_attachment(uploaded) -> None:
    """Raise a ``ValidationError`` that names the file and says what is wrong with it."""
    validate_upload(uploaded, max_size=max_upload_size())


def validate_attachment_count(count: int) -> None:
    validate_upload_count(count, MAX_ATTACHMENTS)
