"""Country profiles, dashboards and the decision tracker: what they show, from published content only,
each record once whatever the number of languages it has a page in."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from content_types.base.translations import ensure_aliases
from content_types.records.models import NeedPage
from tests.records.factories import NeedFactory, target

from .data import build_country, party_countries, shared_network

pytestmark = pytest.mark.django_db


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"insight:{name}", kwargs=kwargs or None)


@pytest.fixture
def country_data(site_pages):
    network = shared_network()
    countries = party_countries(2)
    pages = [build_country(country, index, network) for index, country in enumerate(countries)]
    return countries, pages


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_country_profile_shows_what_the_portal_holds_on_the_country(client, country_data):
    countries, pages = country_data
    country = countries[0]
    response = client.get(url("country", code=country.code))
    assert response.status_code == 200
    html = response.content.decode()
    for kind in ("report", "decision", "need", "offer", "event"):
        assert pages[0][kind].title in html
    for kind in ("report", "need", "offer", "event"):
        assert pages[1][kind].title not in html  # the other country's
    # The other country's decision is on the targets this country reports on: listed with this
    # country's progress, but only the decision that names the country shows its paragraphs.
    decisions = {item["title"]: item for item in response.context["decisions"]}
    assert decisions[pages[0]["decision"].title]["names_country"]
    assert [item["status"] for item in decisions[pages[0]["decision"].title]["paragraphs"]] == ["active", "implemented"]
    assert decisions[pages[1]["decision"].title]["paragraphs"] == []
    assert [item["progress"] for item in decisions[pages[1]["decision"].title]["targets"]] == [
        "On track to achieve the target",
        "Some progress, but at an insufficient rate",
    ]
    assert f"Biodiversity agency of {country.name_en}" in html
    assert "Restoration network" in html
    assert 'id="progress"' in html  # the progress table beside the chart
    assert 'data-insight-chart="progress-chart-data"' in html


def test_unknown_country_is_404_and_lower_case_redirects(client, site_pages):
    assert client.get(url("countries") + "XX/").status_code == 404
    assert client.get(url("countries") + "X1/").status_code == 404
    response = client.get(url("countries") + "fr/")
    assert response.status_code == 301
    assert response["Location"] == url("country", code="FR")


def test_unpublished_and_private_records_are_not_counted(client, country_data):
    countries, pages = country_data
    need = pages[0]["need"]
    need.unpublish()
    response = client.get(url("country", code=countries[0].code))
    assert need.title not in response.content.decode()
    response = client.get(url("dashboard-cooperation"), {"csv": "needs-offers-by-target"})
    rows = {row[0]: row for row in csv_rows(response)}
    assert rows[str(target(3))][1] == "1"  # the other country's need only


def test_aliases_count_once_per_record_in_every_language(client, site_pages, django_capture_on_commit_callbacks):
    country = party_countries(1)[0]
    need = NeedFactory(countries=[country], gbf_targets=[target(5)], status="matched")
    with django_capture_on_commit_callbacks(execute=True):
        ensure_aliases(need)
    assert NeedPage.objects.filter(translation_key=need.translation_key).count() == 6
    for language in ("en", "fr", "ar"):
        response = client.get(url("dashboard-cooperation", language), {"csv": "needs-offers-by-target"})
        rows = {row[0]: row for row in csv_rows(response)}
        with translation.override(language):
            label = str(target(5))
        assert rows[label][1:3] == ["1", "0"], language  # one need, none open
        assert rows[label][5] == "100.0"  # the share matched


def test_reporting_dashboard_map_table_and_csv(client, country_data):
    countries, _pages = country_data
    response = client.get(url("dashboard-reporting"))
    assert response.status_code == 200
    data = response.context["status_map"]
    assert data["values"][countries[0].m49] == "reported"
    html = response.content.decode()
    assert 'id="reporting-status"' in html and 'id="target-progress"' in html
    rows = csv_rows(client.get(url("dashboard-reporting"), {"csv": "reporting-status"}))
    assert rows[0] == ["Country", "Status", "End of the latest reporting period", "Reports for the period"]
    assert [countries[0].name_en, "At least one national report", "2023-12-31", "1"] in rows


def test_period_filter_splits_reported_from_other_periods(client, country_data):
    countries, _pages = country_data
    # The first country's report ends in 2023, the second's in 2024.
    response = client.get(url("dashboard-reporting"), {"since": "2024", "until": "2024"})
    values = response.context["status_map"]["values"]
    assert values[countries[0].m49] == "other-period"
    assert values[countries[1].m49] == "reported"


@pytest.mark.parametrize(
    "params, message",
    [
        ({"region": "999"}, "is not a known region code"),
        ({"target": "GBF-T99"}, "is not a known GBF target code"),
        ({"target": "x\x00y"}, "is not a known GBF target code"),
        ({"since": "last year"}, "is not a year from 1900 to 2100"),
        ({"since": "2025", "until": "2020"}, "cannot end (2020) before it starts (2025)"),
    ],
)
def test_bad_filter_values_give_a_message_not_an_error(client, site_pages, params, message):
    for name in ("dashboard-reporting", "dashboard-progress", "dashboard-activity", "dashboard-cooperation"):
        response = client.get(url(name), params)
        assert response.status_code == 200, name
        assert message in response.content.decode(), name


def test_unknown_csv_table_is_404(client, site_pages):
    assert client.get(url("dashboard-progress"), {"csv": "nothing"}).status_code == 404


def test_csv_neutralises_formulas(client, site_pages):
    from content_types.vocabularies.models import Region

    region = Region.objects.get(code="002")
    region.name_en = '=HYPERLINK("http://evil.example")'
    region.save()
    rows = csv_rows(client.get(url("dashboard-cooperation"), {"csv": "needs-offers-by-region"}))
    labels = [row[0] for row in rows]
    assert '\'=HYPERLINK("http://evil.example")' in labels
    assert not any(label.startswith("=") for label in labels)


def test_region_and_target_filters(client, country_data):
    countries, _pages = country_data
    region = countries[0].region.ancestors()[-1]  # its continent
    response = client.get(url("dashboard-progress"), {"region": region.code, "target": "GBF-T1"})
    assert response.status_code == 200
    matrix = {row["label"]: row for row in response.context["matrix_table"]["rows"]}
    expected = sum(1 for country in countries if country.region.ancestors()[-1] == region)
    assert matrix[str(target(1))]["cells"][-1]["value"] == expected


def test_activity_counts_records_and_events_by_year_and_type(client, country_data):
    response = client.get(url("dashboard-activity"))
    rows = {row["label"]: row for row in response.context["records_table"]["rows"]}
    columns = [column["label"] for column in response.context["records_table"]["columns"]]
    national_reports = columns.index("National report")
    assert rows["2024"]["cells"][national_reports]["value"] == 2
    assert response.context["events_total"] == 2


def test_decision_tracker_filters_search_and_counts(client, country_data):
    countries, pages = country_data
    response = client.get(url("decision-tracker"))
    assert response.status_code == 200
    assert response.context["results"]["count"] == 4
    counts = {item["status"]: item["count"] for item in response.context["status_counts"]}
    assert counts["active"] == 2 and counts["implemented"] == 2
    html = response.content.decode()
    assert pages[0]["decision"].url in html

    response = client.get(url("decision-tracker"), {"q": "restoring ecosystems"})  # stems: restore, ecosystem
    assert response.context["results"]["count"] == 2
    response = client.get(url("decision-tracker"), {"q": countries[0].name_en, "status": "active"})
    assert response.context["results"]["count"] == 1
    response = client.get(url("decision-tracker"), {"actor": "Executive Secretary"})
    assert response.context["results"]["count"] == 2
    response = client.get(url("decision-tracker"), {"target": "GBF-T1", "meeting": "COP-16"})
    assert response.context["results"]["count"] == 4
    response = client.get(url("decision-tracker"), {"target": "GBF-T9"})
    assert response.context["results"]["count"] == 0


@pytest.mark.parametrize(
    "params, message",
    [
        ({"status": "nonsense"}, "is not one of the values of status"),
        ({"meeting": "COP-99"}, "is not one of the values of meeting"),
        ({"target": "T\x00"}, "is not a known GBF target code"),
        ({"page": "abc"}, "is not a page number"),
        ({"page": "99"}, "There is no page 99"),
        ({"q": "x" * 300}, "longer than 200 characters"),
    ],
)
def test_decision_tracker_bad_values(client, country_data, params, message):
    for _attempt in ("computed", "from the cache"):
        response = client.get(url("decision-tracker"), params)
        assert response.status_code == 200
        assert message in response.content.decode()


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "ru", "zh-hans"])
def test_every_page_renders_in_six_languages(client, country_data, language):
    countries, _pages = country_data
    names = ["countries", "dashboards", "dashboard-reporting", "dashboard-progress"]
    names += ["dashboard-activity", "dashboard-cooperation", "decision-tracker"]
    for name in names:
        response = client.get(url(name, language))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
    response = client.get(url("country", language, code=countries[0].code))
    assert response.status_code == 200
