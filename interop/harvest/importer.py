"""Import stage: a remote record (its detail in every language) → a local read-only copy.

The copy lives in the Records section of its original language, keeps the remote identifier and
its provenance, gets a real translation for each language the peer translated it into and an alias
in every other locale. A local record, or a copy from another source, is never overwritten.
"""

import datetime

import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText

from content_types.base.bulk_pages import NewPage, copy_of, publish_new_pages
from content_types.base.codes import page_type_code
from content_types.base.translations import ensure_aliases
from content_types.records.identifiers import reserve_identifier, split_identifier
from content_types.records.models import RecordIndexPage, RecordPage, record_types
from content_types.vocabularies.models import Country, GBFTarget, Language, Region, Subject

from .models import HarvestedRecord, HarvestObject

Outcome = HarvestObject.Outcome

ALLOWED_TAGS = {"p", "h2", "h3", "h4", "b", "strong", "i", "em", "a", "ul", "ol", "li", "br", "blockquote"}
CLASSIFICATION = {
    "countries": ("countries", Country),
    "regions": ("regions", Region),
    "gbf_targets": ("targets", GBFTarget),
    "subjects": ("subjects", Subject),
    "languages": ("languages", Language),
}
#: Fields the harvest sets itself (or that only the source portal decides).
OWN_FIELDS = {"identifier", "record_type", "source_portal", "source_url", "harvested_at", "body", "title", "summary"}


class ImportRefused(Exception):
    """The record cannot become a local copy; the message says why (the object's outcome is failed)."""


def model_for(type_code: str) -> type[RecordPage]:
    for model in record_types():
        if page_type_code(model) == type_code:
            return model
    raise ImportRefused(_("Unknown record type %(type)s.") % {"type": type_code})


def clean_html(html: str) -> str:
    """The peer's body, reduced to what a rich-text paragraph may hold (never trust a peer's HTML)."""
    cleaned = nh3.clean(
        html or "", tags=ALLOWED_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https", "mailto"}
    )
    return cleaned.strip()


def _body(html: str):
    cleaned = clean_html(html)
    return [("paragraph", RichText(cleaned))] if cleaned else []


def _set_text(page: RecordPage, detail: dict) -> None:
    page.title = (detail.get("title") or detail["identifier"])[:255]
    page.summary = (detail.get("summary") or "")[:600]
    page.body = _body(detail.get("body_html", ""))


def _set_fields(page: RecordPage, detail: dict) -> None:
    """The type's own plain fields that exist here with the same name (relations are not carried)."""
    concrete = {field.name: field for field in type(page)._meta.concrete_fields}
    for name, value in (detail.get("fields") or {}).items():
        field = concrete.get(name)
        if field is None or name in OWN_FIELDS or field.is_relation or field.primary_key:
            continue
        if value is None and not field.null:
            continue
        page_value = value
        if isinstance(field, RichTextField):
            page_value = clean_html(value or "")
        elif value is not None and field.get_internal_type() == "DateField":
            page_value = datetime.date.fromisoformat(str(value)[:10])
        setattr(page, field.attname, page_value)
    if detail.get("licence"):
        page.licence = detail["licence"]
    if detail.get("first_published_at"):
        page.publication_date = datetime.date.fromisoformat(detail["first_published_at"][:10])


class Vocabularies:
    """The classification's terms by code, each vocabulary read once (per run, not per record)."""

    def __init__(self):
        self._by_code: dict = {}

    def terms(self, model, codes) -> list:
        if not codes:
            return []
        if model not in self._by_code:
            self._by_code[model] = {term.code: term for term in model.objects.all()}
        found = self._by_code[model]
        return [found[code] for code in dict.fromkeys(codes) if code in found]

    def relations(self, detail: dict) -> dict:
        return {relation: self.terms(model, detail.get(key) or []) for relation, (key, model) in CLASSIFICATION.items()}


def _set_classification(page: RecordPage, detail: dict, vocabularies: Vocabularies | None = None) -> None:
    for relation, terms in (vocabularies or Vocabularies()).relations(detail).items():
        setattr(page, relation, terms)


def records_section(language: str) -> RecordIndexPage:
    section = RecordIndexPage.objects.filter(locale__language_code=language).first()
    if section is None:
        raise ImportRefused(_("This portal has no Records section in %(language)s.") % {"language": language})
    return section


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _refusal(error: ValidationError) -> ImportRefused:
    errors = getattr(error, "message_dict", None) or {"": error.messages}
    fields = "; ".join(f"{name}: {' '.join(messages)}".lstrip(": ") for name, messages in errors.items())
    return ImportRefused(_("Invalid record: %(errors)s") % {"errors": fields})


