"""The Records listing: facets, counts, invalid codes, locale, map, and a query budget."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content_types.base.codes import page_type_code
from content_types.records.models import record_types
from content_types.vocabularies.models import Language, Subject
from tests.listings.test_maps import map_markers, markers_made

from .factories import (
    RECORD_FACTORIES,
    DocumentRecordFactory,
    NeedFactory,
    OrganisationFactory,
    ProjectFactory,
    attach_document,
    country,
    target,
)

pytestmark = pytest.mark.django_db

URL = "/en/records/"
# The site frame (navigation, footer, settings, language switcher) is cached until the content
# changes; routing costs about seven. Budgets hold for a listing whose facets were counted before.
LISTING_BUDGET = 20
DETAIL_BUDGET = 15


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def titles(response) -> set[str]:
    return {link.get_text(strip=True) for link in soup(response).select(".record-card .card-title a")}


def total(response) -> int:
    return response.context["total"]


def facet_counts(response, name: str) -> dict[str, int]:
    facet = next(facet for facet in response.context["facets"] if facet.name == name)
    return {option.value: option.count for option in facet.options}


@pytest.fixture
def sample(index):
    """Five records that differ in every facet."""
    french = Language.objects.get(code="fr")
    return {
        "fr_need": NeedFactory(
            title="French need",
            countries=[country("FR")],
            gbf_targets=[target(3)],
            subjects=[Subject.objects.get(code="SUBJ-IAS")],
            languages=[french],
            publication_date=datetime.date(2025, 3, 1),
        ),
        "ke_need": NeedFactory(
            title="Kenyan need",
            countries=[country("KE")],
            gbf_targets=[target(3), target(6)],
            publication_date=datetime.date(2024, 3, 1),
        ),
        "ke_org": OrganisationFactory(
            title="Kenyan institute", gbf_targets=[target(6)], publication_date=datetime.date(2024, 5, 1)
        ),
        "fr_doc": DocumentRecordFactory(
            title="French document",
            countries=[country("FR")],
            languages=[french],
            publication_date=datetime.date(2023, 5, 1),
        ),
        "br_project": ProjectFactory(
            title="Brazilian project",
            countries=[country("BR")],
            gbf_targets=[target(2)],
            publication_date=datetime.date(2025, 8, 1),
        ),
    }


def test_listing_shows_every_live_record_with_cards(client, sample):
    response = client.get(URL)

    assert response.status_code == 200
    assert titles(response) == {page.title for page in sample.values()}
    assert total(response) == 5
    card = soup(response).select_one(".record-card")
    assert card.select_one(".badge") is not None
    assert card.select_one("code").get_text().startswith("CHM-")


def test_unpublished_records_are_not_listed(client, sample):
    sample["ke_need"].unpublish()

    assert "Kenyan need" not in titles(client.get(URL))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=FR", {"French need", "French document"}),
        ("country=KE", {"Kenyan need", "Kenyan institute"}),
        ("target=GBF-T6", {"Kenyan need", "Kenyan institute"}),
        ("subject=SUBJ-IAS", {"French need"}),
        ("language=fr", {"French need", "French document"}),
        ("year=2024", {"Kenyan need", "Kenyan institute"}),
        ("region=150", {"French need", "French document"}),  # Europe, through France's region
        ("region=002", {"Kenyan need", "Kenyan institute"}),  # Africa
        ("country=KE&target=GBF-T3", {"Kenyan need"}),
    ],
)
def test_each_facet_filters(client, sample, query, expected):
    response = client.get(f"{URL}?{query}")

    assert titles(response) == expected
    assert total(response) == len(expected)


def test_type_facet_filters_by_record_type_code(client, sample):
    response = client.get(f"{URL}?type=need")

    assert titles(response) == {"French need", "Kenyan need"}
    counts = facet_counts(response, "type")
    assert counts["need"] == 2
    assert counts["organisation"] == 1
    assert set(counts) <= {page_type_code(model) for model in record_types()}


def test_counts_reflect_the_other_filters(client, sample):
    everything = client.get(URL)
    kenya = client.get(f"{URL}?country=KE")

    assert facet_counts(everything, "target") == {"GBF-T2": 1, "GBF-T3": 2, "GBF-T6": 2}
    assert facet_counts(kenya, "target") == {"GBF-T3": 1, "GBF-T6": 2}
    # The selected facet keeps its own counts, so that a visitor can switch country.
    assert facet_counts(kenya, "country") == facet_counts(everything, "country")
    assert facet_counts(everything, "year") == {"2025": 2, "2024": 2, "2023": 1}
    regions = facet_counts(everything, "region")
    assert (regions["150"], regions["002"], regions["419"]) == (2, 2, 1)  # Europe, Africa, Latin America
    assert facet_counts(kenya, "region")["002"] == 2
    assert facet_counts(client.get(f"{URL}?target=GBF-T2"), "region") == {"019": 1, "419": 1, "005": 1}


def test_the_region_facet_of_a_listing_that_nothing_can_match_is_empty(client, sample, monkeypatch):
    """A listing whose filters leave nothing to read (an empty queryset, which has no SQL) counts no region
    instead of failing."""
    from content_types.records.listing import RecordListing

    monkeypatch.setattr(RecordListing, "filtered", lambda self, exclude=None: self.base.none())

    response = client.get(URL)

    assert response.status_code == 200
    assert facet_counts(response, "region") == {}


def test_active_filter_shows_a_chip_that_removes_it(client, sample):
    document = soup(client.get(f"{URL}?country=FR&target=GBF-T3"))

    chips = {chip.get_text(" ", strip=True).split(" ×")[0]: chip["href"] for chip in document.select("a.chip")}
    assert chips == {"Country: France": "?target=GBF-T3", "GBF target: Target 3": "?country=FR"} or set(chips) == {
        "Country: France",
        f"GBF target: {target(3).name}",
    }


@pytest.mark.parametrize("query", ["country=XX", "target=GBF-T99", "subject=SUBJ-NOPE", "year=abc", "type=999999"])
def test_invalid_code_is_reported_and_not_applied(client, sample, query):
    response = client.get(f"{URL}?{query}")

    assert response.status_code == 200
    assert total(response) == 5
    errors = soup(response).select_one(".results-summary .form-errors")
    assert errors is not None
    assert "Some filters were not applied" in errors.get_text()


def test_unknown_country_message_names_the_parameter_and_the_code(client, sample):
    errors = soup(client.get(f"{URL}?country=XX")).select_one(".form-errors").get_text()

    assert "“XX” is not a known country code; that filter was not applied." in errors


def test_sorting_by_title_and_oldest(client, sample):
    by_title = [a.get_text(strip=True) for a in soup(client.get(f"{URL}?sort=title")).select(".card-title a")]
    oldest = [a.get_text(strip=True) for a in soup(client.get(f"{URL}?sort=oldest")).select(".card-title a")]

    assert by_title == sorted(by_title)
    assert oldest[0] == "French document"


def test_pagination_keeps_the_filters(client, index):
    for number in range(25):
        NeedFactory(title=f"Need {number:02d}")

    document = soup(client.get(f"{URL}?country=FR&per_page=10"))

    next_link = document.select_one('a[rel="next"]')["href"]
    assert "country=FR" in next_link and "per_page=10" in next_link and "page=2" in next_link
    assert len(document.select(".record-card")) == 10


def test_map_shows_located_records_among_the_results(client, sample):
    document = soup(client.get(URL))
    assert document.select_one("#records-map-markers") is None  # fetched by the map, not in the page
    markers = map_markers(client, document, "records-map")
    assert {marker["title"] for marker in markers} == {"Kenyan institute", "Brazilian project"}

    filtered = soup(client.get(f"{URL}?country=BR&per_page=5&sort=title"))
    assert filtered.select_one("#records-map")["data-markers-url"] == f"{URL}markers/?country=BR"
    markers = map_markers(client, filtered, "records-map")
    assert [marker["title"] for marker in markers] == ["Brazilian project"]


def test_map_markers_answer_not_modified_while_the_content_is_unchanged(client, sample):
    first = client.get(f"{URL}markers/?country=BR")
    assert first.status_code == 200 and first["ETag"]
    assert client.get(f"{URL}markers/?country=BR", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(f"{URL}markers/?country=KE")["ETag"] != first["ETag"]

    OrganisationFactory(title="Another Brazilian institute", countries=[country("BR")])

    second = client.get(f"{URL}markers/?country=BR", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert sorted(feature["properties"]["title"] for feature in second.json()["features"]) == [
        "Another Brazilian institute",
        "Brazilian project",
    ]


def test_map_markers_report_unknown_codes_like_the_listing(client, sample):
    response = client.get(f"{URL}markers/?country=ZZ")
    assert response.status_code == 200
    titles = {feature["properties"]["title"] for feature in response.json()["features"]}
    assert titles == {"Kenyan institute", "Brazilian project"}  # the unknown filter is not applied


def test_french_index_lists_the_french_tree(client, sample, translate_to):
    translate_to(sample["fr_need"], "fr", title="Besoin français", draft_title="Besoin français")

    french = client.get("/fr/records/")
    english = client.get(URL)

    assert "Besoin français" in titles(french)
    assert "French need" not in titles(french)
    assert "Besoin français" not in titles(english)
    assert all(link["href"].startswith("/fr/records/") for link in soup(french).select(".card-title a"))


def test_arabic_index_is_right_to_left(client, sample, translate_to):
    translate_to(sample["fr_need"], "ar", alias=True)

    document = soup(client.get("/ar/records/"))

    assert document.html["dir"] == "rtl"
    assert "French need" in {a.get_text(strip=True) for a in document.select(".card-title a")}


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_listing_costs_the_same_queries_for_10_and_100_items(client, index, django_assert_max_num_queries):
    factories = [RECORD_FACTORIES[name] for name in sorted(RECORD_FACTORIES)]
    date = datetime.date(2025, 1, 1)
    for number in range(110):  # round robin: the newest ten hold every type
        record = factories[number % len(factories)](
            publication_date=date, countries=[country("FR")], gbf_targets=[target(1 + number % 23)]
        )
        if number % 10 == 0:
            attach_document(record, title=f"Annex {number}")
    client.get(URL)  # warm the content-type and site caches

    def warm_count(url):
        client.get(url)  # the facets and the map of these filters are counted once, then cached
        return count_queries(client, url)

    ten = warm_count(f"{URL}?per_page=10")
    hundred = warm_count(f"{URL}?per_page=100")
    filtered_ten = warm_count(f"{URL}?per_page=10&type=need&country=FR&target=GBF-T3")
    filtered_hundred = warm_count(f"{URL}?per_page=100&type=need&country=FR&target=GBF-T3")

    assert ten == hundred, (ten, hundred)
    assert filtered_ten == filtered_hundred
    with django_assert_max_num_queries(LISTING_BUDGET):
        client.get(f"{URL}?per_page=100")


@pytest.mark.parametrize("name", sorted(RECORD_FACTORIES))
def test_detail_page_query_budget_does_not_grow_with_content(client, index, name):
    small = RECORD_FACTORIES[name]()
    large = RECORD_FACTORIES[name]()
    from content_types.records.models import RelatedRecord

    for number in range(5):
        attach_document(large, title=f"Annex {number}")
        RelatedRecord.objects.create(page=large, record=NeedFactory(), sort_order=number)
    attach_document(small, title="Annex")
    RelatedRecord.objects.create(page=small, record=NeedFactory(), sort_order=0)
    client.get(small.url)  # the first view of a document stores its file size
    client.get(large.url)

    assert count_queries(client, small.url) == count_queries(client, large.url)
    assert count_queries(client, large.url) <= DETAIL_BUDGET


def test_a_change_to_one_located_record_makes_its_marker_alone_again(client, index):
    """The records map's markers are kept one by one: after an organisation is renamed, the map shows
    the new title and reads that organisation alone again."""

    from content_types.records.models import OrganisationPage

    organisations = [OrganisationFactory(title=f"{letter} institute") for letter in "ABC"]

    def titles():
        response = client.get(f"{URL}markers/")
        return [feature["properties"]["title"] for feature in response.json()["features"]]

    assert titles() == ["A institute", "B institute", "C institute"]
    renamed = OrganisationPage.objects.get(pk=organisations[1].pk)
    renamed.title = "B institute (renamed)"
    renamed.save_revision().publish()
    with markers_made(OrganisationPage) as made:
        assert titles() == ["A institute", "B institute (renamed)", "C institute"]
    assert made == [renamed.pk]
