"""Elasticsearch documents and mappings (``elasticsearch.dsl``), and the index-alias life cycle.

One index holds every language; a document is one record as a visitor of one ``locale`` finds it
(the same unit as the database backend's rows). Each text field is a multi-field: the ``standard``
analysis plus one sub-field per language with Elasticsearch's built-in analysers (``arabic``,
``cjk`` for Chinese, ``english``, ``french``, ``russian``, ``spanish`` — no plugin needed). A query
matches each document through the sub-fields of the document's own language. Facets are keyword
fields; suggestions come from a completion field with a ``locale`` context.

The index is reached through an alias (``<prefix>-pages``); a full reindex fills a new timestamped
index and swaps the alias in one atomic ``update_aliases`` call, so searches never see a half index.
"""

from django.utils import timezone
from elasticsearch.dsl import Completion, Date, Document, Index, Integer, Keyword, Text, analysis

from .indexing import SearchDocument

LANGUAGE_ANALYZERS = {
    "ar": "arabic",
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "ru": "russian",
    "zh": "cjk",
}
FACET_FIELDS = {
    "type": "content_type",
    "country": "countries",
    "region": "regions",
    "target": "gbf_targets",
    "subject": "subjects",
    "year": "year",
    "language": "languages",
    "status": "status",
    "source": "source",
}
TEXT_FIELDS = ("title", "summary", "body", "tags")

exact_code = analysis.normalizer("chm_exact_code", filter=["lowercase", "trim"])


def multilingual_text(**extra_fields) -> Text:
    """A text field analysed as ``standard`` with one sub-field per language analyser."""
    fields = {code: Text(analyzer=name) for code, name in LANGUAGE_ANALYZERS.items()}
    fields.update(extra_fields)
    return Text(analyzer="standard", fields=fields)


class PageDocument(Document):
    """A searchable page, in one visitor language."""

    locale = Keyword()
    translation_key = Keyword()
    page_id = Integer()
    language = Keyword()
    content_type = Keyword()
    title = multilingual_text(raw=Keyword(ignore_above=256))
    summary = multilingual_text()
    body = multilingual_text()
    tags = multilingual_text()
    identifier = Keyword(normalizer=exact_code)
    keywords = Keyword(normalizer=exact_code)
    url = Keyword(index=False)
    date = Date()
    year = Keyword()
    countries = Keyword()
    regions = Keyword()
    gbf_targets = Keyword()
    subjects = Keyword()
    languages = Keyword()
    status = Keyword()
    source = Keyword()
    suggest = Completion(analyzer="simple", contexts=[{"name": "locale", "type": "category"}])

    @classmethod
    def from_search_document(cls, document: SearchDocument) -> "PageDocument":
        codes = document.codes
        return cls(
            meta={"id": document_id(document.locale, document.translation_key)},
            locale=document.locale,
            translation_key=document.translation_key,
            page_id=document.page_id,
            language=document.language,
            content_type=document.content_type,
            title=document.title,
            summary=document.summary,
            body=document.body,
            tags=document.tags,
            identifier=document.identifier,
            keywords=document.keywords.split(),
            url=document.url,
            date=document.date,
            year=codes.get("year", []),
            countries=codes.get("country", []),
            regions=codes.get("region", []),
            gbf_targets=codes.get("target", []),
            subjects=codes.get("subject", []),
            languages=codes.get("language", []),
            status=codes.get("status", []),
            source=codes.get("source", []),
            suggest={
                "input": [text for text in (document.title, document.identifier) if text],
                "contexts": {"locale": [document.locale]},
            },
        )


def document_id(locale: str, translation_key: str) -> str:
    return f"{locale}:{translation_key}"


def alias_name(prefix: str) -> str:
    return f"{prefix or 'chm'}-pages"


def build_index(name: str) -> Index:
    """The index definition (settings, analysis, mapping) under ``name``."""
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0, max_result_window=10_000)
    index.document(PageDocument)
    return index


def new_index_name(alias: str) -> str:
    return f"{alias}-{timezone.now().strftime('%Y%m%d%H%M%S%f')}"


def ensure_index(client, alias: str) -> None:
    """Create a first index behind ``alias`` when there is none (incremental indexing before any reindex)."""
    if client.indices.exists_alias(name=alias):
        return
    name = new_index_name(alias)
    build_index(name).create(using=client)
    client.indices.update_aliases(actions=[{"add": {"index": name, "alias": alias}}])


def swap_alias(client, alias: str, new_index: str) -> list[str]:
    """Point ``alias`` at ``new_index`` atomically; return the indices it left (to delete)."""
    old = list(client.indices.get_alias(name=alias).keys()) if client.indices.exists_alias(name=alias) else []
    actions = [{"remove": {"index": name, "alias": alias}} for name in old if name != new_index]
    actions.append({"add": {"index": new_index, "alias": alias}})
    client.indices.update_aliases(actions=actions)
    return [name for name in old if name != new_index]
