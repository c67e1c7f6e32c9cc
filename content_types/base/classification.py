"""A page's classification — its countries, regions, GBF targets, subjects and languages — read in
one query instead of one per vocabulary.

The links to the terms come from the five link tables in one ``UNION ALL``; the terms themselves
from a copy of the vocabularies each process keeps for the current content version
(``cms.content_version``: editing a term bumps it). The result is placed where
``prefetch_related`` would place it, so ``page.countries.all()`` and the like cost nothing more.
"""

import threading
from operator import attrgetter

from django.db.models import CharField, Value

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


def _in_model_order(model, terms: list) -> list:
    """``terms`` in the order the vocabulary's ``Meta.ordering`` gives (as a query would)."""
    for name in reversed(model._meta.ordering or ["pk"]):
        terms.sort(key=attrgetter(name.lstrip("-")), reverse=name.startswith("-"))
    return terms


def prefetch_classification(pages, relations=CLASSIFICATION_RELATIONS) -> None:
    """Fill the classification of ``pages`` (saved pages of one type) in one query."""
    pages = [
        page for page in pages if page.pk and not set(relations) <= set(getattr(page, "_prefetched_objects_cache", {}))
    ]
    if not pages:
        return
    model = type(pages[0])
    fields = {name: model._meta.get_field(name) for name in relations}
    queries = []
    for name, field in fields.items():
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        queries.append(
            through._default_manager.filter(**{f"{source}_id__in": [page.pk for page in pages]})
            .annotate(relation=Value(name, output_field=CharField()))
            .values_list("relation", f"{source}_id", f"{target}_id")
            .order_by()
        )
    links: dict[tuple[str, int], list[int]] = {}
    for name, page_id, term_id in queries[0].union(*queries[1:], all=True):
        links.setdefault((name, page_id), []).append(term_id)
    for name, field in fields.items():
        vocabulary = field.related_model
        terms = _terms(vocabulary)
        for page in pages:
            chosen = [terms[term_id] for term_id in links.get((name, page.pk), []) if term_id in terms]
            queryset = getattr(page, name).get_live_queryset()
            queryset._result_cache = _in_model_order(vocabulary, chosen)
            queryset._prefetch_done = True
            page.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset
