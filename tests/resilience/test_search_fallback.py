"""Elasticsearch unreachable: search answers from the database, says so, and never fails."""

import logging

import pytest
from bs4 import BeautifulSoup

from search.models import SearchEntry
from search.service import FALLBACK_NOTICE, SearchQuery, SearchService
from tests.records.factories import NeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    def run(page):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        return page

    return run


@pytest.fixture
def wetland_need(site_pages, publish):
    """Published (and so in the database index) while Elasticsearch is not configured."""
    return publish(NeedFactory(title="Wetland restoration need", summary="Restoring peat bogs."))


@pytest.fixture
def elasticsearch_down(settings, closed_port):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port}"
    return closed_port


def test_the_search_page_answers_from_the_database_with_a_notice(client, wetland_need, elasticsearch_down, caplog):
    with caplog.at_level(logging.WARNING):
        response = client.get("/en/search/", {"q": "wetland"})

    assert response.status_code == 200
    document = BeautifulSoup(response.content.decode(), "html.parser")
    notice = document.select_one(".search-notice[role=status]")
    assert notice is not None and "search server is unavailable" in notice.get_text()
    assert "Wetland restoration need" in document.get_text()
    assert "Search server (elasticsearch) is unreachable" in caplog.text


def test_the_api_answers_from_the_database_with_a_notice(client, wetland_need, elasticsearch_down):
    response = client.get("/api/search/", {"q": "wetland"})

    assert response.status_code == 200
    data = response.json()
    assert data["notice"] == str(FALLBACK_NOTICE)
    assert [hit["title"] for hit in data["results"]] == ["Wetland restoration need"]


def test_with_the_database_backend_there_is_no_notice(client, wetland_need):
    data = client.get("/api/search/", {"q": "wetland"}).json()

    assert data["notice"] == ""
    assert "search-notice" not in client.get("/en/search/", {"q": "wetland"}).content.decode()


def test_suggestions_and_empty_results_fall_back_too(client, wetland_need, elasticsearch_down):
    suggestions = client.get("/en/search/suggest/", {"q": "wetl"})
    nothing = client.get("/en/search/", {"q": "zzzyqx", "country": "FR"})

    assert suggestions.status_code == 200
    assert [item["title"] for item in suggestions.json()["suggestions"]] == ["Wetland restoration need"]
    assert nothing.status_code == 200
    assert "search-notice" in nothing.content.decode()


def test_the_search_server_is_left_alone_after_it_failed(wetland_need, settings, hang_up_server):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{hang_up_server.port}"

    first = SearchService().search(SearchQuery(text="wetland", language="en"))
    tried = hang_up_server.count()
    for _ in range(5):
        again = SearchService().search(SearchQuery(text="wetland", language="en"))
        assert again.notice and again.total == 1

    assert first.notice and tried >= 1
    assert hang_up_server.count() == tried  # the breaker is open: no more connections


def test_publishing_while_elasticsearch_is_down_keeps_the_fallback_index_current(
    site_pages, publish, elasticsearch_down, caplog
):
    need = publish(NeedFactory(title="Mangrove nursery need"))

    need.refresh_from_db()
    assert need.live
    assert SearchEntry.objects.filter(translation_key=need.translation_key).exists()
    assert "Task search.tasks.update_search_index failed" in caplog.text  # the server's half, logged
    results = SearchService().search(SearchQuery(text="mangrove", language="en"))
    assert results.notice and [hit.plain_title for hit in results.hits] == ["Mangrove nursery need"]
