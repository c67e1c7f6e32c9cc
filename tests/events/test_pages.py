"""The Events section and event pages as visitors see them: upcoming and past, filters, map, calendar
links, languages (Arabic right to left) and a bounded number of SQL queries."""

import datetime
import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms import content_version
from tests.listings.test_maps import markers_made

from .factories import EventFactory, PastConferenceFactory, WebinarFactory, country, language, subject, target

pytestmark = pytest.mark.django_db

LISTING_BUDGET = 40  # 38 measured: 21 for the listing, the rest for the site frame
DETAIL_BUDGET = 34  # 31 measured


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def card_titles(response) -> list[str]:
    return [node.get_text(strip=True) for node in soup(response).select(".event-card .card-title")]


def metadata(document) -> dict[str, str]:
    dl = document.select_one("dl.metadata")
    return {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True) for dt in dl.select("dt")}


@pytest.fixture
def sample(index):
    """An upcoming workshop in Nairobi, an upcoming webinar, a past conference in Paris."""
    return {"workshop": EventFactory(), "webinar": WebinarFactory(), "conference": PastConferenceFactory()}


# --- listing --------------------------------------------------------------------------------------
def test_upcoming_tab_lists_events_that_have_not_ended_soonest_first(client, index, sample):
    response = client.get(index.url)

    assert card_titles(response) == [sample["webinar"].title, sample["workshop"].title]
    document = soup(response)
    tabs = document.select("nav.tabs a")
    assert tabs[0]["aria-current"] == "page"
    assert [tab.select_one(".badge").get_text() for tab in tabs] == ["2", "1"]


def test_past_tab_lists_events_that_have_ended(client, index, sample):
    response = client.get(f"{index.url}past/")

    assert card_titles(response) == [sample["conference"].title]
    assert soup(response).select("nav.tabs a")[1]["aria-current"] == "page"


def test_an_event_that_is_happening_now_is_upcoming(client, index):
    now = datetime.datetime.now(datetime.UTC)
    ongoing = EventFactory(start=now - datetime.timedelta(hours=2), end=now + datetime.timedelta(hours=2))

    assert card_titles(client.get(index.url)) == [ongoing.title]
    assert card_titles(client.get(f"{index.url}past/")) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"type": "webinar"}, ["webinar"]),
        ({"type": "workshop"}, ["workshop"]),
        ({"country": "KE"}, ["workshop"]),
        ({"region": "002"}, ["workshop"]),  # Africa, through Kenya's sub-region
        ({"target": "GBF-T6"}, ["webinar"]),
        ({"subject": "SUBJ-RESTO"}, ["workshop"]),
        ({"language": "fr"}, ["workshop"]),
    ],
)
def test_each_filter_narrows_the_upcoming_events(client, index, sample, query, expected):
    assert card_titles(client.get(index.url, query)) == [sample[name].title for name in expected]


def test_year_filter_on_the_past_tab(client, index, sample):
    year = sample["conference"].local_start.year

    assert card_titles(client.get(f"{index.url}past/", {"year": year})) == [sample["conference"].title]
    assert card_titles(client.get(f"{index.url}past/", {"year": year - 1})) == []


def test_facets_count_events_and_offer_types_and_regions(client, index, sample):
    document = soup(client.get(index.url))

    types = {option["value"]: option.get_text() for option in document.select("#filter-type option") if option["value"]}
    regions = [option["value"] for option in document.select("#filter-region option") if option["value"]]
    assert types == {"workshop": "Workshop (1)", "webinar": "Webinar (1)"}
    assert "002" in regions and "014" in regions  # Africa and Eastern Africa


def test_tab_counts_follow_the_filters_and_tabs_keep_them(client, index, sample):
    document = soup(client.get(index.url, {"country": "FR"}))

    tabs = document.select("nav.tabs a")
    assert [tab.select_one(".badge").get_text() for tab in tabs] == ["0", "1"]
    assert tabs[1]["href"] == f"{index.url}past/?country=FR"
    assert "No upcoming events match these filters." in document.get_text()


