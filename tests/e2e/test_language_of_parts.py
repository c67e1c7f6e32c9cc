"""The Arabic page of an English record in a real browser: right to left at the root, the English
content left to right with its own language, and the page says it is shown in its original language."""

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from tests.records.factories import NeedFactory, country, target

from .test_records import reset_sequences

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def arabic_alias(live_site):
    reset_sequences()
    record = NeedFactory(
        title="Mapping of the coastal mangroves (phase 2)",
        summary="The ministry asks for help with drone mapping, 2026-2027.",
        countries=[country("SN")],
        gbf_targets=[target(3)],
        body=[("paragraph", "<p>About 1,200 ha are concerned.</p>")],
    )
    return record.copy_for_translation(Locale.objects.get(language_code="ar"), copy_parents=False, alias=True)


def direction_of(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).direction")


def test_arabic_page_of_an_english_record_is_rtl_with_the_english_content_ltr(live_site, arabic_alias, page):
    page.goto(f"{live_site.url}{arabic_alias.url}")

    root = page.locator("html")
    expect(root).to_have_attribute("dir", "rtl")
    expect(root).to_have_attribute("lang", "ar")
    assert direction_of(root) == "rtl"

    title = page.locator("h1")
    expect(title).to_have_text("Mapping of the coastal mangroves (phase 2)")
    expect(title).to_have_attribute("lang", "en")
    expect(title).to_have_attribute("dir", "ltr")
    assert direction_of(title) == "ltr"
    summary = page.locator("p.lead")
    expect(summary).to_have_attribute("dir", "ltr")
    assert direction_of(summary) == "ltr"
    body = page.locator("#record-body + div")
    expect(body).to_have_attribute("lang", "en")
    assert direction_of(page.locator("#record-body + div p")) == "ltr"

    identifier = page.locator("dd code bdi")
    expect(identifier).to_have_text(arabic_alias.identifier)
    assert direction_of(page.locator("dt").first) == "rtl"  # the interface stays right to left

    notice = page.locator("main .message-language")
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("role", "note")


def test_arabic_listing_marks_the_card_of_an_english_record(live_site, arabic_alias, page):
    page.goto(f"{live_site.url}/ar/records/")

    link = page.locator(".record-card .card-title a", has_text="Mapping of the coastal mangroves")
    expect(link).to_have_attribute("lang", "en")
    assert direction_of(link) == "ltr"
    expect(page.locator(".record-card .badge-language")).to_have_text("باللغة الإنكليزية")


def test_arabic_search_suggestion_of_an_english_title_is_marked(live_site, arabic_alias, page):
    page.goto(f"{live_site.url}/ar/search/")
    box = page.locator("#search-q")

    box.press_sequentially("Mapping", delay=50)

    title = page.locator("#search-suggestions [role=option] span").first
    expect(title).to_have_text("Mapping of the coastal mangroves (phase 2)")
    expect(title).to_have_attribute("lang", "en")
    expect(title).to_have_attribute("dir", "ltr")
    assert direction_of(title) == "ltr"
