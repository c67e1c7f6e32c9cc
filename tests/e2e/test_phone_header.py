"""The site header on a phone (420 × 800), in a real browser: brand, "Menu" button and languages take a
few lines, so that the first result of the records listing is on the first screen, in English and in
Arabic; the button opens and closes the search, account links and navigation (aria-expanded, Escape);
without JavaScript everything stays open; axe finds nothing serious."""

import datetime

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from tests.records.factories import NeedFactory, country, target

from .axe import assert_no_serious_violations
from .conftest import TIMEOUT_MS
from .test_records import reset_sequences

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 420, "height": 800}
HEADER_AT_MOST = 140  # px: brand and button on one line, the languages on the next


@pytest.fixture
def records(live_site):
    reset_sequences()
    arabic = Locale.objects.get(language_code="ar")
    for number in range(3):
        record = NeedFactory(
            title=f"Training on the early detection of invasive species, part {number + 1}",
            summary="County officers learn to spot and report new invasive species quickly.",
            countries=[country("KE")],
            gbf_targets=[target(6)],
            publication_date=datetime.date(2026, 1, 5 + number),
        )
        record.copy_for_translation(arabic, copy_parents=False, alias=True)


@pytest.fixture
def phone(browser):
    contexts = []

    def open_(javascript=True):
        context = browser.new_context(locale="en-GB", viewport=PHONE, java_script_enabled=javascript)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None, locator
    return found


@pytest.mark.parametrize("language", ["en", "ar"])
def test_phone_header_is_compact_and_the_first_record_is_on_the_first_screen(live_site, records, phone, language):
    tab = phone()
    tab.goto(f"{live_site.url}/{language}/records/")

    header = box(tab.locator(".site-header"))
    assert header["height"] <= HEADER_AT_MOST, header
    first_card = tab.locator(".record-card").first
    card = box(first_card)
    assert card["y"] >= 0 and card["y"] + 40 <= PHONE["height"], card  # its top, and its title's first line
    title = box(first_card.locator("h2, h3").first)
    assert title["y"] + title["height"] <= PHONE["height"], title
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing scrolls sideways

    # The languages stay in view, on one line; the tagline, search, account links and navigation fold away.
    switcher = tab.locator("nav.language-switcher")
    expect(switcher).to_be_visible()
    links = switcher.get_by_role("link")
    assert links.count() == 6
    assert len({round(box(links.nth(index))["y"]) for index in range(6)}) == 1
    expect(tab.locator(".brand-tagline")).to_be_hidden()
    for hidden in ("#site-search", "#site-account", "#site-nav"):
        expect(tab.locator(hidden)).to_be_hidden()

    # In Arabic the button sits at the left (the line's end), the brand at the right.
    button = tab.locator("button[data-menu-toggle]")
    brand = box(tab.locator(".brand"))
    if language == "ar":
        assert box(button)["x"] < brand["x"]
    else:
        assert box(button)["x"] > brand["x"]

    assert_no_serious_violations(tab)


def test_phone_menu_button_opens_and_closes_the_menu(live_site, records, phone):
    tab = phone()
    tab.goto(f"{live_site.url}/en/records/")
    button = tab.get_by_role("button", name="Menu")
    assert button.get_attribute("aria-expanded") == "false"
    for controlled in button.get_attribute("aria-controls").split():
        expect(tab.locator(f"#{controlled}")).to_be_hidden()

    button.click()

    assert button.get_attribute("aria-expanded") == "true"
    expect(tab.get_by_role("search", name="Site search")).to_be_visible()
    expect(tab.get_by_role("navigation", name="Main")).to_be_visible()
    expect(tab.get_by_role("link", name="Sign in")).to_be_visible()
    assert_no_serious_violations(tab)
    tab.get_by_role("searchbox").focus()

    tab.keyboard.press("Escape")

    assert button.get_attribute("aria-expanded") == "false"
    expect(tab.get_by_role("search", name="Site search")).to_be_hidden()
    assert tab.evaluate("document.activeElement.hasAttribute('data-menu-toggle')")


def test_phone_without_javascript_keeps_the_menu_open(live_site, records, phone):
    tab = phone(javascript=False)
    tab.goto(f"{live_site.url}/en/records/")

    expect(tab.locator("button[data-menu-toggle]")).to_be_hidden()
    expect(tab.get_by_role("search", name="Site search")).to_be_visible()
    expect(tab.get_by_role("navigation", name="Main")).to_be_visible()
    expect(tab.get_by_role("link", name="Sign in")).to_be_visible()


def test_desktop_header_has_no_menu_button(live_site, records, page):
    page.goto(f"{live_site.url}/en/records/")

    expect(page.locator("button[data-menu-toggle]")).to_be_hidden()
    expect(page.locator(".brand-tagline")).to_be_visible()
    expect(page.get_by_role("search", name="Site search")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def test_pages_in_arabic_on_a_small_phone_never_scroll_sideways(live_site, phone):
    """A network page whose details hold a long Arabic label, a long address and English target names,
    and an event organised by an English-named organisation, on a 360-pixel screen in Arabic: the labels
    wrap, and a bullet of an item in English stays inside its list (outside, it went past the edge)."""
    from tests.events.factories import EventFactory
    from tests.networks.factories import NetworkFactory
    from tests.records.factories import OrganisationFactory

    reset_sequences()
    arabic = Locale.objects.get(language_code="ar")
    network = NetworkFactory(
        title="African clearing-house network",
        website="https://african-clearing-house-network.example.org/",
        gbf_targets=[target(20), target(21)],
    )
    organiser = OrganisationFactory(title="Global Biodiversity Information Facility")
    event = EventFactory(title="Science-policy dialogue on national strategies")
    event.organisations.set([organiser])
    event.save_revision().publish()
    pages = [page.copy_for_translation(arabic, copy_parents=False, alias=True) for page in (network, event)]

    tab = phone()
    tab.set_viewport_size({"width": 360, "height": 780})
    for page in pages:
        tab.goto(f"{live_site.url}{page.url}")
        expect(tab.locator("dl.metadata")).to_be_visible()
        assert tab.locator("html").get_attribute("dir") == "rtl"
        assert tab.evaluate("document.documentElement.scrollWidth") <= 360, page.url
    expect(tab.locator("dl.metadata")).to_contain_text("Global Biodiversity Information Facility")


def test_a_decisions_paragraphs_scroll_in_their_own_region_on_the_smallest_screen(live_site, phone):
    """At 320 pixels (the width every page must reflow to) in Chinese, the table of a decision's
    paragraphs scrolls sideways inside its own region, which the keyboard can reach; the page does not."""
    from tests.records.factories import DecisionFactory

    reset_sequences()
    chinese = Locale.objects.get(language_code="zh-hans")
    decision = DecisionFactory(title="Biodiversity and health").copy_for_translation(
        chinese, copy_parents=False, alias=True
    )
    tab = phone()
    tab.set_viewport_size({"width": 320, "height": 700})
    tab.goto(f"{live_site.url}{decision.url}")

    region = tab.locator(".table-scroll:has(table.decision-paragraphs)")
    expect(region).to_be_visible()
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 320
