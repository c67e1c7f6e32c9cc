"""The search page in a real browser: suggestions while typing (keyboard and mouse), a facet that
becomes a removable chip, and the header's search box."""

import re

import pytest
from django.db import transaction

from tests.records.factories import NeedFactory, OfferFactory, country, target

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def records(live_site):
    """Three published records; the index task runs when each publication commits."""
    pages = [
        NeedFactory(title="Invasive species early warning", summary="Alerts.", countries=[country("FR")]),
        NeedFactory(title="Invasive plants in wetlands", summary="Removal.", countries=[country("KE")]),
        OfferFactory(title="Herbarium digitisation", summary="Scanning.", gbf_targets=[target(3)]),
    ]
    for record in pages:
        with transaction.atomic():
            record.save_revision().publish()
    return pages


def test_suggest_search_filter_and_remove_the_filter(live_site, records, page):
    page.goto(f"{live_site.url}/en/search/")
    box = page.get_by_role("combobox", name="Search records, events, networks and news")

    box.press_sequentially("inva", delay=50)

    listbox = page.get_by_role("listbox", name="Suggestions")
    options = listbox.get_by_role("option")
    options.first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert [text.split("\n")[0] for text in options.all_inner_texts()] == [
        "Invasive plants in wetlands",
        "Invasive species early warning",
    ]
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "search-suggestion-0"
    box.press("Escape")
    assert listbox.is_hidden()

    box.fill("invasive")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/en/search/\?q=invasive$"))
    status = page.locator("p.count")
    assert status.inner_text() == "2 results"
    assert page.locator("ol.search-results mark").first.inner_text() == "Invasive"

    page.locator("section.facet", has=page.get_by_role("heading", name="Country")).get_by_role(
        "link", name=re.compile(r"^France \(1\)")
    ).click()

    page.wait_for_url(re.compile(r"country=FR"))
    chip = page.locator("ul.chips a.chip")
    assert chip.inner_text().startswith("Country: France")
    assert status.inner_text() == "1 result"
    assert page.locator("ol.search-results li").count() == 1

    chip.click()

    page.wait_for_url(re.compile(r"/en/search/\?q=invasive$"))
    assert page.locator("ul.chips").count() == 0
    assert status.inner_text() == "2 results"


def test_choosing_a_suggestion_with_the_mouse_searches_for_it(live_site, records, page):
    page.goto(f"{live_site.url}/en/search/")
    box = page.get_by_role("combobox", name="Search records, events, networks and news")

    box.press_sequentially("herb", delay=50)
    page.get_by_role("option", name=re.compile("Herbarium digitisation")).click()

    page.wait_for_url(re.compile(r"q=Herbarium\+digitisation"))
    assert page.locator("ol.search-results h3").all_inner_texts() == ["Herbarium digitisation"]


def test_the_header_search_box_leads_to_the_results_in_the_page_language(live_site, records, page):
    page.goto(f"{live_site.url}/fr/")

    page.get_by_role("searchbox", name=re.compile("Search the portal|Rechercher")).fill("herbarium")
    page.get_by_role("search", name=re.compile("Site search|Recherche")).get_by_role("button").click()

    page.wait_for_url(re.compile(r"/fr/search/\?q=herbarium$"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("ol.search-results h3").all_inner_texts() == ["Herbarium digitisation"]
