"""Fragments kept in the process as well (cms.content_version.cached): the frame a page reads on every
request (navigation, footer, texts) costs no round trip to the shared cache once read, and is still
retired by the change that retires it there, whatever process made the change."""

from unittest import mock

import pytest
from django.core.cache import cache

from cms import content_version
from tests.records.factories import NeedFactory, country

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept():
    content_version.forget_local()
    yield
    content_version.forget_local()


def computing(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def fragment_reads(call):
    """Run ``call``; the fragments it asked the shared cache for."""
    with mock.patch.object(cache, "get", wraps=cache.get) as get:
        result = call()
    return result, [args[0] for args, _kwargs in get.call_args_list if str(args[0]).startswith("chm:fragment:")]


def test_a_fragment_read_again_costs_no_round_trip_to_the_shared_cache():
    compute, calls = computing("<nav>Records</nav>")
    content_version.cached("navigation-test", ("en",), compute)
    value, reads = fragment_reads(lambda: content_version.cached("navigation-test", ("en",), compute))
    assert value == "<nav>Records</nav>"
    assert reads == []
    assert len(calls) == 1


def test_a_fragment_made_by_another_process_is_read_once_from_the_shared_cache():
    compute, calls = computing(["Records", "Events"])
    content_version.cached("menu-test", ("fr",), compute)
    content_version.forget_local()  # as another process, which finds it in the shared cache only
    first, reads = fragment_reads(lambda: content_version.cached("menu-test", ("fr",), compute))
    assert first == ["Records", "Events"] and len(reads) == 1
    second, reads = fragment_reads(lambda: content_version.cached("menu-test", ("fr",), compute))
    assert second == ["Records", "Events"] and reads == []
    assert len(calls) == 1


def test_a_change_in_any_process_retires_the_fragment_kept_here():
    compute, calls = computing("<footer>2026</footer>")
    content_version.cached("footer-test", (), compute)
    # Another process publishes: the versions it writes to the shared cache are all this one sees.
    cache.set(content_version._key(content_version.EVERYTHING), "written-elsewhere", None)
    content_version.cached("footer-test", (), compute)
    assert len(calls) == 2


def test_a_tagged_fragment_is_retired_by_its_tag_only():
    compute, calls = computing("<ul>members</ul>")
    content_version.cached("members-test", (1,), compute, tags=["page-7"])
    content_version.changed("page-8")
    content_version.cached("members-test", (1,), compute, tags=["page-7"])
    assert len(calls) == 1
    content_version.changed("page-7")
    content_version.cached("members-test", (1,), compute, tags=["page-7"])
    assert len(calls) == 2


def test_a_caller_changing_what_it_was_given_changes_nobody_else_s_copy():
    compute, _calls = computing({"links": ["Home"]})
    content_version.cached("links-test", (), compute)["links"].append("Injected")
    assert content_version.cached("links-test", (), compute) == {"links": ["Home"]}


def test_a_kept_fragment_expires_with_its_timeout():
    compute, calls = computing("<p>Today</p>")
    with mock.patch("cms.content_version.time.monotonic", return_value=1000.0):
        content_version.cached("today-test", (), compute, timeout=60)
    cache.delete_many(list(_fragment_keys()))  # the shared cache's copy expired too
    with mock.patch("cms.content_version.time.monotonic", return_value=1059.0):
        content_version.cached("today-test", (), compute, timeout=60)
    assert len(calls) == 1
    with mock.patch("cms.content_version.time.monotonic", return_value=1061.0):
        content_version.cached("today-test", (), compute, timeout=60)
    assert len(calls) == 2


def _fragment_keys():
    return [key for key in content_version._local if key.startswith("chm:fragment:today-test:")]


def test_a_record_page_and_a_listing_read_again_cost_no_round_trip_for_their_parts_and_cards(client, site_pages):
    record = NeedFactory(title="Seed bank survey", countries=[country("FR")])
    for url in (record.url, "/en/records/"):
        client.get(url)
        content_version.forget_local()
        client.get(url)  # read from the shared cache, kept here
        with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
            response = client.get(url)
        assert response.status_code == 200
        assert "Seed bank survey" in response.content.decode()
        read = [key for args, _kwargs in get_many.call_args_list for key in args[0]]
        assert not [key for key in read if key.startswith(("chm:page-fragment:", "chm:card:"))], url


def test_a_published_change_shows_although_the_old_parts_are_kept_here(client, site_pages):
    record = NeedFactory(title="Seed bank survey", countries=[country("FR")])
    for url in (record.url, "/en/records/"):
        client.get(url)
        client.get(url)
    record.title = "Seed bank census"
    record.save_revision().publish()
    for url in (record.url, "/en/records/"):
        html = client.get(url).content.decode()
        assert "Seed bank census" in html and "Seed bank survey" not in html, url


def test_large_fragments_and_many_fragments_stay_bounded(monkeypatch):
    big, _calls = computing("x" * (content_version.LOCAL_MAX_BYTES + 1))
    content_version.cached("sitemap-test", (), big)
    assert not any(key.startswith("chm:fragment:sitemap-test:") for key in content_version._local)
    monkeypatch.setattr(content_version, "LOCAL_BYTES", 3 * len("<p>0</p>"))
    for number in range(5):
        content_version.cached("page-test", (number,), lambda number=number: f"<p>{number}</p>")
    assert len(content_version._local) == 3
    assert content_version._local_size == 3 * len("<p>0</p>")
    compute, calls = computing("<p>0 again</p>")
    _value, reads = fragment_reads(lambda: content_version.cached("page-test", (0,), compute))
    assert len(reads) == 1  # the oldest was let go here, still found in the shared cache
    assert calls == []


def test_what_a_request_computes_after_a_change_committed_meanwhile_is_not_kept():
    compute, calls = computing("<nav>mixed</nav>")
    with mock.patch.object(content_version, "writable", return_value=False):
        content_version.cached("unsafe-test", (), compute)
    content_version.cached("unsafe-test", (), compute)
    assert len(calls) == 2


def test_a_record_page_reads_its_versions_in_two_round_trips(client, site_pages):
    record = NeedFactory(title="Seed bank survey", countries=[country("FR")])
    client.get(record.url)
    client.get(record.url)
    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
        assert client.get(record.url).status_code == 200
    version_reads = [
        args[0] for args, _kwargs in get_many.call_args_list if str(args[0][0]).startswith("chm:content-version")
    ]
    # Everything's and the base's, then the page's own with its languages' and its listed kinds' (read
    # with its route, not again when its parts are looked up).
    assert len(version_reads) == 2, version_reads
