"""Content versions by tag (cms.content_version): publishing a record refreshes every page that shows
it, in every language, at once — and leaves cached what does not show it: the other records' cards,
the parts of pages of other kinds. Changes that reach further (vocabularies, unpublishing, deleting)
still retire everything, and a transaction writes its changes once, when it commits."""

import re
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms import content_version, page_fragments
from content_types.events.ical import build_calendar, calendar_body
from content_types.records.models import RelatedRecord
from tests.events.factories import EventFactory, events_index
from tests.records.factories import NeedFactory, OrganisationFactory, country

pytestmark = pytest.mark.django_db

WARM_BUDGET = 4  # as tests/perf/test_page_fragments.py: a page whose route and own parts are cached


def main(response) -> str:
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(captured)


def publish(page, title: str):
    page.title = title
    page.save_revision().publish()


@pytest.fixture
def records(site_pages):
    return [NeedFactory(title=f"Seed bank survey {number}", countries=[country("FR")]) for number in range(3)]


def test_publishing_a_record_refreshes_every_page_that_shows_it(client, records, translate_to, settings):
    record = records[0]
    alias = translate_to(record, "fr", alias=True)
    urls = [record.url, alias.url, "/en/records/", "/fr/records/", "/en/records/?sort=title", "/en/records/feed/rss/"]
    for url in urls:
        get(client, url)
        get(client, url)  # now from the cache

    publish(record, "Seed bank census")

    for url in urls:
        html = get(client, url)[0].content.decode()
        assert "Seed bank census" in html, url
        assert "Seed bank survey 0" not in html, url


def test_publishing_a_record_renders_only_its_own_card(client, records):
    get(client, "/en/records/")
    found = []

    def spy(request, template_name, pks):
        cards = cached_cards_for(request, template_name, pks)
        found.append((list(pks), set(cards)))
        return cards

    cached_cards_for = page_fragments.cached_cards_for
    publish(records[1], "Seed bank census")
    with mock.patch.object(page_fragments, "cached_cards_for", spy):
        html = main(get(client, "/en/records/")[0])

    (shown, cached), *_ = found
    assert set(shown) == {record.pk for record in records}
    assert cached == {records[0].pk, records[2].pk}  # the others' cards come from the cache
    assert "Seed bank census" in html


def test_a_record_page_keeps_its_parts_when_a_page_of_another_kind_changes(client, records):
    other = records[0]
    get(client, other.url)
    assert get(client, other.url)[1] <= WARM_BUDGET

    event = EventFactory(title="Restoration workshop")
    publish(event, "Restoration workshop, second day")

    response, queries = get(client, other.url)
    assert queries <= WARM_BUDGET
    assert "Seed bank survey 0" in main(response)


def test_a_record_page_shows_the_new_title_of_a_related_record(client, records):
    shown, related = records[0], records[1]
    RelatedRecord.objects.create(page=shown, record=related, sort_order=0)
    shown.save_revision().publish()
    assert "Seed bank survey 1" in main(get(client, shown.url)[0])
    get(client, shown.url)

    publish(related, "Seed bank census")

    assert "Seed bank census" in main(get(client, shown.url)[0])


def test_the_calendar_rebuilds_only_the_events_of_a_changed_organiser(client, site_pages):
    organiser = OrganisationFactory(title="Restoration alliance")
    organised = EventFactory(title="Organised workshop", organisations=[organiser])
    EventFactory(title="Independent workshop")
    calendar_url = events_index("en").url + "calendar/"
    client.get(calendar_url)
    built = []

    def spy(event, request, address):
        built.append(event.title)
        return event_entry(event, request, address)

    from content_types.events import ical

    event_entry = ical._event_entry
    publish(organiser, "Restoration alliance of the south")
    with mock.patch.object(ical, "_event_entry", spy):
        body = client.get(calendar_url).content.decode()

    assert built == [organised.title]
    assert "Restoration alliance of the south" in body.replace("\r\n ", "")


def test_a_calendar_built_from_cached_entries_is_the_calendar_built_whole(rf, site_pages):
    published = timezone.now()  # an entry's stamp is its event's last publication (else the time it is built)
    events = [EventFactory(title=f"Workshop {number}", last_published_at=published) for number in range(3)]
    events.append(
        EventFactory(
            title="Workshop in Brazil",
            venue_country=country("BR"),
            time_zone="America/Sao_Paulo",
            last_published_at=published,
        )
    )
    request = rf.get("/en/events/calendar/", HTTP_HOST="localhost")

    calendar_body(events, request, "Events")  # stores the entries
    assert calendar_body(events, request, "Events") == build_calendar(events, request, "Events").to_ical()


def test_a_term_renamed_shows_on_every_page_at_once(client, records):
    get(client, records[0].url)
    get(client, "/en/records/")
    france = country("FR")
    france.name_en = "French Republic"
    france.save()

    assert "French Republic" in main(get(client, records[0].url)[0])
    assert "French Republic" in main(get(client, "/en/records/")[0])


