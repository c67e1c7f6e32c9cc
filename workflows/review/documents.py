"""Where submission attachments live: a restricted collection until the record is published.

Files under review must not be downloadable by guessing ``/documents/<id>/<name>``: they go to a
collection that only editors may read through Wagtail, the workspace serves them to the people the
matrix allows, and publication moves them to the public collection. Stored names are random so that
the media address cannot be guessed either.
"""

import secrets

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from workflows.core.people import ADMINISTRATOR_GROUP, EDITOR_GROUP

from .uploads import extension_of

RESTRICTED_COLLECTION_NAME = "Submissions under review"
PUBLIC_COLLECTION_NAME = "Record attachments"


def _child_collection(name: str) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


@transaction.atomic
def restricted_collection() -> Collection:
    collection = _child_collection(RESTRICTED_COLLECTION_NAME)
    if not collection.view_restrictions.exists():
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
        restriction.groups.set(Group.objects.filter(name__in=[EDITOR_GROUP, ADMINISTRATOR_GROUP]))
    return collection


def public_collection() -> Collection:
    return _child_collection(PUBLIC_COLLECTION_NAME)


def store_upload(uploaded, user):
    """A document in the restricted collection from a checked upload, stored under a random name."""
    Document = get_document_model()
    title = uploaded.name.rsplit("/", 1)[-1][:255]
    uploaded.name = f"{secrets.token_urlsafe(12)}.{extension_of(title)}"
    document = Document(title=title, collection=restricted_collection(), uploaded_by_user=user)
    document.file = uploaded
    if hasattr(document, "_set_document_file_metadata"):
        document._set_document_file_metadata()
    document.save()
    return document


def make_attachments_public(page) -> None:
    """Move the published record's attachments into the public collection."""
    from content_types.records.models import RecordAttachment

    Document = get_document_model()
    document_ids = RecordAttachment.objects.filter(page_id=page.pk).values_list("document_id", flat=True)
    Document.objects.filter(pk__in=list(document_ids), collection=restricted_collection()).update(
        collection=public_collection()
    )


def staged_documents(user, ids):
    """Documents ``user`` uploaded for a form that failed validation, still in the restricted collection."""
    Document = get_document_model()
    clean_ids = [int(value) for value in ids if str(value).isdigit()]
    if not clean_ids:
        return []
    return list(
        Document.objects.filter(pk__in=clean_ids, uploaded_by_user=user, collection=restricted_collection()).order_by(
            "pk"
        )
    )
