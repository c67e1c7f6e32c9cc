"""Which page revisions name a document among their attachments (a draft's attachments live only in its
revision's JSON until it is published)."""

from django.db import connection
from django.db.models import Q


def revisions_naming(revisions, document_ids):
    """``revisions`` (a queryset of Wagtail revisions) narrowed to those whose ``attachments`` may name
    one of ``document_ids``: exactly, by JSON containment, on PostgreSQL (which SQLite cannot do); on
    the embedded SQLite default, every revision with attachments, for the caller to check each entry."""
    if connection.vendor == "postgresql":
        mentions = Q()
        for document_id in document_ids:
            mentions |= Q(content__attachments__contains=[{"document": document_id}])
        return revisions.filter(mentions) if mentions else revisions.none()
    return revisions.filter(content__attachments__isnull=False)


def named_documents(attachments) -> set[int]:
    """The document ids a revision's ``attachments`` name."""
    return {
        attachment["document"]
        for attachment in attachments or []
        if isinstance(attachment, dict) and isinstance(attachment.get("document"), int)
    }
