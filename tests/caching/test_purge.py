"""A cache that is told the truth: public responses name what they show in cache tags, and a change
to a page purges, once its transaction has committed and in one request, every tag that shows it."""

import http.server
import logging
import socket
import threading

import pytest
from django.db import transaction
from wagtail.models import Page

from cms.frontend_purge import PURGE_HEADER, PurgeBatch, page_tag, translation_tag
from interop.api.kinds import identifier_of
from tests.records.factories import NeedFactory, records_index

pytestmark = pytest.mark.django_db

EVERYWHERE = {"home", "search", "feeds", "sitemap", "api"}


class RecordingProxy(http.server.ThreadingHTTPServer):
    """A caching proxy's purge endpoint on loopback: records every request, answers ``status``. The search
    index's own purge of the search results, once it holds a change (``search.tasks``), is kept apart in
    ``search_requests``: ``requests`` are the changes' purges."""

    def __init__(self, status: int = 200):
        self.requests: list[dict] = []
        self.search_requests: list[dict] = []
        self.status = status
        super().__init__(("127.0.0.1", 0), _RecordingHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def purged_tags(self) -> list[set[str]]:
        return [set(request["headers"].get(PURGE_HEADER, "").split()) for request in self.requests]


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 - the name http.server calls
        request = {"method": self.command, "path": self.path, "headers": dict(self.headers)}
        searched = self.headers.get(PURGE_HEADER, "") == "search"
        (self.server.search_requests if searched else self.server.requests).append(request)
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy(settings):
    server = RecordingProxy()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.FRONTEND_CACHE_PURGE_URLS = [server.url]
    yield server
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tags_of(response) -> set[str]:
    return set(response.get("xkey", "").split())


@pytest.fixture
def record(site_pages, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        need = NeedFactory(title="Seed bank survey")
    return need


def expected_record_tags(record) -> set[str]:
    index = records_index("en")
    return {
        page_tag(record.pk),
        translation_tag(record.translation_key),
        "listing-records",
        page_tag(index.pk),
        translation_tag(index.translation_key),
        *EVERYWHERE,
    }


def publish(page):
    page.save_revision().publish()


# --- what responses carry ------------------------------------------------------------------------


def test_a_record_page_names_the_page_and_its_translations(client, record):
    response = client.get(record.url)

    assert response.status_code == 200
    assert tags_of(response) == {page_tag(record.pk), translation_tag(record.translation_key)}
    assert response["Surrogate-Key"] == response["xkey"]


def test_an_alias_also_names_its_original(client, record, translate_to):
    alias = translate_to(record, "fr", alias=True)

    response = client.get(alias.url)

    assert response.status_code == 200
    assert page_tag(record.pk) in tags_of(response)
    assert page_tag(alias.pk) in tags_of(response)


def test_listings_home_search_and_sitemap_name_what_they_list(client, site_pages):
    index = records_index("en")

    listing = client.get(index.url + "?type=need&page=2")
    assert {"listing-records", page_tag(index.pk)} <= tags_of(listing)
    assert "home" in tags_of(client.get("/en/"))
    assert "home" in tags_of(client.get("/fr/"))
    assert tags_of(client.get("/en/search/?q=seeds")) == {"search"}
    assert tags_of(client.get("/api/search/?q=seeds")) == {"search"}
    assert tags_of(client.get("/sitemap.xml")) == {"sitemap"}
    events = site_pages["events"]
    calendar = client.get(events.url + "calendar/")
    assert calendar.status_code == 200
    assert {"listing-events", "feeds"} <= tags_of(calendar)


def test_the_open_apis_responses_are_purged_with_every_change(client, record):
    listing = client.get("/api/v1/records/")
    detail = client.get(f"/api/v1/records/{identifier_of(record)}/")

    assert (listing.status_code, detail.status_code) == (200, 200)
    assert "api" in tags_of(listing) and "api" in tags_of(detail)
    batch = PurgeBatch()
    batch.add_page(record)
    assert "api" in batch.tags


def test_personal_and_failed_responses_carry_no_tags(client, record, editor):
    assert "xkey" not in client.get("/en/no-such-page/")
    client.force_login(editor)

    response = client.get(record.url)

    assert response.status_code == 200
    assert "xkey" not in response and "Surrogate-Key" not in response


# --- what a change purges -------------------------------------------------------------------------


def test_publishing_sends_one_purge_after_commit_naming_everything_that_shows_the_record(
    proxy, record, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(record)
        assert proxy.requests == []  # nothing leaves before the transaction commits
    assert proxy.requests == []
    batches = [callback for callback in callbacks if getattr(callback, "__self__", None).__class__ is PurgeBatch]
    assert len(batches) == 1  # one batch for the whole publish

    proxy.search_requests.clear()
    for callback in callbacks:
        callback()

    assert len(proxy.requests) == 1
    assert proxy.requests[0]["method"] == "PURGE"
    assert proxy.purged_tags()[0] == expected_record_tags(record)
    assert len(proxy.search_requests) == 1  # the search index's, once it holds the change


def test_publishing_purges_the_aliases_in_the_same_request(
    proxy, record, translate_to, django_capture_on_commit_callbacks
):
    aliases = [translate_to(record, language, alias=True) for language in ("fr", "es")]
    proxy.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        publish(record)

    assert len(proxy.requests) == 1
    tags = proxy.purged_tags()[0]
    for alias in aliases:
        assert page_tag(alias.pk) in tags
        # The aliases' parents: the French and Spanish records listings.
        assert page_tag(alias.get_parent().pk) in tags
    assert expected_record_tags(record) <= tags


def test_a_page_that_links_to_the_record_is_purged_with_it(
    proxy, record, site_pages, django_capture_on_commit_callbacks
):
    about = site_pages["about"]
    about.intro = f'<p>See <a linktype="page" id="{record.pk}">the survey</a>.</p>'
    with django_capture_on_commit_callbacks(execute=True):
        publish(about)
    proxy.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        publish(record)

    assert page_tag(about.pk) in proxy.purged_tags()[0]


def test_unpublishing_purges_the_record(proxy, record, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record.unpublish()

    assert proxy.purged_tags() == [expected_record_tags(record)]


def test_deleting_purges_the_record(proxy, record, django_capture_on_commit_callbacks):
    expected = expected_record_tags(record)

    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=record.pk).delete()

    assert len(proxy.requests) == 1
    assert expected <= proxy.purged_tags()[0]


def test_moving_purges_the_old_and_the_new_listing(proxy, record, site_pages, django_capture_on_commit_callbacks):
    about = site_pages["about"]
    expected = expected_record_tags(record)

    with django_capture_on_commit_callbacks(execute=True):
        record.move(about, pos="last-child")

    assert len(proxy.requests) == 1
    assert expected | {page_tag(about.pk), translation_tag(about.translation_key)} <= proxy.purged_tags()[0]


def test_a_rolled_back_change_purges_nothing(proxy, record, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(record)
            raise RuntimeError("the change is abandoned")
        other = NeedFactory(title="Another need")
        publish(other)

    assert len(proxy.requests) == 1
    tags = proxy.purged_tags()[0]
    assert page_tag(other.pk) in tags
    assert page_tag(record.pk) not in tags


def test_without_a_proxy_nothing_is_queued(settings, record, django_capture_on_commit_callbacks):
    settings.FRONTEND_CACHE_PURGE_URLS = []

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(record)

    assert not [callback for callback in callbacks if getattr(callback, "__self__", None).__class__ is PurgeBatch]


# --- a proxy that fails never fails the change --------------------------------------------------


def test_an_unreachable_proxy_never_fails_publishing(settings, record, django_capture_on_commit_callbacks, caplog):
    settings.FRONTEND_CACHE_PURGE_URLS = [f"http://127.0.0.1:{closed_port()}/"]
    record.title = "Seed bank survey, revised"

    with (
        caplog.at_level(logging.WARNING, logger="cms.frontend_purge"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        publish(record)

    record.refresh_from_db()
    assert record.title == "Seed bank survey, revised" and record.live
    assert "Cache purge to 127.0.0.1" in caplog.text


def test_a_proxy_that_refuses_never_fails_publishing(proxy, record, django_capture_on_commit_callbacks, caplog):
    proxy.status = 405

    with (
        caplog.at_level(logging.WARNING, logger="cms.frontend_purge"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        publish(record)

    assert len(proxy.requests) == 1
    assert "refused: 405" in caplog.text


def test_a_broker_that_is_down_skips_the_purge_and_never_fails_publishing(
    proxy, record, django_capture_on_commit_callbacks, caplog
):
    from cms.resilience import breaker
    from tests.resilience.conftest import celery_broker, free_port

    breaker._breakers.clear()
    record.title = "Seed bank survey, revised"
    with (
        celery_broker(f"redis://127.0.0.1:{free_port()}/0"),
        caplog.at_level(logging.WARNING),
        django_capture_on_commit_callbacks(execute=True),
    ):
        publish(record)

    record.refresh_from_db()
    assert record.title == "Seed bank survey, revised" and record.live
    assert proxy.requests == []  # left to the pages' short shared lifetime
    assert "cms.purge_pages" in caplog.text and "not queued" in caplog.text
    breaker._breakers.clear()  # the next tests find the broker's breaker closed


def test_search_results_are_purged_again_once_the_index_holds_the_change(proxy, record):
    """The publish's purge and the index's update run side by side in the workers: a search asked for
    in between is answered from the index as it was. The index's task purges the search results again
    when it has written the change."""
    from search.tasks import update_search_index

    proxy.requests.clear()
    proxy.search_requests.clear()
    update_search_index.apply(args=[[str(record.translation_key)]])

    assert proxy.requests == []
    assert [request["headers"][PURGE_HEADER] for request in proxy.search_requests] == ["search"]


def test_the_index_s_update_sends_nothing_without_a_proxy(settings, record):
    from search.tasks import update_search_index

    settings.FRONTEND_CACHE_PURGE_URLS = []
    server = RecordingProxy()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert update_search_index.apply(args=[[str(record.translation_key)]]).successful()
        assert server.requests == [] and server.search_requests == []
    finally:
        server.shutdown()
        server.server_close()