def test_unknown_filter_values_are_reported_not_applied(client, index, sample):
    document = soup(client.get(index.url, {"country": "ZZ", "type": "party"}))

    errors = document.select_one(".form-errors").get_text(" ", strip=True)
    assert "“ZZ” is not a known country code; that filter was not applied." in errors
    assert "“party” is not a known type code; that filter was not applied." in errors
    assert len(document.select(".event-card")) == 2


def test_sort_by_latest_and_by_title(client, index, sample):
    assert card_titles(client.get(index.url, {"sort": "latest"})) == [sample["workshop"].title, sample["webinar"].title]
    assert card_titles(client.get(index.url, {"sort": "title"})) == sorted(
        [sample["workshop"].title, sample["webinar"].title]
    )


def test_map_has_a_marker_per_located_event_of_the_page(client, index, sample):
    document = soup(client.get(index.url))

    assert document.select_one("#events-map[data-map]") is not None
    markers = json.loads(document.select_one("#events-map-markers").string)
    assert [marker["title"] for marker in markers] == [sample["workshop"].title]
    assert markers[0]["url"] == sample["workshop"].url


def test_calendar_feed_link_carries_the_filters(client, index, sample):
    document = soup(client.get(index.url, {"country": "KE", "page": "1", "sort": "title"}))

    link = document.select_one(".calendar-feed a")["href"]
    assert link == f"{index.url}calendar/?country=KE"
    head_link = document.select_one('link[rel="alternate"][type="text/calendar"]')
    assert head_link["href"] == f"{index.url}calendar/?country=KE"


def test_cards_show_dates_in_the_event_zone_and_the_status(client, index):
    EventFactory(
        status="cancelled",
        start=datetime.datetime(2099, 3, 10, 6, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2099, 3, 10, 14, 0, tzinfo=datetime.UTC),
    )

    card = soup(client.get(index.url)).select_one(".event-card")

    assert card.select_one("time")["datetime"] == "2099-03-10T09:00:00+03:00"
    assert "Africa/Nairobi time, UTC+03:00" in card.get_text()
    assert "Cancelled" in [badge.get_text() for badge in card.select(".badge")]


def test_pagination_keeps_the_filters(client, index):
    for _ in range(3):
        WebinarFactory()

    document = soup(client.get(index.url, {"type": "webinar", "per_page": 2}))

    assert len(document.select(".event-card")) == 2
    assert document.select_one('a[rel="next"]')["href"] == "?type=webinar&per_page=2&page=2"


def test_unpublished_events_are_not_listed(client, index):
    draft = EventFactory(live=False)

    assert draft.title not in card_titles(client.get(index.url))


# --- languages --------------------------------------------------------------------------------------
def test_french_listing_lists_the_french_tree(client, index, sample, translate_to):
    french = translate_to(sample["workshop"], "fr", title="Atelier sur la restauration", draft_title="Atelier")
    french_index = french.get_parent().specific

    response = client.get(french_index.url)

    assert "Atelier sur la restauration" in card_titles(response)
    assert soup(response).select_one("html")["lang"] == "fr"


def test_event_page_in_french_and_arabic(client, index, translate_to):
    event = EventFactory(
        start=datetime.datetime(2027, 3, 10, 6, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2027, 3, 12, 14, 0, tzinfo=datetime.UTC),
    )
    french = translate_to(event, "fr", title="Atelier régional", draft_title="Atelier régional")
    arabic = translate_to(event, "ar", alias=True)

    french_page = soup(client.get(french.url))
    arabic_page = soup(client.get(arabic.url))

    assert french_page.select_one("h1").get_text(strip=True) == "Atelier régional"
    assert french_page.select_one("html")["lang"] == "fr"
    assert "10 mars 2027 09:00" in french_page.select_one("dl.metadata time").get_text()
    assert arabic_page.select_one("html")["dir"] == "rtl"
    assert arabic_page.select_one("html")["lang"] == "ar"
    assert arabic_page.select_one("dl.metadata time")["datetime"] == "2027-03-10T09:00:00+03:00"


