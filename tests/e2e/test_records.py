"""The Records listing in a real browser: filter by country, see the count and a chip, open a record."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.records.factories import NeedFactory, OrganisationFactory, ProjectFactory, country, target

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def reset_sequences() -> None:
    """Point every table's id sequence past its rows again.

    ``tests/conftest.py``'s ``_restore`` flushes with sequences reset, then reloads the baseline with
    explicit ids, so a test that inserts rows after it would reuse id 1 (reported to the lead).
    """
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture
def records(live_site):
    reset_sequences()
    return [
        NeedFactory(
            title="Kenya needs training on invasive species",
            countries=[country("KE")],
            gbf_targets=[target(6)],
            publication_date=datetime.date(2026, 1, 5),
        ),
        OrganisationFactory(title="Nairobi Biodiversity Institute", publication_date=datetime.date(2025, 5, 1)),
        NeedFactory(
            title="France needs marine data",
            countries=[country("FR")],
            gbf_targets=[target(3)],
            publication_date=datetime.date(2025, 9, 1),
        ),
        ProjectFactory(
            title="Dakar coastal restoration",
            countries=[country("SN")],
            gbf_targets=[target(2)],
            publication_date=datetime.date(2024, 9, 1),
        ),
    ]


def test_filter_the_listing_by_country_and_open_a_record(live_site, records, page):
    page.goto(f"{live_site.url}/en/records/")

    count = page.locator(".listing-filters ~ p.count, p.count").first
    assert count.inner_text() == "4 results"
    assert page.locator(".record-card").count() == 4
    assert page.locator("#records-map").is_visible()

    page.get_by_label("Country").select_option("KE")
    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url(re.compile(r"country=KE"))
    assert page.locator("p.count").first.inner_text() == "2 results"
    chip = page.locator("a.chip")
    assert chip.count() == 1
    assert chip.inner_text().startswith("Country: Kenya")
    titles = page.locator(".record-card .card-title a").all_inner_texts()
    assert sorted(titles) == ["Kenya needs training on invasive species", "Nairobi Biodiversity Institute"]

    page.get_by_role("link", name="Kenya needs training on invasive species").click()

    page.wait_for_url(re.compile(r"/en/records/need-\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Kenya needs training on invasive species"
    metadata = page.locator("dl.metadata").first
    assert "CHM-NEED-KE-2026-0001" in metadata.inner_text()
    assert page.locator("dl.classification").get_by_role("link", name="Kenya").is_visible()

    # The chip removes the filter again.
    page.go_back()
    page.locator("a.chip").click()
    expect(page.locator("p.count").first).to_have_text("4 results")
    assert "country=KE" not in page.url
    assert page.locator("a.chip").count() == 0
