"""Lists walk the translation groups' latest pages along an index: the order, the cursor and the
filters are those of the originals, and a page costs the same queries whatever the content."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page

from interop.api import selectors
from tests.records.factories import NeedFactory, OfferFactory, country, target

pytestmark = pytest.mark.django_db


def identifiers(client, url) -> list[str]:
    seen, next_url = [], url
    while next_url:
        page = client.get(next_url)
        assert page.status_code == 200, page.content
        seen += [item["identifier"] for item in page.json()["results"]]
        next_url = page.json()["next"]
    return seen


def translate(page, publish, language="fr", title="Traduction"):
    translation = page.copy_for_translation(Locale.objects.get(language_code=language), copy_parents=True)
    translation.title = title
    translation.save()
    return publish(translation)


def test_a_new_translation_moves_its_record_to_the_end_once(client, site_pages, publish):
    first, second, third = (publish(NeedFactory()) for _ in range(3))
    translate(first, publish)

    assert identifiers(client, "/api/v1/records/?page_size=1") == [
        second.identifier,
        third.identifier,
        first.identifier,
    ]
    [item] = [
        i for i in client.get("/api/v1/records/?lang=fr").json()["results"] if i["identifier"] == first.identifier
    ]
    assert (
        item["title"] == "Traduction"
        and item["url"] == client.get(f"/api/v1/records/{first.identifier}/").json()["url"]
    )
    listed = {i["identifier"]: i["modified"] for i in client.get("/api/v1/records/").json()["results"]}
    assert listed[first.identifier] == client.get(f"/api/v1/records/{first.identifier}/").json()["modified"]


def test_filters_apply_to_the_original_and_modified_since_to_the_latest_change(client, site_pages, publish):
    old = publish(NeedFactory(countries=[country("FR")]))
    Page.objects.filter(pk=old.pk).update(last_published_at=old.last_published_at - timedelta(days=10))
    other = publish(NeedFactory(countries=[country("BR")]))
    since = (other.last_published_at - timedelta(days=1)).isoformat()
    assert identifiers(client, f"/api/v1/records/?modified_since={since}") == [other.identifier]

    translate(old, publish)  # a change of the group: it counts from now
    assert identifiers(client, f"/api/v1/records/?modified_since={since}") == [other.identifier, old.identifier]
    assert identifiers(client, f"/api/v1/records/?modified_since={since}&country=FR") == [old.identifier]
    assert identifiers(client, "/api/v1/records/?type=offer") == []


def test_when_the_original_is_unpublished_its_translation_stands_for_the_record(client, site_pages, publish):
    need = publish(NeedFactory())
    translate(need, publish)
    need.unpublish()  # the French translation is now the group's original

    assert identifiers(client, "/api/v1/records/") == [need.identifier]
    item = client.get("/api/v1/records/").json()["results"][0]
    assert item["language"] == "fr"


def test_the_changes_feed_walks_groups_once_with_their_latest_change(client, site_pages, publish):
    first, second = publish(NeedFactory()), publish(OfferFactory())
    translate(first, publish)

    seen, next_url = [], "/api/v1/changes/?page_size=1"
    while next_url:
        page = client.get(next_url).json()
        seen += [(entry["identifier"], entry["action"]) for entry in page["results"]]
        next_url = page["next"]
    assert seen == [(second.identifier, "updated"), (first.identifier, "updated")]


SHAPES = {
    "first page": "/api/v1/records/?page_size=3",
    "filtered": "/api/v1/records/?country=FR&target=GBF-T3&page_size=3",
    "modified_since": "/api/v1/records/?page_size=3&modified_since=2000-01-01T00:00:00Z",
    "changes": "/api/v1/changes/?page_size=3",
}


def test_a_page_costs_the_same_queries_for_5_and_50_records(client, site_pages, publish):
    """First pages, a deep page (the cursor half-way) and the changes feed: the same number of queries
    with 5 and with 50 records, the item cache off so that every item is built."""
    from unittest import mock

    from cms import content_version

    counts: dict = {}
    published = 0
    for total in (5, 50):
        for _ in range(total - published):
            publish(NeedFactory(countries=[country("FR")], gbf_targets=[target(3)]))
        published = total
        half = list(
            selectors.after_cursor(
                selectors.items(selectors.kind_models()["record"], QueryDict(), kind="record", warnings=[]), None
            )
        )
        deep = f"/api/v1/records/?page_size=2&cursor={selectors.cursor_after(half[total // 2])}"
        with (
            mock.patch.object(content_version, "current", lambda: None),
            mock.patch.object(content_version, "versions", lambda tags=(): None),
        ):
            for name, url in {**SHAPES, "deep page": deep}.items():
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                assert response.status_code == 200, response.content
                assert len(response.json()["results"]) == (2 if name == "deep page" else 3), name
                counts.setdefault(name, []).append(len(queries))

    assert all(small == large for small, large in counts.values()), counts


def test_the_list_is_read_along_the_change_index(client, site_pages, publish):
    """The planner can use the index of migration 0003 for the list's order: the expression of
    ``selectors.changed_at`` and the index's are the same."""
    for _ in range(3):
        publish(NeedFactory())
    latest = selectors.items(selectors.kind_models()["record"], QueryDict(), kind="record", warnings=[])
    sql, params = selectors.after_cursor(latest, None)[:21].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "interop_api_page_changed_idx" in plan, plan
