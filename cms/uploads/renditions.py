"""Image renditions whose addresses cannot be guessed, and that die when their image turns private.

Renditions are files on a public path (``/media/images/``, served by the proxy or a bucket), because
public pages show them at no cost to the portal. Wagtail names them after the original and the filter
(``river.fill-80x80.png``): anyone who knows or guesses an image's file name could fetch the
renditions of an image that only a draft shows. Here every rendition's name carries a random
128-bit token (``river.fill-80x80.<token>.png``), so its address is known only to those who were
shown a page with it, and the access authority (``workflows/access.py``) decides who is shown what.

When an image turns private — the last live page showing it is unpublished or deleted, or it is
moved into the review collection — its renditions are deleted after the commit (files included) and
the cache is told to forget them (tag ``rendition-<token>``, set by the proxy): addresses handed out
while it was public stop answering, and the next reader allowed to see it gets new ones.
"""

import posixpath
import re
import secrets
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.db import transaction

from cms import content_version

TOKEN_BYTES = 16  # 22 URL-safe characters
TOKEN_PATTERN = re.compile(r"\.(?P<token>[A-Za-z0-9_-]{22})\.[A-Za-z0-9]+$")


def unguessable_name(name: str) -> str:
    """``images/river.fill-80x80.png`` -> ``images/river.fill-80x80.<random token>.png``."""
    stem, extension = posixpath.splitext(name)
    return f"{stem}.{secrets.token_urlsafe(TOKEN_BYTES)}{extension}"


def rendition_token(name: str) -> str | None:
    match = TOKEN_PATTERN.search(name or "")
    return match.group("token") if match else None


def cache_tag(name: str) -> str | None:
    """The cache tag the proxy gives a rendition file (``deploy/nginx/portal.conf``)."""
    token = rendition_token(name)
    return f"rendition-{token}" if token else None


class UnguessableNamesMixin:
    """For the rendition storage only (``WAGTAILIMAGES_RENDITION_STORAGE``): originals keep their names."""

    def generate_filename(self, filename):
        return unguessable_name(super().generate_filename(filename))


class RenditionFileSystemStorage(UnguessableNamesMixin, FileSystemStorage):
    """Renditions in ``MEDIA_ROOT/images/`` under unguessable names."""


# --- an image turning private loses its renditions ---------------------------------------------------


def forget_renditions(image_ids) -> int:
    """Delete the renditions of those of ``image_ids`` that are restricted now; purge them from the cache.

    Deleting a rendition row deletes its file after the commit (Wagtail's own signal handler) and drops
    it from the renditions cache; it is made again, under a new name, when an allowed reader needs it.
    """
    from wagtail.images import get_image_model

    from workflows.access import restricted_image_ids

    image_ids = sorted({int(pk) for pk in image_ids})
    if not image_ids:
        return 0
    Rendition = get_image_model().get_rendition_model()
    with_renditions = set(Rendition.objects.filter(image_id__in=image_ids).values_list("image_id", flat=True))
    if not with_renditions:
        return 0
    private = restricted_image_ids(sorted(with_renditions))
    if not private:
        return 0
    renditions = list(Rendition.objects.filter(image_id__in=private))
    tags = sorted({tag for tag in (cache_tag(rendition.file.name) for rendition in renditions) if tag})
    for rendition in renditions:
        rendition.delete()
    content_version.bump()  # cached listing cards and fragments may name the old addresses
    if tags:
        from cms.frontend_purge import purge_pages, purge_urls
        from cms.resilience.tasks import SKIP, dispatch

        if purge_urls():
            transaction.on_commit(lambda: dispatch(purge_pages, tags, [], [], fallback=SKIP), robust=True)
    return len(renditions)


def _images_shown_by(page_ids) -> set[int]:
    from django.contrib.contenttypes.models import ContentType
    from wagtail.images import get_image_model
    from wagtail.models import Page, ReferenceIndex

    return {
        int(pk)
        for pk in ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(get_image_model()),
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(pk) for pk in page_ids],
        ).values_list("to_object_id", flat=True)
    }


def _after_commit(image_ids) -> None:
    if image_ids:
        ids = sorted(image_ids)
        transaction.on_commit(lambda: forget_renditions(ids), robust=True)


def on_page_unpublished(sender, instance, **kwargs):
    _after_commit(_images_shown_by([instance.pk]))


def on_page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page) and instance.live:
        _after_commit(_images_shown_by([instance.pk]))


def on_image_saved(sender, instance, created=False, raw=False, **kwargs):
    from workflows.access import restricted_collection_id

    if not created and not raw and instance.collection_id == restricted_collection_id():
        _after_commit({instance.pk})


def connect_signals() -> None:
    from django.db.models.signals import post_save, pre_delete
    from wagtail.images import get_image_model
    from wagtail.signals import page_unpublished

    page_unpublished.connect(on_page_unpublished, dispatch_uid="cms.uploads.renditions.unpublished")
    pre_delete.connect(on_page_deleted, dispatch_uid="cms.uploads.renditions.deleted")
    post_save.connect(on_image_saved, sender=get_image_model(), dispatch_uid="cms.uploads.renditions.image_saved")


def serve_rendition(request, path):
    """``/media/images/<path>`` when the portal serves the renditions itself (``SERVE_MEDIA``), with the
    cache tag the proxy would give it, so that a shared cache forgets it with its image's privacy."""
    from django.conf import settings
    from django.views.static import serve

    from cms.caching import add_cache_tags

    tag = cache_tag(path)
    if tag:
        add_cache_tags(request, tag)
    return serve(request, path, document_root=Path(settings.MEDIA_ROOT) / "images")
