"""Suggestions while writing, in a real browser: a person types a need, the panel lists GBF targets
and subjects with the words that support them highlighted, "Add" chooses the target in the form's
type-ahead (and the saved draft has it), "Ignore" hides a subject; keyboard focus and announcements
follow; the panel mirrors in Arabic; without JavaScript it is absent and the form works as before."""

import re

import pytest
from playwright.sync_api import expect

from content_types.vocabularies.models import GBFTarget
from suggest import store
from tests.e2e.axe import assert_no_serious_violations
from tests.e2e.test_forms_a11y import signed_in
from tests.workflows import conftest as review_fixtures
from workflows.review.models import Submission

people = review_fixtures.people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_NEED = "/en/workspace/new/need/"


@pytest.fixture(autouse=True)
def fresh_model():
    store.refresh()  # vocabulary ids come back with the database; no model of another test is kept
    yield
    store.refresh()


def test_suggestions_appear_while_typing_and_add_selects_the_target(live_site, people, browser):
    invasive = GBFTarget.objects.get(number=6)
    page = signed_in(browser, live_site.url, people.submitter)
    page.goto(live_site.url + NEW_NEED)

    panel = page.get_by_role("region", name="Suggestions for your text")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("status")).to_have_text("No suggestion yet: describe the record in a few sentences.")

    page.get_by_role("textbox", name="Title").press_sequentially("Eradicating invasive rats", delay=20)
    page.get_by_role("textbox", name="Summary").fill(
        "Our islands need training to remove invasive alien species that threaten nesting seabirds."
    )

    item = panel.locator("li[data-code='GBF-T6']")
    expect(item).to_be_visible()
    expect(item.locator("mark", has_text="invasive").first).to_be_visible()
    expect(item).to_contain_text("6. Reduce the introduction of invasive alien species")
    expect(panel.get_by_role("status")).to_have_text(re.compile(r"suggestions? for your text"))
    assert_no_serious_violations(page)

    item.get_by_role("button", name=re.compile(r"^Add 6\. Reduce")).click()

    expect(item).to_have_count(0)
    expect(panel.get_by_role("status")).to_have_text(re.compile(r"^6\. Reduce .* added to the form\.$"))
    chosen = page.locator("#id_gbf_targets option:checked")
    expect(chosen).to_have_count(1)
    assert chosen.get_attribute("value") == str(invasive.pk)
    expect(page.locator("#id_gbf_targets ~ .ts-wrapper .item")).to_contain_text("6. Reduce")
    # The keyboard stays in the list: on the next suggestion's "Add".
    assert page.evaluate("() => document.activeElement.classList.contains('suggestion-add')")

    subject = panel.locator("li[data-code='SUBJ-IAS']")
    expect(subject).to_be_visible()
    subject.get_by_role("button", name="Ignore Invasive alien species").press("Enter")
    expect(subject).to_have_count(0)
    expect(panel.get_by_role("status")).to_have_text("Invasive alien species ignored.")

    # Typing on does not bring back what was added or ignored.
    page.get_by_role("textbox", name="Summary").press_sequentially(" Rats eat eggs.", delay=10)
    page.wait_for_timeout(1200)
    expect(panel.locator("li[data-code='GBF-T6']")).to_have_count(0)
    expect(panel.locator("li[data-code='SUBJ-IAS']")).to_have_count(0)

    page.get_by_label("What is needed").fill("Training in eradication.")
    page.get_by_label("Kind of support").select_option("training")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    record = Submission.objects.get().page.specific.get_latest_revision_as_object()
    assert [target.number for target in record.gbf_targets.all()] == [6]
    assert "SUBJ-IAS" not in [subject.code for subject in record.subjects.all()]


def test_the_panel_mirrors_in_arabic_and_reads_arabic_text(live_site, people, browser):
    page = signed_in(browser, live_site.url, people.submitter)
    page.goto(live_site.url + "/ar/workspace/new/need/")
    page.locator("#id_title").fill("القضاء على الأنواع الغريبة الغازية في الجزر الصغيرة")

    panel = page.locator("section[data-suggest]")
    item = panel.locator("li[data-code='GBF-T6']")
    expect(item).to_be_visible()
    expect(item.locator("mark", has_text="الغازية").first).to_be_visible()
    assert panel.evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert_no_serious_violations(page)


def test_without_javascript_there_is_no_panel_and_the_form_still_works(live_site, people, browser):
    page = signed_in(browser, live_site.url, people.submitter, java_script_enabled=False)
    page.goto(live_site.url + NEW_NEED)

    expect(page.locator("section[data-suggest]")).to_be_hidden()
    page.get_by_label("Title").fill("Invasive alien species on islands")
    page.get_by_label("What is needed").fill("Training.")
    page.get_by_label("Kind of support").select_option("training")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()


def test_the_admin_editor_suggests_and_add_chooses_in_the_classification_tab(live_site, people, browser):
    from tests.conftest import PASSWORD
    from tests.records.factories import NeedFactory

    need = NeedFactory(title="Kenya needs support", summary="Support for the coast.")
    invasive = GBFTarget.objects.get(number=6)
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(f"{live_site.url}/admin/login/")
        page.get_by_label("Username").fill(people.editor.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{live_site.url}/admin/pages/{need.pk}/edit/")

        page.locator("#id_summary").fill("Training to eradicate invasive alien species from the coastal islands.")
        panel = page.locator("section[data-suggest]")
        item = panel.locator("li[data-code='GBF-T6']")
        expect(item).to_be_visible()
        expect(item.locator("mark", has_text="invasive").first).to_be_visible()
        item.get_by_role("button", name=re.compile(r"^Add 6\. Reduce")).click()

        expect(item).to_have_count(0)
        value = f"[value='{invasive.pk}']:checked"
        chosen = page.locator(f"#id_gbf_targets option{value}, #id_gbf_targets input{value}")
        expect(chosen).to_have_count(1)
    finally:
        context.close()
