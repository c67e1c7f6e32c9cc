"""Forms a person can fill, in a real browser: requirement marks, the error summary, live counters,
the type-ahead multi-selects (keyboard, screen-reader semantics, right-to-left, no JavaScript), and
axe-core on the submission form (with and without errors) and on the records listing.
"""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_serious_violations
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_records import records  # noqa: F401  (fixture: four published records)
from tests.workflows import conftest as review_fixtures
from workflows.review.models import Submission

people = review_fixtures.people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_NEED = "/en/workspace/new/need/"


def signed_in(browser, base_url, user, **options):
    """A browser tab with ``user``'s session (the sign-in form has its own test below)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}, **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])
    return context.new_page()


def active_id(page) -> str:
    return page.evaluate("() => document.activeElement.id || document.activeElement.className")


def test_the_need_form_marks_what_is_required_and_reports_errors_accessibly(live_site, people, browser):
    page = signed_in(browser, live_site.url, people.submitter)
    page.goto(live_site.url + NEW_NEED)

    # Before the first attempt: marks, their legend, and nothing said to be wrong.
    expect(page.locator(".requirements-legend")).to_contain_text("(*) are required")
    expect(page.locator(".requirements-legend")).to_contain_text("save a draft without these fields")
    title = page.get_by_role("textbox", name="Title")
    expect(title).to_have_attribute("required", "")
    expect(page.locator("label[for=id_title] .required-marker")).to_have_text("*")
    targets = page.get_by_role("combobox", name="GBF targets (required to submit)")
    expect(targets).to_be_visible()
    expect(targets).not_to_have_attribute("aria-required", "true")  # a draft may be saved without
    assert not page.title().startswith("Error")
    assert_no_serious_violations(page)

    # A failed attempt: the summary takes the focus, the title says so, each field tells its error.
    page.get_by_role("textbox", name="Summary").fill("Typed with care: keep me.")
    page.get_by_role("button", name="Save and submit for review").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: ")
    expect(summary.get_by_role("link")).to_have_count(4)  # title, what is needed, kind of support, targets
    expect(title).to_have_attribute("aria-invalid", "true")
    assert "id_title_error" in title.get_attribute("aria-describedby").split()
    expect(page.locator("#id_title_error")).to_contain_text("This field is required.")
    expect(page.get_by_role("textbox", name="Summary")).to_have_value("Typed with care: keep me.")
    targets = page.get_by_role("combobox", name=re.compile("^GBF targets"))
    expect(targets).to_have_attribute("aria-invalid", "true")
    assert "id_gbf_targets_error" in targets.get_attribute("aria-describedby").split()
    assert_no_serious_violations(page)

    # Each link of the summary leads to its field, the type-ahead's included.
    summary.get_by_role("link", name=re.compile("^GBF targets")).click()
    expect(targets).to_be_focused()
    summary.get_by_role("link", name=re.compile("^Title")).click()
    expect(title).to_be_focused()
    assert not Submission.objects.exists()


def test_a_length_limit_is_a_live_counter_and_the_server_refuses_more(live_site, people, browser):
    page = signed_in(browser, live_site.url, people.submitter)
    page.goto(live_site.url + NEW_NEED)
    summary = page.get_by_role("textbox", name="Summary")
    counter = page.locator("#id_summary_count")
    shown = counter.locator(".char-count-message")

    expect(summary).not_to_have_attribute("maxlength", re.compile(".*"))  # nothing is cut silently
    assert "id_summary_count_hint" in summary.get_attribute("aria-describedby").split()
    expect(page.locator("#id_summary_count_hint")).to_have_text("You can enter up to 600 characters.")
    expect(shown).to_have_text("600 characters left")

    summary.fill("x" * 599)
    expect(shown).to_have_text("1 character left")
    expect(counter.locator("[aria-live=polite]")).to_have_text("1 character left")  # once typing pauses
    summary.press("End")
    summary.type("yz")
    expect(shown).to_have_text("1 character too many")
    expect(counter).to_have_class(re.compile("char-count-over"))

    page.get_by_role("textbox", name="Title").fill("Long summary")
    page.get_by_role("button", name="Save draft").click()

    expect(page.locator("#id_summary_error")).to_contain_text("at most 600 characters (it has 601)")
    expect(summary).to_have_value("x" * 599 + "yz")  # kept, not cut
    expect(shown).to_have_text("1 character too many")


def test_the_type_ahead_works_from_the_keyboard_with_combobox_semantics(live_site, people, browser):
    page = signed_in(browser, live_site.url, people.submitter)
    page.goto(live_site.url + NEW_NEED)

    countries = page.get_by_role("combobox", name="Countries")
    listbox_id = countries.get_attribute("aria-controls")
    listbox = page.locator(f"#{listbox_id}")
    expect(listbox).to_have_attribute("role", "listbox")
    label_id = countries.get_attribute("aria-labelledby")
    expect(page.locator(f"#{label_id}")).to_contain_text("Countries")
    assert countries.get_attribute("aria-describedby").startswith("id_countries-ts-hint")
    expect(page.locator("#id_countries")).to_have_attribute("aria-hidden", "true")  # the fallback, hidden

    # Tab into it, type, arrow and Enter to add.
    page.get_by_role("textbox", name="Summary").focus()
    while active_id(page) != countries.get_attribute("id"):
        page.keyboard.press("Tab")
    page.keyboard.type("Keny")
    expect(countries).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option", name="Kenya")).to_be_visible()
    assert_no_serious_violations(page)  # with the list open
    page.keyboard.press("Enter")
    chosen = page.locator("#id_countries ~ .ts-wrapper .item")
    expect(chosen).to_have_text([re.compile("^Kenya")])
    expect(page.locator("#id_countries-ts-status")).to_have_text("Kenya added.")
    page.keyboard.type("Guinea")  # four countries: the arrows move between them
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    second = page.locator("#" + countries.get_attribute("aria-activedescendant"))
    expect(second).to_have_attribute("aria-selected", "true")
    guinea = second.inner_text()
    assert "Guinea" in guinea and guinea != page.locator(f"#{listbox_id} [role=option]").first.inner_text()
    page.keyboard.press("Enter")
    expect(chosen).to_have_count(2)
    selected = page.locator("#id_countries").evaluate("s => [...s.selectedOptions].map(o => o.text)")
    assert sorted(selected) == sorted(["Kenya", guinea])

    # Backspace removes the last one; the remove button (reachable by keyboard) any one.
    page.keyboard.press("Escape")
    page.keyboard.press("Backspace")
    expect(page.locator("#id_countries-ts-status")).to_have_text(f"{guinea} removed.")
    expect(chosen).to_have_text([re.compile("^Kenya")])
    remove = page.get_by_role("button", name="Remove Kenya")
    remove.focus()
    page.keyboard.press("Enter")
    expect(chosen).to_have_count(0)
    expect(page.locator("#id_countries-ts-status")).to_have_text("Kenya removed.")
    assert page.locator("#id_countries").evaluate("s => s.selectedOptions.length") == 0

    # Nothing matches: said in words.
    countries.focus()
    page.keyboard.type("Atlantis")
    expect(listbox).to_contain_text("Nothing matches “Atlantis”.")
    expect(page.locator("#id_countries-ts-status")).to_have_text("Nothing matches “Atlantis”.")
    assert_no_serious_violations(page)

    # Chosen terms are sent with the form.
    targets = page.get_by_role("combobox", name=re.compile("^GBF targets"))
    targets.focus()
    page.keyboard.type("Conserve 30")
    page.keyboard.press("Enter")
    page.get_by_role("textbox", name="Title").fill("Chosen by keyboard")
    page.get_by_role("textbox", name="What is needed").fill("Training.")
    page.get_by_label("Kind of support").select_option("training")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page_obj = Submission.objects.get().page.specific.get_latest_revision_as_object()
    assert [target.number for target in page_obj.gbf_targets.all()] == [3]


def test_the_type_ahead_mirrors_in_arabic(live_site, people, browser):
    page = signed_in(browser, live_site.url, people.submitter)
    page.goto(live_site.url + "/ar/workspace/new/need/")
    wrapper = page.locator("#id_countries ~ .ts-wrapper")
    expect(wrapper).to_have_class(re.compile(r"\brtl\b"))
    control = wrapper.locator(".ts-control")
    assert control.evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert_no_serious_violations(page)


def test_without_javascript_the_plain_selects_are_sent(live_site, people, browser):
    page = signed_in(browser, live_site.url, people.submitter, java_script_enabled=False)
    page.goto(live_site.url + NEW_NEED)
    expect(page.locator(".ts-wrapper")).to_have_count(0)

    page.get_by_label("Title").fill("Sent without JavaScript")
    page.get_by_label("What is needed").fill("Training.")
    page.get_by_label("Kind of support").select_option("training")
    page.get_by_label("Countries").select_option(label=["Kenya", "Senegal"])
    page.get_by_label("GBF targets").select_option(label="3. Conserve 30% of land, waters and seas")
    page.get_by_role("button", name="Save and submit for review").click()

    expect(page.get_by_text("Submitted.")).to_be_visible()
    record = Submission.objects.get().page.specific.get_latest_revision_as_object()
    assert sorted(country.code for country in record.countries.all()) == ["KE", "SN"]
    assert [target.number for target in record.gbf_targets.all()] == [3]


def test_a_failed_sign_in_focuses_the_error_summary(live_site, page):
    page.goto(f"{live_site.url}/en/accounts/login/")
    page.get_by_label("User name").fill("nobody")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.locator("[data-error-summary]")).to_contain_text("The user name or password is not right.")
    assert page.title().startswith("Error: ")
    assert_no_serious_violations(page)


@pytest.mark.usefixtures("records")
def test_the_records_listing_has_no_serious_axe_violations(live_site, browser):
    for width in (420, 1280):
        context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(f"{live_site.url}/en/records/")
        expect(page.locator(".record-card")).to_have_count(4)
        assert_no_serious_violations(page)
        context.close()