def test_unpublishing_or_deleting_a_record_removes_it_from_the_listing(client, records):
    get(client, "/en/records/")
    records[0].unpublish()
    records[1].delete()

    html = main(get(client, "/en/records/")[0])

    assert "Seed bank survey 0" not in html
    assert "Seed bank survey 1" not in html
    assert "Seed bank survey 2" in html
    assert client.get(records[0].url).status_code == 404


def test_a_transaction_writes_its_changes_once_when_it_commits(records, django_capture_on_commit_callbacks):
    content_version.start_afresh()  # the records' own creation is left behind
    with mock.patch.object(content_version, "_write", wraps=content_version._write) as write:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            publish(records[0], "Seed bank census")
            assert write.call_count == 0
        assert write.call_count == 1
        written = write.call_args.args[0]

    assert f"page-{records[0].pk}" in written
    assert "listing-records" in written
    assert content_version.BASE not in written  # the other records' cards stay valid


def test_a_record_with_related_records_and_an_alias_changes_only_its_own_tags(
    records, translate_to, django_capture_on_commit_callbacks
):
    record = records[0]
    RelatedRecord.objects.create(page=record, record=records[1], sort_order=0)
    record.save_revision().publish()
    alias = translate_to(record, "fr", alias=True)
    content_version.start_afresh()

    with mock.patch.object(content_version, "_write", wraps=content_version._write) as write:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            record.related_records.all().delete()  # a related record taken off, and the alias's copies
            publish(record, "Seed bank census")
        written = write.call_args.args[0]

    assert {f"page-{record.pk}", f"page-{alias.pk}", "listing-records"} <= written
    assert content_version.BASE not in written


def test_a_rolled_back_change_is_forgotten(records):
    content_version.start_afresh()
    before = content_version.tag_versions([f"page-{records[0].pk}"])
    with mock.patch.object(content_version, "_write") as write, pytest.raises(RuntimeError), transaction.atomic():
        publish(records[0], "Never published")
        raise RuntimeError

    write.assert_not_called()
    assert content_version.tag_versions([f"page-{records[0].pk}"]) == before


def test_a_title_change_keeps_the_facet_counts_and_a_classification_change_retires_them(client, records):
    from content_types.records.listing import RecordListing

    get(client, "/en/records/")
    with mock.patch.object(RecordListing, "facets", autospec=True, side_effect=RecordListing.facets) as counted:
        publish(records[0], "Seed bank census")  # the title alone
        html = main(get(client, "/en/records/")[0])
        assert "Seed bank census" in html  # the card and the order are new
        assert counted.call_count == 0  # the counts are kept

        record = records[1]
        record.countries = [country("KE")]  # a classification held in another table
        record.save_revision().publish()
        get(client, "/en/records/")
        assert counted.call_count == 1

        record = type(records[2]).objects.get(pk=records[2].pk)
        record.publication_date = record.publication_date.replace(year=2011)  # a classifying field
        record.save_revision().publish()
        get(client, "/en/records/")
        assert counted.call_count == 2


def test_a_title_change_keeps_the_map_s_counts_and_a_new_location_recounts_them(client, records):
    """The records listing says how many results the map shows; the markers (titles, addresses) are
    fetched by the map. A new title changes the markers but not their number: the page's first render
    after it does not build them."""
    from content_types.records.models import RecordIndexPage

    located = OrganisationFactory(title="Herbarium of Dakar", latitude=Decimal("14.7"), longitude=Decimal("-17.4"))
    get(client, "/en/records/")
    built = mock.patch.object(RecordIndexPage, "map_markers", autospec=True, side_effect=RecordIndexPage.map_markers)
    with built as markers:
        publish(located, "National herbarium of Dakar")
        html = main(get(client, "/en/records/")[0])
        assert "National herbarium of Dakar" in html
        assert 'id="records-map"' in html and 'data-marker-count="1"' in html
        assert markers.call_count == 0  # neither counted again nor built
        # The map itself fetches the markers: the new title is there.
        geojson = get(client, "/en/records/markers/")[0].json()
        assert [feature["properties"]["title"] for feature in geojson["features"]] == ["National herbarium of Dakar"]
        assert markers.call_count == 1

    located = type(located).objects.get(pk=located.pk)
    located.latitude = located.longitude = None  # a location is a classifying field: counted anew
    located.save_revision().publish()
    html = main(get(client, "/en/records/")[0])
    assert 'id="records-map"' not in html  # no located result: no map


def test_a_republished_page_retires_its_facets_unless_its_classifying_fields_are_unchanged(records):
    record = type(records[0]).objects.get(pk=records[0].pk)
    record.title = "Seed bank census"
    record.save()
    assert record._facet_fields_unchanged
    assert "facets-records" not in content_version.page_change_tags(record)

    record.status = "closed" if record.status != "closed" else "open"
    record.save()
    assert not record._facet_fields_unchanged
    assert "facets-records" in content_version.page_change_tags(record)

    unseen = NeedFactory.build(title="Never saved")  # nothing to compare with: retired
    assert not getattr(unseen, "_facet_fields_unchanged", False)
