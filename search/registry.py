"""Which page types the search covers, and how each one gives its date, text and facets.

Every concrete ``ClassifiedPage`` (records, events, networks) is searchable, plus the types named in
``EXTRA_SEARCHABLE``. A type tunes what it contributes in one of two ways, neither of which makes
``search`` import the content apps:

* an entry in ``ADAPTERS`` (by model label, nearest ancestor wins), for what is known here;
* a ``search_document()`` method on the page returning any of ``body``, ``date``, ``identifier``,
  ``status``, ``source`` or ``tags`` to override what the adapter found.
"""

import datetime
from dataclasses import dataclass, replace
from functools import cache

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .text import clean_text

EXTRA_SEARCHABLE = ("news.NewsArticlePage", "home.StandardPage")
CLASSIFICATION_RELATIONS = ("countries", "regions", "gbf_targets", "subjects", "languages")
LOCAL_SOURCE = "local"
MAX_BODY_LENGTH = 60_000


@dataclass(frozen=True)
class SearchAdapter:
    """What one page type contributes beyond title and summary.

    ``date_attribute`` feeds the Year facet and date sorting; ``status_attribute`` the event-status
    facet (events only: a need's status is something else).
    """

    date_attribute: str | None = None
    status_attribute: str | None = None
    text_fields: tuple[str, ...] = ()
    related_text_fields: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def date(self, page) -> datetime.date | None:
        names = [self.date_attribute] if self.date_attribute else ["publication_date", "date", "start"]
        for name in [*names, "first_published_at"]:
            value = getattr(page, name, None)
            if isinstance(value, datetime.datetime):
                return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
            if isinstance(value, datetime.date):
                return value
        return None

    def status(self, page) -> str:
        return str(getattr(page, self.status_attribute, "") or "") if self.status_attribute else ""

    def status_choices(self, model) -> dict[str, str]:
        if not self.status_attribute:
            return {}
        try:
            field = model._meta.get_field(self.status_attribute)
        except Exception:  # noqa: BLE001 - a type without the field simply has no labels
            return {}
        return {str(value): label for value, label in (field.choices or [])}

    def identifier(self, page) -> str:
        return str(getattr(page, "identifier", "") or "").strip().upper()

    def source(self, page) -> str:
        value = getattr(page, "source_portal", "") or ""
        return clean_text(getattr(value, "name", value))[:200] or LOCAL_SOURCE

    def body(self, page) -> str:
        """The page's rich text and StreamFields, the plain fields named here or in ``search_fields``
        (plain fields are opt-in: an expert's telephone must not become searchable), and child texts."""
        parts = []
        names = []
        for model_field in type(page)._meta.get_fields():
            if isinstance(model_field, RichTextField | StreamField) and model_field.concrete:
                names.append(model_field.name)
        names += [name for name in self.text_fields if name not in names]
        for name in names:
            parts.extend(field_text(page, name))
        for relation, fields in self.related_text_fields:
            parts.extend(related_text(page, index.RelatedFields(relation, [index.SearchField(f) for f in fields])))
        skip = {"title", "summary", "identifier", *names}
        for search_field in getattr(type(page), "search_fields", []):
            if isinstance(search_field, index.SearchField) and search_field.field_name not in skip:
                parts.extend(field_text(page, search_field.field_name))
            elif isinstance(search_field, index.RelatedFields) and search_field.field_name not in (
                CLASSIFICATION_RELATIONS
            ):
                parts.extend(related_text(page, search_field))
        return clean_text(" ".join(part for part in parts if part))[:MAX_BODY_LENGTH]


def field_text(obj, name: str) -> list[str]:
    """The searchable text of one attribute: a model field through its own extractor, else its value."""
    value = getattr(obj, name, None)
    if value is None:
        return []
    if callable(value) and not isinstance(value, models.Manager):
        value = value()
    try:
        field = obj._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a property or method, not a field
        field = None
    if field is not None and hasattr(field, "get_searchable_content"):
        return [clean_text(text) for text in field.get_searchable_content(value)]
    if field is not None and field.choices:
        return [clean_text(getattr(obj, f"get_{name}_display")())]
    if isinstance(value, models.Manager):
        return [clean_text(item) for item in value.all()]
    return [clean_text(value)]


