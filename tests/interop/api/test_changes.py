"""Tombstones and GET /api/v1/changes/: a harvester learns of every update and every disappearance."""

import pytest
from wagtail.models import Locale

from interop.api.models import Tombstone
from tests.events.factories import EventFactory
from tests.records.factories import NeedFactory

pytestmark = pytest.mark.django_db


def changes(client, **params):
    response = client.get("/api/v1/changes/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_published_record_is_an_update(client, site_pages, publish):
    need = publish(NeedFactory())

    [entry] = changes(client)["results"]

    assert entry["identifier"] == need.identifier
    assert entry["kind"] == "record" and entry["action"] == "updated"
    assert entry["url"].endswith(f"/api/v1/records/{need.identifier}/")
    assert entry["at"].endswith("Z")


def test_unpublishing_leaves_a_tombstone_in_the_feed(client, site_pages, publish):
    need = publish(NeedFactory())
    need.unpublish()

    [tombstone] = Tombstone.objects.all()
    [entry] = changes(client)["results"]

    assert (tombstone.identifier, tombstone.kind, tombstone.reason) == (need.identifier, "record", "unpublished")
    assert entry == {
        "identifier": need.identifier,
        "kind": "record",
        "action": "deleted",
        "at": entry["at"],
        "url": None,
    }


def test_deleting_leaves_a_tombstone(client, site_pages, publish):
    event = publish(EventFactory())
    identifier = str(event.translation_key)
    event.delete()

    [entry] = changes(client)["results"]

    assert (entry["identifier"], entry["kind"], entry["action"]) == (identifier, "event", "deleted")
    assert Tombstone.objects.get().reason == "deleted"


def test_deleting_a_draft_leaves_nothing(client, site_pages):
    NeedFactory(live=False).delete()

    assert not Tombstone.objects.exists()


def test_publishing_again_lifts_the_tombstone(client, site_pages, publish):
    need = publish(NeedFactory())
    need.unpublish()
    publish(need)

    assert not Tombstone.objects.exists()
    assert [entry["action"] for entry in changes(client)["results"]] == ["updated"]


def test_unpublishing_one_translation_keeps_the_record(client, site_pages, publish):
    need = publish(NeedFactory())
    french = publish(need.copy_for_translation(Locale.objects.get(language_code="fr"), copy_parents=True))
    french.unpublish()

    assert not Tombstone.objects.exists()
    need.unpublish()
    assert Tombstone.objects.get().identifier == need.identifier


def test_since_and_cursor_walk_every_change_once(client, site_pages, publish):
    from datetime import timedelta

    needs = [publish(NeedFactory()) for _ in range(5)]
    needs[1].unpublish()
    start = min(page.last_published_at for page in needs) - timedelta(seconds=1)

    seen, url = [], None
    first = changes(client, since=start.isoformat(), page_size=2)
    seen += first["results"]
    url = first["next"]
    while url:
        page = client.get(url).json()
        seen += page["results"]
        url = page["next"]

    assert [(entry["identifier"], entry["action"]) for entry in seen] == [
        *[(page.identifier, "updated") for page in needs if page.pk != needs[1].pk],
        (needs[1].identifier, "deleted"),
    ]
    times = [entry["at"] for entry in seen]
    assert times == sorted(times)
    later = changes(client, since=seen[-1]["at"])
    assert later["results"] == []


@pytest.mark.parametrize("query", ["since=never", "cursor=%%%", "page_size=1000"])
def test_bad_parameters_are_problems(client, site_pages, query):
    response = client.get(f"/api/v1/changes/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "since", ["0667-01-14T12:39:56+16:25", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "2026-05-01"]
)
def test_any_iso_time_is_accepted(client, site_pages, since):
    response = client.get("/api/v1/changes/", {"since": since})

    assert response.status_code == 200


# --- award results ----------------------------------------------------------------------------------
@pytest.fixture
def awards(site_pages):
    return site_pages["awards"]


def award_entries(client):
    return [entry for entry in changes(client, page_size=100)["results"] if entry["kind"] == "award"]


def test_published_results_are_an_update_and_unpublished_ones_are_not(client, awards):
    from tests.awards.factories import make_cycle, make_result

    cycle = make_cycle(awards, offset_days=-200)
    result = make_result(cycle, published=False)
    assert award_entries(client) == []

    result.publish()
    [entry] = award_entries(client)
    assert (entry["identifier"], entry["action"]) == (str(cycle.translation_key), "updated")
    assert entry["url"].endswith(f"/api/v1/awards/{cycle.translation_key}/")
    assert client.get(entry["url"]).status_code == 200


@pytest.mark.parametrize("how", ["withdrawn", "deleted", "cycle unpublished"])
def test_withdrawn_results_leave_a_tombstone(client, awards, how):
    from tests.awards.factories import make_cycle, make_result

    cycle = make_cycle(awards, offset_days=-200)
    result = make_result(cycle, published=True)
    if how == "withdrawn":
        result.is_published = False
        result.save()
    elif how == "deleted":
        result.delete()
    else:
        cycle.unpublish()

    [entry] = award_entries(client)
    assert entry == {
        "identifier": str(cycle.translation_key),
        "kind": "award",
        "action": "deleted",
        "at": entry["at"],
        "url": None,
    }
    assert (
        Tombstone.objects.get(kind="award").reason
        == {
            "withdrawn": "withdrawn",
            "deleted": "deleted",
            "cycle unpublished": "withdrawn",
        }[how]
    )


def test_results_never_published_leave_no_tombstone(client, awards):
    from tests.awards.factories import make_cycle, make_result

    cycle = make_cycle(awards, offset_days=-200)
    make_result(cycle, published=False).delete()
    make_cycle(awards, slug="other", offset_days=-200).unpublish()

    assert award_entries(client) == []
    assert not Tombstone.objects.exists()


def test_publishing_results_again_lifts_the_tombstone(client, awards):
    from tests.awards.factories import make_cycle, make_result

    cycle = make_cycle(awards, offset_days=-200)
    result = make_result(cycle, published=True)
    result.is_published = False
    result.save()
    assert Tombstone.objects.filter(kind="award").exists()

    result.publish()
    [entry] = award_entries(client)
    assert entry["action"] == "updated"
    assert not Tombstone.objects.exists()
