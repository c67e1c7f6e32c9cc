"""The JSON each item of the open API is, built from the pages ``selectors.resolve_items`` loaded."""

import logging
import mimetypes
from datetime import UTC, date, datetime
from decimal import Decimal

from django.core.cache import cache
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from cms import content_version
from content_types.base.languages import page_text_language

from .kinds import identifier_of
from .selectors import Item, own_fields, resolve_items

logger = logging.getLogger(__name__)


def iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def _plain(page: Page, field) -> object:
    if field.many_to_one:
        target = page._api_related.get(field.name)
        if target is None:
            return None
        return getattr(target, "code", None) or identifier_of(target)
    value = getattr(page, field.attname)
    if isinstance(field, RichTextField):
        return expand_db_html(value or "")
    if field.choices:
        return value
    if isinstance(value, (datetime, date)):
        return iso(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def body_html(page: Page) -> str:
    """The body as the page renders it: blocks through their templates (escaped), rich text through
    Wagtail's editor whitelist, so that no script or event attribute can reach a client."""
    body = getattr(page, "body", None)
    return str(body.render_as_block()) if body else ""


def _codes(page: Page, relation: str) -> list[str]:
    return sorted(term.code for term in getattr(page, relation).all())


def _attachments(page: Page, request, restricted_collections: set) -> list[dict]:
    return [
        {
            "title": attachment.display_title,
            "url": request.build_absolute_uri(attachment.document.url),
            "content_type": mimetypes.guess_type(attachment.document.filename)[0] or "application/octet-stream",
        }
        for attachment in getattr(page, "_api_attachments", [])
        if attachment.document.collection_id not in restricted_collections
    ]


def represent(item: Item, request, restricted_collections: set) -> dict:
    original, text = item.original, item.text
    data = {
        "identifier": item.identifier,
        "type": type(original)._meta.model_name.removesuffix("page") if item.kind == "record" else item.kind,
        "url": getattr(original, "_api_url", None) or original.get_full_url(request),
        "language": original.locale.language_code,
        "text_language": page_text_language(text) or text.locale.language_code,
        "title": text.title,
        "summary": getattr(text, "summary", "") or "",
        "body_html": body_html(text),
        "translations": item.translations,
        "countries": _codes(original, "countries") if hasattr(original, "countries") else [],
        "regions": _codes(original, "regions") if hasattr(original, "regions") else [],
        "targets": _codes(original, "gbf_targets") if hasattr(original, "gbf_targets") else [],
        "subjects": _codes(original, "subjects") if hasattr(original, "subjects") else [],
        "languages": _codes(original, "languages") if hasattr(original, "languages") else [],
        "fields": {field.name: _plain(text, field) for field in own_fields(type(text))},
        "first_published_at": iso(original.first_published_at),
        "modified": iso(item.modified),
    }
    if item.kind == "record":
        data["type"] = type(original)._meta.model_name.removesuffix("page")
        data["licence"] = original.licence
        data["attachments"] = _attachments(original, request, restricted_collections)
        data["provenance"] = (
            {
                "source_portal": original.source_portal,
                "original_url": original.source_url or None,
                "original_identifier": original.identifier,
                "harvested_at": iso(original.harvested_at),
            }
            if original.source_portal
            else None
        )
    data["_jsonld_type"] = getattr(type(original), "jsonld_type", "CreativeWork")
    return data


def restricted_collections() -> set:
    """Collections whose documents only some people may read (one query per response)."""
    from wagtail.models import CollectionViewRestriction

    return set(CollectionViewRestriction.objects.values_list("collection_id", flat=True))


def jsonld_node(data: dict, schema_type: str) -> dict:
    """What every item's schema.org node says: its type, address, identifier, name, language, change."""
    return {
        "@type": schema_type,
        "@id": data["url"],
        "identifier": data["identifier"],
        "name": data["title"],
        "url": data["url"],
        "inLanguage": data["text_language"],
        "dateModified": data["modified"],
    }


def as_jsonld(data: dict) -> dict:
    """The schema.org description of an item (the same vocabulary as the pages' own JSON-LD)."""
    node = jsonld_node(data, data.get("_jsonld_type", "CreativeWork"))
    if data.get("summary"):
        node["description"] = data["summary"]
    if data.get("first_published_at"):
        node["datePublished"] = data["first_published_at"]
    keywords = data.get("targets", []) + data.get("subjects", [])
    if keywords:
        node["keywords"] = keywords
    if data.get("countries"):
        node["spatialCoverage"] = [{"@type": "Country", "identifier": code} for code in data["countries"]]
    if licence := data.get("licence"):
        from content_types.records.models.base import LICENCE_URLS

        node["license"] = LICENCE_URLS.get(licence, licence)
    if provenance := data.get("provenance"):
        node["isBasedOn"] = provenance["original_url"]
        node["provider"] = {"@type": "Organization", "name": provenance["source_portal"]}
    node["workTranslation"] = [
        {"@id": url, "inLanguage": code} for code, url in data.get("translations", {}).items() if url != data["url"]
    ]
    return node


def represented(kind: str, rows: list, language: str, request, restricted: set) -> list[dict]:
    """The representation of each of ``rows`` (originals with their ``modified``), taken from the
    shared cache when it was made for the same ``modified`` (the latest change in the item's
    translation group) under the current base version (``cms.content_version``: a change to another
    page leaves it; vocabularies, settings, unpublishing retire every entry), else built
    (``resolve_items`` for the missing ones only, in a fixed number of queries) and stored. With the
    cache down, every item is built (fail open)."""
    version = content_version.versions() if rows else None
    keys: dict = {}
    found: dict = {}
    if version is not None:
        parts = (kind, language, request.get_host(), request.scheme, tuple(sorted(restricted)))
        keys = {
            row.pk: "chm:api-item:" + content_version._digest((row.pk, iso(row.modified), parts), version)
            for row in rows
        }
        try:
            found = cache.get_many(list(keys.values()))
        except Exception:  # noqa: BLE001 - an unreachable cache only means "not cached"
            logger.warning("Could not read cached API items", exc_info=True)
    missing = [row for row in rows if keys.get(row.pk) not in found]
    built = {
        item.original.pk: represent(item, request, restricted)
        for item in resolve_items(kind, missing, language, request)
    }
    if keys and built:
        try:
            cache.set_many({keys[pk]: data for pk, data in built.items()}, content_version.CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("Could not cache API items", exc_info=True)
    return [built[row.pk] if row.pk in built else found[keys[row.pk]] for row in rows]
