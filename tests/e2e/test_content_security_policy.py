"""The Content-Security-Policy in a real browser: the public pages, the records listing with its map,
the submission form with its type-ahead selects, and the Wagtail admin (sign-in, dashboard, the page
editor with its inline panels, date inputs, a page chooser and the preview) run with zero violations.

Chromium reports each refused script, style, frame or connection both as a ``securitypolicyviolation``
event in the page and as a console error; both are collected.
"""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.waiting import wait_until
from tests.records.factories import NeedFactory, ProjectFactory, country, records_index
from tests.workflows import conftest as review_fixtures

people = review_fixtures.people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    [event.effectiveDirective, event.blockedURI, event.sourceFile + ":" + event.lineNumber].join(" ")
  );
});
"""


class Watched:
    """A tab whose policy violations and console errors are kept, across navigations."""

    def __init__(self, context):
        self.context = context
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.add_init_script(COLLECT_VIOLATIONS)
        self.page = context.new_page()
        self.errors = []
        self.page.on("console", self.on_console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.reported = []

    def on_console(self, message):
        # A status answer (the favicon's 404, the preview's "form not valid yet" 400) is not a policy
        # matter; a refused load is reported as "Refused to …" and as a violation event.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"{message.text} ({message.location.get('url')})")

    def collect(self):
        """The violations of the document shown now (call before leaving it) and every console error so far."""
        for frame in self.page.frames:
            if frame.is_detached():
                continue
            found = frame.evaluate("() => window.__cspViolations || []")
            self.reported += [violation for violation in found if violation not in self.reported]
        return self.reported + self.errors

    def assert_clean(self):
        found = self.collect()
        assert found == [], "policy violations or console errors:\n" + "\n".join(found)


def visitor(browser, base_url=None, user=None) -> Watched:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])
    return Watched(context)


@pytest.fixture
def published(live_site):
    index = records_index("en")
    need = NeedFactory(parent=index, title="Seagrass mapping support", countries=[country("KE")])
    ProjectFactory(parent=index, title="Mangrove restoration project", countries=[country("FR")])
    return need


def test_the_public_home_and_the_records_listing_with_its_map(live_site, published, browser):
    tab = visitor(browser)
    try:
        tab.page.goto(f"{live_site.url}/en/")
        expect(tab.page.locator("main")).to_be_visible()
        tab.collect()

        tab.page.goto(f"{live_site.url}/en/records/")
        expect(tab.page.locator(".leaflet-container")).to_be_visible()  # the map script ran
        expect(tab.page.locator(".leaflet-marker-icon, .leaflet-interactive").first).to_be_attached()
        tab.page.goto(f"{live_site.url}{published.url}")
        expect(tab.page.locator("h1")).to_contain_text("Seagrass mapping support")
        tab.assert_clean()

        # And the watch would see a violation: a script injected into the page is refused and reported.
        tab.page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.injected = true";
                document.body.append(script);
            }"""
        )
        expect(tab.page.locator("body")).to_be_visible()
        wait_until(tab.page, "window.__cspViolations.length > 0")
        assert tab.page.evaluate("() => window.injected") is None
        assert any(violation.startswith("script-src") for violation in tab.collect())
    finally:
        tab.context.close()


def test_the_submission_form_with_its_type_ahead_selects(live_site, people, browser):
    tab = visitor(browser, live_site.url, people.submitter)
    try:
        tab.page.goto(f"{live_site.url}/en/workspace/new/need/")
        targets = tab.page.get_by_role("combobox", name=re.compile("GBF targets"))
        expect(targets).to_be_visible()
        expect(tab.page.locator(".ts-wrapper").first).to_be_visible()  # Tom Select ran
        targets.click()
        targets.press_sequentially("2")
        expect(tab.page.locator(".ts-dropdown .option").first).to_be_visible()
        tab.assert_clean()
    finally:
        tab.context.close()


def test_the_wagtail_admin_editor_chooser_and_preview(live_site, people, published, browser):
    tab = visitor(browser)
    page = tab.page
    try:
        page.goto(f"{live_site.url}/admin/login/")
        page.get_by_label("Username").fill(people.editor.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/admin/$"))
        expect(page.locator("main")).to_be_visible()
        tab.collect()

        page.goto(f"{live_site.url}/admin/pages/{published.pk}/edit/")
        expect(page.locator("#id_title")).to_have_value("Seagrass mapping support")
        # The preview panel frames the admin's own preview view.
        page.get_by_role("button", name=re.compile("Toggle preview", re.I)).click()
        preview = page.frame_locator("iframe#w-preview-iframe, .preview-panel iframe").first
        expect(preview.locator("h1")).to_contain_text("Seagrass mapping support")
        page.get_by_role("button", name=re.compile("Toggle preview", re.I)).click()

        page.locator("#tab-label-record_metadata").click()
        # A new inline child is cloned from a <template>: its chooser's initialiser runs with the nonce.
        page.locator("#id_related_records-ADD").click()
        expect(page.locator("#id_related_records-0-record")).to_be_attached()
        page.locator("#id_related_records-FORMS").get_by_role("button", name="Choose a page").click()
        modal = page.locator(".modal-dialog")
        expect(modal).to_be_visible()
        expect(modal.get_by_role("heading", name=re.compile("Choose", re.I)).first).to_be_visible()
        page.keyboard.press("Escape")

        # Each date input's picker is built by an initialiser Wagtail writes inline.
        expect(page.locator(".xdsoft_datetimepicker")).not_to_have_count(0)

        tab.assert_clean()
    finally:
        tab.context.close()