def test_arabic_listing_is_right_to_left(client, index, sample, translate_to):
    arabic_index = translate_to(index, "ar", alias=True)
    arabic = translate_to(sample["workshop"], "ar", alias=True)

    document = soup(client.get(arabic.get_parent().url))

    assert document.select_one("html")["dir"] == "rtl"
    assert arabic_index.pk == arabic.get_parent().pk
    assert sample["workshop"].title in [node.get_text(strip=True) for node in document.select(".card-title")]


# --- detail page -----------------------------------------------------------------------------------
def test_event_page_metadata_map_and_jsonld(client, index):
    event = EventFactory(
        start=datetime.datetime(2027, 3, 10, 6, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2027, 3, 12, 14, 0, tzinfo=datetime.UTC),
        registration_url="https://register.example.org/",
        registration_deadline=datetime.datetime(2027, 3, 1, 20, 59, tzinfo=datetime.UTC),
        gbf_targets=[target(2), target(3)],
        subjects=[subject("SUBJ-RESTO")],
        languages=[language("en")],
    )

    document = soup(client.get(event.url))

    items = metadata(document)
    assert items["When"].endswith("(Africa/Nairobi time, UTC+03:00)")
    assert "United Nations Office at Nairobi" in items["Where"] and "Kenya" in items["Where"]
    assert "join the event online" in items["Where"]
    assert items["Organisers"] == "Secretariat of the Convention on Biological Diversity"
    assert "Register" in items["Registration"] and "23:59" not in items["Registration"]
    assert "11:59 p.m." in items["Registration"]
    assert items["Languages"] == "English"
    assert items["Countries"] == "Kenya"
    assert document.select_one(f'a[href="{event.url}ical/"]') is not None
    markers = json.loads(document.select_one("#event-map-markers").string)
    assert markers[0]["lat"] == pytest.approx(-1.2341)
    data = json.loads(document.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "Event" and data["startDate"] == "2027-03-10T09:00:00+03:00"
    assert document.select_one('meta[property="og:title"]')["content"] == event.title


def test_cancelled_and_past_events_say_so(client, index):
    cancelled = soup(client.get(EventFactory(status="cancelled").url))
    past = soup(client.get(PastConferenceFactory().url))

    assert "This event has been cancelled." in cancelled.get_text()
    assert "This event has taken place." in past.get_text()
    assert past.select_one("#event-map") is not None


def test_online_event_has_no_map_and_says_online(client, index):
    document = soup(client.get(WebinarFactory().url))

    assert document.select_one("#event-map") is None
    assert "Online:" in metadata(document)["Where"]


def test_user_text_is_escaped(client, index):
    event = EventFactory(organisers="<script>alert(1)</script>", venue_name="Hall <b>A</b>")

    body = client.get(event.url).content.decode()

    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "Hall &lt;b&gt;A&lt;/b&gt;" in body


# --- query budgets ------------------------------------------------------------------------------------
def count_queries(client, url, params=None) -> tuple[int, object]:
    """The queries of ``url`` with nothing cached (a new event leaves the site frame cached). A first
    request fills the process's own memos (the locales, the translated locales), as a running server
    has them: otherwise the first count of a test run alone pays them and the second does not."""
    client.get(url, params or {})
    content_version.start_afresh()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), response


def test_listing_costs_the_same_queries_for_10_and_100_events(client, index):
    for number in range(10):
        EventFactory(countries=[country("KE"), country("TZ")], slug=f"few-{number}")
    few, response = count_queries(client, index.url, {"per_page": 100})
    assert len(soup(response).select(".event-card")) == 10
    for number in range(90):
        factory = WebinarFactory if number % 2 else EventFactory
        factory(slug=f"many-{number}")

    many, response = count_queries(client, index.url, {"per_page": 100})

    assert len(soup(response).select(".event-card")) == 100
    assert many == few <= LISTING_BUDGET