def check_ownership(source, identifier: str) -> HarvestedRecord | None:
    """This source's copy of ``identifier`` if any; refuse an identifier owned by a local record or another source."""
    link = HarvestedRecord.objects.select_related("source").filter(remote_identifier=identifier).first()
    if link is not None and link.source_id != source.pk:
        raise ImportRefused(
            _("%(identifier)s is already harvested from %(other)s; not duplicated.")
            % {"identifier": identifier, "other": link.source.name}
        )
    if link is None and RecordPage.objects.filter(identifier=identifier).exists():
        raise ImportRefused(
            _("A record of this portal already has the identifier %(identifier)s; it is not overwritten.")
            % {"identifier": identifier}
        )
    return link


def import_record(
    source, details: dict[str, dict], now=None, aliases: bool = True, vocabularies: Vocabularies | None = None
) -> tuple[str, Page]:
    """``details``: the record's detail by language code (the original's at least). Returns (outcome, page).

    ``aliases=False``: the caller gives the record its aliases afterwards, with others in bulk
    (``ensure_aliases_in_bulk``), as the harvest does after each page of records."""
    try:
        with transaction.atomic():
            return _import(source, details, now, aliases, vocabularies)
    except ValidationError as error:
        raise _refusal(error) from error


def _import(
    source, details: dict[str, dict], now=None, aliases: bool = True, vocabularies: Vocabularies | None = None
) -> tuple[str, Page]:
    now = now or timezone.now()
    original_language = next(iter(details.values()))["language"]
    original = details.get(original_language)
    if original is None:
        raise ImportRefused(_("The source did not return the record in its original language."))
    identifier = original["identifier"]
    link = check_ownership(source, identifier)
    model = model_for(original["type"])
    if link is not None:
        page = link.page.specific
        if not isinstance(page, model):
            raise ImportRefused(_("The record changed type at its source; withdraw it there and publish it anew."))
        if link.remote_modified == original.get("modified") and page.live:
            return Outcome.UNCHANGED, page
        outcome = Outcome.UPDATED
    else:
        page = model(slug=slugify(identifier)[:255] or "record", identifier=identifier)
        outcome = Outcome.ADDED
    page.source_portal = source.name
    page.source_url = original["url"][:500]
    page.harvested_at = now
    _set_text(page, original)
    _set_fields(page, original)
    _set_classification(page, original, vocabularies)
    if outcome == Outcome.ADDED:
        section = records_section(original_language)
        page.locale = section.locale
        section.add_child(instance=page)
    else:
        page.save()
    _publish(page)
    _import_translations(page, details, original_language)
    if aliases:
        ensure_aliases(page)
    HarvestedRecord.objects.update_or_create(
        source=source,
        remote_identifier=identifier,
        defaults={"page": page.page_ptr, "remote_modified": original.get("modified") or "", "harvested_at": now},
    )
    return outcome, page


#: Fields a bulk-created page gets from the tree, not from the record: not validated beforehand.
TREE_FIELDS = {
    "path", "depth", "numchild", "url_path", "translation_key", "locale", "content_type", "draft_title",
    "latest_revision", "live_revision", "alias_of", "owner", "locked_by", "page_ptr", "recordpage_ptr",
}  # fmt: skip


def _validated(page: RecordPage) -> RecordPage:
    page.record_type = page.record_type_code or page.record_type
    page.clean_fields(exclude=TREE_FIELDS | {f.name for f in type(page)._meta.parents.values()})
    return page


def _new_record(source, details: dict, sections: dict, vocabularies: Vocabularies, now) -> NewPage:
    """The local copy of a record new here, its translations and classification, unsaved, validated."""
    original_language = next(iter(details.values()))["language"]
    original = details.get(original_language)
    if original is None or original_language not in sections:
        raise ImportRefused(_("The source did not return the record in its original language."))
    model = model_for(original["type"])
    identifier = original["identifier"]
    page = model(slug=slugify(identifier)[:255] or "record", identifier=identifier)
    page.source_portal, page.source_url, page.harvested_at = source.name, original["url"][:500], now
    _set_text(page, original)
    _set_fields(page, original)
    page.locale_id = sections[original_language].locale_id
    translations = []
    for language, detail in details.items():
        if language == original_language or language not in sections or detail.get("text_language") != language:
            continue
        translated = copy_of(page)
        _set_text(translated, detail)
        _set_fields(translated, detail)
        translated.source_url = ((detail.get("translations") or {}).get(language) or page.source_url)[:500]
        translated.locale_id = sections[language].locale_id
        translations.append(_validated(translated))
    return NewPage(_validated(page), vocabularies.relations(original), translations)


