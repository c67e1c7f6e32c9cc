"""Listings on a phone and on a desktop, in a real browser: on a 420 px screen the filters fold behind a
"Filters (n)" button and the first result is on the first screen; at every width the count and the
active filters come before the results; without JavaScript the filters stay open."""

import datetime
import os
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.events.factories import EventFactory
from tests.networks.factories import MembershipFactory, NetworkFactory
from tests.records.factories import NeedFactory, OrganisationFactory, ProjectFactory, country, target

from .conftest import TIMEOUT_MS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 420, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


def reset_sequences() -> None:
    """Point every table's id sequence past its rows again (the baseline is reloaded with explicit
    ids after a flush, so new rows would otherwise reuse id 1)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture
def content(live_site):
    reset_sequences()
    for number in range(3):
        NeedFactory(
            title=f"Kenya needs training on invasive species {number}",
            countries=[country("KE")],
            gbf_targets=[target(6)],
            publication_date=datetime.date(2026, 1, 5 + number),
        )
    OrganisationFactory(title="Nairobi Biodiversity Institute", publication_date=datetime.date(2025, 5, 1))
    ProjectFactory(
        title="Dakar coastal restoration",
        countries=[country("SN")],
        gbf_targets=[target(2)],
        latitude=Decimal("14.7167"),
        longitude=Decimal("-17.4677"),
        publication_date=datetime.date(2024, 9, 1),
    )
    EventFactory(title="Restoration workshop in Nairobi", countries=[country("KE")])
    MembershipFactory(network=NetworkFactory(title="Invasive species network", countries=[country("KE")]))


@pytest.fixture
def open_tab(browser):
    contexts = []

    def open_(viewport, javascript=True):
        context = browser.new_context(locale="en-GB", viewport=viewport, java_script_enabled=javascript)
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


def assert_on_first_screen(locator, viewport) -> None:
    """The element lies wholly within the first screen, with the page scrolled to the top."""
    found = box(locator)
    assert found["y"] >= 0 and found["y"] + found["height"] <= viewport["height"], (found, viewport)
    assert found["x"] >= 0 and found["x"] + found["width"] <= viewport["width"], (found, viewport)


def assert_result_on_first_screen(result, viewport) -> None:
    """The first result starts on the first screen and its title can be read there without scrolling.

    (Its whole card does not fit below the site header, which takes some 380 px at 420 px wide.)
    """
    assert 0 <= box(result)["y"] < viewport["height"]
    assert_on_first_screen(result.locator("h2, h3").first, viewport)


def test_phone_folds_the_filters_behind_a_button_and_shows_the_first_result(live_site, content, open_tab):
    tab = open_tab(PHONE)
    tab.goto(f"{live_site.url}/en/records/?country=KE")

    toggle = tab.get_by_role("button", name="Filters (1)")
    expect(toggle).to_be_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    body = tab.locator(f"#{toggle.get_attribute('aria-controls')}")
    expect(body).to_be_hidden()
    first_card = tab.locator(".record-card").first
    assert_result_on_first_screen(first_card, PHONE)
    assert_on_first_screen(tab.locator(".results-summary .count"), PHONE)
    assert_on_first_screen(tab.locator(".results-summary a.chip"), PHONE)
    assert box(tab.locator(".results-summary")).get("y") < box(first_card)["y"]
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing scrolls sideways

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    expect(body).to_be_visible()
    tab.get_by_label("GBF target").select_option("GBF-T6")
    tab.get_by_role("button", name="Apply filters").click()

    # The form sends codes only, without the filters left at "Any".
    tab.wait_for_url(re.compile(r"target=GBF-T6"))
    assert tab.url.split("?", 1)[1] == "country=KE&target=GBF-T6&sort=newest"
    expect(tab.get_by_role("button", name="Filters (2)")).to_have_attribute("aria-expanded", "false")
    expect(tab.locator(".results-summary .count")).to_have_text("3 results")


@pytest.mark.parametrize("path", ["/en/events/", "/en/networks/", "/en/search/?q=invasive"])
def test_phone_shows_the_first_result_of_every_listing_on_the_first_screen(live_site, content, open_tab, path):
    from django.core.management import call_command

    call_command("reindex", no_progress=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    tab = open_tab(PHONE)
    tab.goto(f"{live_site.url}{path}")

    expect(tab.get_by_role("button", name="Filters (0)")).to_have_attribute("aria-expanded", "false")
    assert_result_on_first_screen(tab.locator(".cards > li, .search-results > li").first, PHONE)
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_without_javascript_the_filters_stay_open(live_site, content, open_tab):
    tab = open_tab(PHONE, javascript=False)
    tab.goto(f"{live_site.url}/en/records/?country=KE")

    expect(tab.locator("button.filters-toggle")).to_be_hidden()
    expect(tab.get_by_label("Country")).to_be_visible()
    expect(tab.get_by_role("button", name="Apply filters")).to_be_visible()


def test_desktop_shows_filters_count_and_chips_above_the_results_and_a_truthful_map(live_site, content, open_tab):
    tab = open_tab(DESKTOP)
    tab.goto(f"{live_site.url}/en/records/?target=GBF-T2")

    expect(tab.locator("button.filters-toggle")).to_be_hidden()
    expect(tab.get_by_label("Country")).to_be_visible()
    first_card = box(tab.locator(".record-card").first)
    count, chips = box(tab.locator(".results-summary .count")), box(tab.locator(".results-summary .chips"))
    assert count["y"] + count["height"] <= first_card["y"]
    assert chips["y"] + chips["height"] <= first_card["y"]
    assert count["y"] < box(tab.locator("#results-title"))["y"] + 200  # at the top of the results column

    # The map draws what its caption counts: the one located record among the results.
    expect(tab.locator("#records-map")).to_have_attribute("data-map-ready", re.compile(r"^\d+$"))  # no eval: CSP
    caption = tab.locator("#records-map-caption")
    assert tab.locator("#records-map").get_attribute("data-map-ready") == caption.get_attribute("data-marker-count")
    assert tab.locator("#records-map .leaflet-interactive").count() == 1
    expect(caption).to_have_text(re.compile(r"^On the map: 1 of the 1 result, those with a location"))


def test_networks_map_draws_the_members_it_fetches_and_lists_them_on_their_own_page(live_site, content, open_tab):
    tab = open_tab(DESKTOP)
    tab.goto(f"{live_site.url}/en/networks/")

    expect(tab.locator("#networks-map")).to_have_attribute("data-map-ready", re.compile(r"^\d+$"))  # no eval: CSP
    caption = tab.locator("#networks-map-caption")
    assert tab.locator("#networks-map").get_attribute("data-map-ready") == caption.get_attribute("data-marker-count")
    assert tab.locator("#networks-map .leaflet-interactive").count() == 1
    assert tab.locator("#networks-map-markers").count() == 0  # fetched, not in the page

    tab.get_by_role("link", name="The 1 member organisation on the map, as a list").click()
    expect(tab.locator(".member-list li")).to_have_count(1)
    expect(tab.get_by_role("link", name="Back to the networks")).to_have_attribute("href", "/en/networks/")