def test_filtered_past_listing_costs_the_same_queries_for_10_and_100_events(client, index):
    for number in range(10):
        PastConferenceFactory(slug=f"past-few-{number}")
    params = {"per_page": 100, "country": "FR", "target": "GBF-T11"}
    few, _response = count_queries(client, f"{index.url}past/", params)
    for number in range(90):
        PastConferenceFactory(slug=f"past-many-{number}")

    many, response = count_queries(client, f"{index.url}past/", params)

    assert len(soup(response).select(".event-card")) == 100
    assert many == few <= LISTING_BUDGET


def test_event_page_query_budget_does_not_grow_with_classification(client, index):
    small = EventFactory()
    large = EventFactory(
        gbf_targets=[target(number) for number in range(1, 12)],
        countries=[country(code) for code in ("KE", "TZ", "UG", "RW", "ET")],
        languages=[language(code) for code in ("en", "fr", "es", "ar")],
    )

    client.get(small.url)  # the site frame is read once, then cached until the content changes
    client.get(large.url)
    small_count, _ = count_queries(client, small.url)
    large_count, _ = count_queries(client, large.url)

    assert small_count == large_count <= DETAIL_BUDGET


def test_organisers_link_to_their_record_in_the_page_language(client, index, translate_to):
    """An organising organisation is linked in the event page's language where it is translated, by its
    own title and acronym; in the page's own language, without looking for translations (no query)."""
    from tests.records.factories import OrganisationFactory

    organisation = OrganisationFactory(title="Institute", acronym="INST")
    event = EventFactory(organisations=[organisation])
    french_organisation = translate_to(organisation, "fr", title="Institut", draft_title="Institut")
    french_event = translate_to(event, "fr", title="Atelier", draft_title="Atelier")

    def organisers(page):
        links = soup(client.get(page.url)).select("dl.metadata a")
        return [(a.get_text(), a["href"]) for a in links if "/records/" in a["href"]]

    assert organisers(event) == [("Institute", organisation.url)]
    assert organisers(french_event) == [("Institut", french_organisation.url)]
    assert "(<bdi>INST</bdi>)" in client.get(event.url).content.decode()

    event.refresh_from_db()
    with CaptureQueriesContext(connection) as captured:
        assert [page.pk for page in event.localized_organisations()] == [organisation.pk]
    assert len(captured) == 1, [query["sql"] for query in captured]


def test_a_change_to_one_event_recomputes_its_marker_alone(client, index):
    """The listing's markers are kept per event: after one event moves, its marker shows the new place
    and only that event is loaded again (the others' markers and cards come from the cache)."""
    from content_types.events.models import EventPage

    events = [EventFactory(city=f"City {n}") for n in range(3)]
    listing = events[0].get_parent().url
    client.get(listing)

    def markers():
        return {
            marker["title"]: marker
            for marker in json.loads(soup(client.get(listing)).select_one("#events-map-markers").string)
        }

    assert {marker["label"].split(" · ")[1] for marker in markers().values()} == {
        "City 0, Kenya",
        "City 1, Kenya",
        "City 2, Kenya",
    }

    moved = EventPage.objects.get(pk=events[1].pk)
    moved.city, moved.latitude, moved.longitude = "Mombasa", Decimal("-4.0435"), Decimal("39.6682")
    moved.save_revision().publish()
    with markers_made(EventPage) as loaded:
        after = markers()
    assert loaded == [moved.pk]
    assert after[moved.title]["label"].endswith("Mombasa, Kenya") and after[moved.title]["lat"] == pytest.approx(
        -4.0435
    )
    assert after[events[0].title]["label"].endswith("City 0, Kenya")
