"""The site frame in a real browser: switching language turns the page right-to-left for Arabic."""

import re

import pytest

from cms.home.demo import HOME_TITLES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_switching_to_arabic_turns_the_page_right_to_left(live_site, page):
    page.goto(f"{live_site.url}/")

    page.wait_for_url(re.compile(r"/en/$"))  # the visitor's language, from Accept-Language
    html = page.locator("html")
    assert html.get_attribute("lang") == "en"
    assert html.get_attribute("dir") == "ltr"
    assert page.get_by_role("heading", level=1).inner_text() == HOME_TITLES["en"]

    page.locator("nav.language-switcher").get_by_role("link", name="العربية").click()

    page.wait_for_url(re.compile(r"/ar/$"))
    assert html.get_attribute("lang") == "ar"
    assert html.get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", level=1).inner_text() == HOME_TITLES["ar"]
    # The switcher marks Arabic as the current language and still offers the way back.
    switcher = page.locator("nav.language-switcher")
    assert switcher.locator("a[aria-current]").get_attribute("hreflang") == "ar"
    assert switcher.get_by_role("link", name="English").get_attribute("href") == "/en/"


def test_skip_link_moves_focus_to_the_main_content(live_site, page):
    page.goto(f"{live_site.url}/fr/news/")

    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"
    assert page.locator("html").get_attribute("lang") == "fr"
