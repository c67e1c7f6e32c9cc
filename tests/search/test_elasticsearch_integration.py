"""The Elasticsearch backend against a real server. These run only when ``ELASTICSEARCH_URL`` is set
(docker compose brings one up); each test uses its own index prefix and removes it afterwards."""

import os
import uuid

import pytest

from search.service import SearchQuery, SearchService
from tests.records.factories import NeedFactory, OfferFactory, country, target

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not ELASTICSEARCH_URL, reason="ELASTICSEARCH_URL is not set: Elasticsearch integration tests need a server"
    ),
]


@pytest.fixture
def backend(settings):
    from search.backends.elasticsearch import ElasticsearchBackend

    settings.ELASTICSEARCH_URL = ELASTICSEARCH_URL
    settings.ELASTICSEARCH_INDEX_PREFIX = f"chm-test-{uuid.uuid4().hex[:8]}"
    backend = ElasticsearchBackend(ELASTICSEARCH_URL, settings.ELASTICSEARCH_INDEX_PREFIX)
    yield backend
    backend.clear()


@pytest.fixture
def indexed(backend, site_pages, publish, translate):
    need = publish(NeedFactory(title="Invasive species early warning", countries=[country("FR")], identifier=""))
    translate(need, "fr", title="Alerte précoce sur les espèces envahissantes")
    publish(OfferFactory(title="Wetland restoration training", countries=[country("KE")], gbf_targets=[target(2)]))
    from search.indexing import indexable_translation_keys

    SearchService(backend=backend).rebuild(indexable_translation_keys())
    return need


def search(backend, **kwargs):
    return SearchService(backend=backend).search(SearchQuery(**kwargs))


def test_french_stemming_and_highlighting(backend, indexed):
    results = search(backend, text="espèce envahissante", language="fr")

    assert [hit.plain_title for hit in results.hits] == ["Alerte précoce sur les espèces envahissantes"]
    assert "<mark>" in str(results.hits[0].title)


def test_identifier_and_facets(backend, indexed):
    indexed.refresh_from_db()
    results = search(backend, text=indexed.identifier, language="en")
    assert results.hits[0].page_id == indexed.pk

    results = search(backend, filters={"country": ["KE"]}, language="en")
    countries = next(facet for facet in results.facets if facet.name == "country")
    assert [hit.plain_title for hit in results.hits] == ["Wetland restoration training"]
    assert {option.value for option in countries.options} >= {"FR", "KE"}


def test_reindex_swaps_the_alias_to_a_single_new_index(backend, indexed):
    from search.indexing import indexable_translation_keys

    before = set(backend.client.indices.get_alias(name=backend.alias))
    SearchService(backend=backend).rebuild(indexable_translation_keys())
    after = set(backend.client.indices.get_alias(name=backend.alias))

    assert len(after) == 1 and not before & after
    assert not backend.client.indices.exists(index=",".join(before))


def test_suggestions(backend, indexed):
    titles = [item["title"] for item in SearchService(backend=backend).suggest("wetl", "en")]

    assert titles == ["Wetland restoration training"]