def related_text(page, related: index.RelatedFields) -> list[str]:
    value = getattr(page, related.field_name, None)
    objects = value.all() if isinstance(value, models.Manager) else ([value] if value is not None else [])
    parts = []
    for obj in objects:
        for sub in related.fields:
            if isinstance(sub, index.SearchField):
                parts.extend(field_text(obj, sub.field_name))
    return parts


RECORD = SearchAdapter(date_attribute="publication_date")
ADAPTERS = {
    "records.recordpage": RECORD,
    "records.needpage": replace(RECORD, text_fields=("support_kind",)),
    "records.offerpage": replace(RECORD, text_fields=("offer_kind", "provider", "capacity")),
    "records.decisionpage": replace(
        RECORD, text_fields=("meeting", "number"), related_text_fields=(("paragraphs", ("text", "actors")),)
    ),
    "records.documentrecordpage": replace(RECORD, text_fields=("document_type", "authors", "publisher")),
    "records.expertprofilepage": replace(RECORD, text_fields=("position", "expertise")),
    "records.organisationpage": replace(RECORD, text_fields=("acronym", "organisation_type")),
    "records.projectpage": replace(RECORD, text_fields=("implementing_agencies", "funders")),
    "records.nationalreportpage": replace(
        RECORD, related_text_fields=(("sections", ("national_target", "narrative")),)
    ),
    "networks.networkpage": SearchAdapter(text_fields=("kind", "scope")),
    "events.eventpage": SearchAdapter(date_attribute="start", status_attribute="status"),
    "news.newsarticlepage": SearchAdapter(date_attribute="date"),
    "home.standardpage": SearchAdapter(date_attribute="first_published_at"),
}
DEFAULT_ADAPTER = SearchAdapter()


def adapter_for(model) -> SearchAdapter:
    for klass in model.__mro__:
        meta = getattr(klass, "_meta", None)
        if meta is not None and not meta.abstract and meta.label_lower in ADAPTERS:
            return ADAPTERS[meta.label_lower]
    return DEFAULT_ADAPTER


def model_label(model) -> str:
    return model._meta.label_lower


@cache
def searchable_models() -> tuple[type[Page], ...]:
    """The concrete page models the search indexes (computed once the app registry is ready)."""
    from content_types.base.models import ClassifiedPage

    found = [
        model
        for model in apps.get_models()
        if issubclass(model, ClassifiedPage) and not model._meta.abstract and not model._meta.proxy
    ]
    for label in EXTRA_SEARCHABLE:
        try:
            found.append(apps.get_model(label))
        except LookupError:
            continue
    return tuple(sorted(set(found), key=model_label))


def searchable_labels() -> set[str]:
    return {model_label(model) for model in searchable_models()}


@cache
def type_codes() -> dict[str, str]:
    """The public code of each searchable type, as listings write it (``need``) → its model label
    (``records.needpage``), which the index stores."""
    from content_types.base.codes import page_type_code

    return {page_type_code(model): model_label(model) for model in searchable_models()}


@cache
def type_aliases() -> dict[str, str]:
    """Model label → public code: what older search addresses wrote for a type."""
    return {label: code for code, label in type_codes().items()}


def type_label(code: str) -> str:
    """The readable name of a type, by its public code or model label (``need`` → "Need")."""
    try:
        model = apps.get_model(type_codes().get(code, code))
    except (LookupError, ValueError):
        return code
    return str(model._meta.verbose_name).capitalize()


def status_labels() -> dict[str, str]:
    """Every event-status code the searchable types use, with its label."""
    labels = {}
    for model in searchable_models():
        labels.update(adapter_for(model).status_choices(model))
    return labels


def source_label(code: str) -> str:
    return str(_("This portal")) if code == LOCAL_SOURCE else code
