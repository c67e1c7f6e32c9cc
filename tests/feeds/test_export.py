"""Export of a listing's current filter as CSV, XLSX and JSON."""

import csv
import io
import json

import openpyxl
import pytest
from bs4 import BeautifulSoup

from tests.listings.conftest import FULL_QUERIES, listed  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

HEADERS = [
    "identifier",
    "type",
    "title",
    "url",
    "language",
    "text_language",
    "summary",
    "countries",
    "regions",
    "targets",
    "subjects",
    "languages",
    "first_published_at",
    "modified",
]


def rows_of(response, export_format) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].endswith(f'.{export_format}"')
    if export_format == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        reader = csv.reader(io.StringIO(text))
        header, *rows = list(reader)
    elif export_format == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        header, *rows = [
            [cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)
        ]
    else:
        return json.loads(response.content)
    assert header == HEADERS
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize("export_format", ["csv", "xlsx", "json"])
def test_records_export_holds_the_visible_fields(client, listed, export_format):  # noqa: F811
    rows = rows_of(client.get(f"/en/records/export/{export_format}/"), export_format)

    by_title = {row["title"]: row for row in rows}
    need = listed["records"][0]
    row = by_title["French need"]
    assert set(row) == set(HEADERS)
    assert row["identifier"] == need.identifier and row["identifier"]
    assert row["type"] == "need"
    assert row["url"].endswith(need.url) and row["url"].startswith("http")
    assert (row["language"], row["text_language"]) == ("en", "en")
    assert (row["countries"], row["targets"], row["subjects"], row["languages"]) == ("FR", "GBF-T3", "SUBJ-IAS", "fr")
    assert "Kenyan institute" in by_title


@pytest.mark.parametrize("export_format", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("section", ["records", "networks"])
def test_the_export_applies_the_listings_filter(client, listed, section, export_format):  # noqa: F811
    response = client.get(f"/en/{section}/export/{export_format}/?{FULL_QUERIES[section]}")
    assert [row["title"] for row in rows_of(response, export_format)] == [listed[section][0].title]


def test_events_export_follows_the_tab_and_filters(client, listed):  # noqa: F811
    rows = rows_of(client.get("/en/events/export/json/?type=forum"), "json")
    assert [(row["title"], row["type"]) for row in rows] == [("Kenyan workshop", "forum")]


def test_an_unknown_format_is_not_found(client, listed):  # noqa: F811
    assert client.get("/en/records/export/pdf/").status_code == 404


def test_the_listing_links_its_downloads_with_the_active_filter(client, listed):  # noqa: F811
    page = BeautifulSoup(client.get("/en/records/?type=need&country=FR&page=1").content, "html.parser")
    links = {link.get_text(): link["href"] for link in page.select(".export-links a")}

    assert links == {
        "CSV": "/en/records/export/csv/?type=need&country=FR",
        "XLSX": "/en/records/export/xlsx/?type=need&country=FR",
        "JSON": "/en/records/export/json/?type=need&country=FR",
    }