def import_new_records(source, candidates: dict[str, dict], vocabularies: Vocabularies, now=None) -> dict[str, Page]:
    """Of ``candidates`` (identifier → details by language), the records new here, created and
    published together: {identifier: local page}. The others (already harvested, owned by a local
    record or another source, refused) are left out, for :func:`import_record` to handle and report
    one by one. Runs in the caller's transaction: the batch is written whole or not at all."""
    if not candidates:
        return {}
    locales = {locale.pk: locale.language_code for locale in Locale.objects.all()}
    sections = {
        locales[section.locale_id]: section
        for section in RecordIndexPage.objects.filter(locale_id__in=locales).order_by("depth", "path")
    }
    if set(sections) != set(locales.values()):
        return {}  # a locale without a Records section: the aliases' parents are made one by one
    taken = set(
        HarvestedRecord.objects.filter(remote_identifier__in=candidates).values_list("remote_identifier", flat=True)
    )
    taken |= set(RecordPage.objects.filter(identifier__in=candidates).values_list("identifier", flat=True))
    now = now or timezone.now()
    new = {}
    for identifier, details in candidates.items():
        if identifier in taken:
            continue
        try:
            new[identifier] = _new_record(source, details, sections, vocabularies, now)
        except (ImportRefused, ValidationError, ValueError, KeyError, TypeError):
            continue  # reported by import_record, record by record
    if not new:
        return {}
    highest: dict = {}
    for identifier in new:
        if (parts := split_identifier(identifier)) is not None:
            highest[parts[0]] = max(highest.get(parts[0], 0), parts[1])
    for prefix, number in sorted(highest.items()):
        reserve_identifier(f"{prefix}{number:04d}")
    publish_new_pages(list(new.values()), {section.locale_id: section for section in sections.values()}, now)
    HarvestedRecord.objects.bulk_create(
        [
            HarvestedRecord(
                source=source,
                remote_identifier=identifier,
                page_id=record.page.pk,
                remote_modified=next(iter(candidates[identifier].values())).get("modified") or "",
                harvested_at=now,
            )
            for identifier, record in new.items()
        ]
    )
    return {identifier: record.page for identifier, record in new.items()}


def _import_translations(page: RecordPage, details: dict, original_language: str) -> None:
    """A language the peer translated the record into becomes a real local translation."""
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    for language, detail in details.items():
        if language == original_language or language not in locales:
            continue
        if detail.get("text_language") != language:
            continue  # the peer has no translation: an alias shows the original
        existing = Page.objects.filter(translation_key=page.translation_key, locale=locales[language]).first()
        if existing is None:
            translated = page.copy_for_translation(locales[language], copy_parents=True, alias=False).specific
        else:
            translated = existing.specific
            translated.alias_of = None
        _set_text(translated, detail)
        _set_fields(translated, detail)
        translated.source_portal = page.source_portal
        translated.source_url = ((detail.get("translations") or {}).get(language) or page.source_url)[:500]
        translated.harvested_at = page.harvested_at
        translated.save()
        _publish(translated)


@transaction.atomic
def withdraw_record(source, identifier: str) -> tuple[str, Page | None]:
    """A deletion at the source: unpublish the local copy and its translations (kept, for history)."""
    link = HarvestedRecord.objects.filter(source=source, remote_identifier=identifier).select_related("page").first()
    if link is None:
        if HarvestedRecord.objects.filter(remote_identifier=identifier).exists():
            raise ImportRefused(
                _("%(identifier)s is harvested from another source: not withdrawn.") % {"identifier": identifier}
            )
        return Outcome.UNCHANGED, None
    group = Page.objects.filter(translation_key=link.page.translation_key)
    if not group.filter(live=True).exists():
        return Outcome.UNCHANGED, link.page
    for translated in group.filter(live=True, alias_of__isnull=True).order_by("-pk"):
        translated.specific.unpublish()
    for alias in group.filter(live=True):
        alias.specific.unpublish()
    link.remote_modified = ""
    link.save(update_fields=["remote_modified"])
    return Outcome.WITHDRAWN, link.page
