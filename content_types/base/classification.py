"""A page's classification — its countries, regions, GBF targets, subjects and languages — read in
one query instead of one per vocabulary.

The links to the terms come from the five link tables in one ``UNION ALL``; the terms themselves
from a copy of the vocabularies each process keeps for the current content version
(``cms.content_version``: editing a term bumps it). The result is placed where
``prefetch_related`` would place it, so ``page.countries.all()`` and the like cost nothing more.
"""

import functools
import threading
from operator import attrgetter

from django.db import connection

from cms import content_version

CLASSIFICATION_RELATIONS = ("countries", "regions", "gbf_targets", "subjects", "languages")

_vocabularies = threading.local()


def _terms(model) -> dict:
    """The terms of a vocabulary by id, read once per process and content version."""
    version = content_version.versions()  # the base: a change to a term retires everything
    if version is None:  # no shared cache: no way to know when the copy goes stale
        return {term.pk: term for term in model._default_manager.all()}
    if getattr(_vocabularies, "version", None) != version:
        _vocabularies.version = version
        _vocabularies.by_model = {}
    terms = _vocabularies.by_model.get(model)
    if terms is None:
        terms = _vocabularies.by_model[model] = {term.pk: term for term in model._default_manager.all()}
    return terms


def vocabulary_terms(model) -> dict:
    """Every term of a vocabulary by id, from the process's copy (no query once the copy is made)."""
    return _terms(model)


def vocabulary_term(model, pk):
    """The term ``pk`` of a vocabulary, from the process's copy (no query once the copy is made)."""
    term = _terms(model).get(pk)
    return term if term is not None else model._default_manager.get(pk=pk)


def _in_model_order(model, terms: list) -> list:
    """``terms`` in the order the vocabulary's ``Meta.ordering`` gives (as a query would)."""
    for name in reversed(model._meta.ordering or ["pk"]):
        terms.sort(key=attrgetter(name.lstrip("-")), reverse=name.startswith("-"))
    return terms


LINKS_CHUNK = 200  # pages per query: a bounded number of parameters (SQLite allows 32,766 at most)


@functools.lru_cache(maxsize=64)
def _links_sql(model, relations: tuple[str, ...], count: int) -> str:
    """The links of ``count`` pages to the terms of ``relations``: one ``UNION ALL`` of the link tables,
    written once per shape (the ORM took longer to compile the five queries than PostgreSQL to run them)."""
    quote = connection.ops.quote_name
    branches = []
    for name in relations:
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source = quote(through._meta.get_field(field.m2m_field_name()).column)
        target = quote(through._meta.get_field(field.m2m_reverse_field_name()).column)
        table, placeholders = quote(through._meta.db_table), ", ".join(["%s"] * count)
        # The relation's name is a field name of our own models, never input.
        branches.append(f"SELECT '{name}', {source}, {target} FROM {table} WHERE {source} IN ({placeholders})")  # noqa: S608
    return " UNION ALL ".join(branches)


def classification_terms(pages, relations=CLASSIFICATION_RELATIONS) -> dict[tuple[str, int], list]:
    """The terms of ``relations`` of ``pages`` (saved pages of one type), by ``(relation, page id)``,
    each list in the vocabulary's order: one query for the links, the terms from the process's copy."""
    pages = [page for page in pages if page.pk]
    if not pages:
        return {}
    model = type(pages[0])
    fields = {name: model._meta.get_field(name) for name in relations}
    ids = [page.pk for page in pages]
    links: dict[tuple[str, int], list[int]] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(ids), LINKS_CHUNK):
            chunk = ids[start : start + LINKS_CHUNK]
            cursor.execute(_links_sql(model, tuple(fields), len(chunk)), chunk * len(fields))
            for name, page_id, term_id in cursor.fetchall():
                links.setdefault((name, page_id), []).append(term_id)
    chosen = {}
    for name, field in fields.items():
        vocabulary = field.related_model
        terms = _terms(vocabulary)
        for page in pages:
            found = [terms[term_id] for term_id in links.get((name, page.pk), []) if term_id in terms]
            chosen[(name, page.pk)] = _in_model_order(vocabulary, found)
    return chosen


def prefetch_classification(pages, relations=CLASSIFICATION_RELATIONS) -> None:
    """Fill the classification of ``pages`` (saved pages of one type) in one query."""
    pages = [
        page for page in pages if page.pk and not set(relations) <= set(getattr(page, "_prefetched_objects_cache", {}))
    ]
    chosen = classification_terms(pages, relations)
    for page in pages:
        for name in relations:
            queryset = getattr(page, name).get_live_queryset()
            queryset._result_cache = chosen[(name, page.pk)]
            queryset._prefetch_done = True
            page.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset
