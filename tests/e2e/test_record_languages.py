"""A French focal point writes a need in English; after its review it is a record in every language.

As ``submitter-fr`` (acting for France, preferring French) in the French interface, the need is
written in English (chosen in the form), submitted, screened, reviewed by two reviewers and
published by the editor through the real pages. Then its address answers under the six language
prefixes, it is listed in English and Arabic, found by the search in English and French, and every
link of its language switcher answers.

The form is filled by the labels the French interface shows (read from the form itself, so that the
test follows the catalogues), through small helpers that a change of widget only has to touch once.
"""

import re

import pytest
from django.utils import translation
from django.utils.text import slugify
from playwright.sync_api import expect

from cms.accounts import roles
from content_types.records.models import NeedPage
from content_types.vocabularies.models import Country
from tests.conftest import PASSWORD
from tests.workflows import conftest as review_fixtures
from workflows.permissions import State
from workflows.review.record_forms import record_form_class

people = review_fixtures.people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LANGUAGES = ["ar", "en", "es", "fr", "ru", "zh-hans"]
TITLE = "Citizen divers mapping seagrass meadows"
SLUG = slugify(TITLE)


def in_french(text: str) -> str:
    with translation.override("fr"):
        return translation.gettext(text)


def need_form_labels() -> dict[str, str]:
    """The labels of the Need form as the French interface shows them."""
    with translation.override("fr"):
        form = record_form_class(NeedPage)()
        return {name: str(field.label) for name, field in form.fields.items()}


def by_label(page, label: str):
    """The control of a label, whatever marks (required, counters) follow the label's text."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}"))


def choose_language(page, label: str, language_name: str) -> None:
    by_label(page, label).select_option(label=language_name)


def fill(page, label: str, text: str) -> None:
    by_label(page, label).fill(text)


def choose_target(page, label: str, words: str) -> None:
    """Pick a GBF target in the type-ahead: type some of its words, take the first match."""
    combobox = page.get_by_role("combobox", name=re.compile(rf"^\s*{re.escape(label)}"))
    combobox.fill(words)
    combobox.press("Enter")


class Person:
    """One person's own browser context, signed in."""

    def __init__(self, browser, base_url, user):
        self.context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.base_url = base_url
        self.page.goto(f"{base_url}/en/accounts/login/?next=/en/workspace/")
        self.page.get_by_label("User name").fill(user.username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        expect(self.page.get_by_role("heading", name="My submissions")).to_be_visible()

    def do_task(self, name: str) -> None:
        """Open the task ``name`` from the inbox."""
        self.page.goto(f"{self.base_url}/en/workspace/tasks/")
        self.page.get_by_role("link", name=name).first.click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(TITLE)

    def send(self) -> None:
        self.page.get_by_role("button", name="Send").click()
        expect(self.page.locator(".message-success, .message").first).to_be_visible()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def submitter_fr(make_user, people):
    user = make_user("submitter-fr", roles.SUBMITTER, first_name="Julien", last_name="Bernard")
    profile = user.profile
    profile.country = Country.objects.get(code="FR")
    profile.preferred_language = "fr"
    profile.save()
    return user


def write_the_need_in_english(page, base_url) -> None:
    labels = need_form_labels()
    page.goto(f"{base_url}/fr/workspace/new/need/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(by_label(page, labels["language"])).to_have_value("fr")  # the interface's language, proposed
    choose_language(page, labels["language"], "English")
    fill(page, labels["title"], TITLE)
    fill(page, labels["summary"], "Volunteer divers map seagrass meadows to guide anchoring rules.")
    fill(page, labels["needed"], "Training for forty divers and a shared data protocol.")
    by_label(page, labels["support_kind"]).select_option("training")
    choose_target(page, labels["gbf_targets"], "30")
    page.get_by_role("button", name=in_french("Save and submit for review")).click()
    expect(page.locator(".state")).to_have_text(in_french(State.SCREENING.label))


def test_a_need_written_in_english_by_a_french_submitter_is_a_record_in_every_language(
    live_site, browser, people, submitter_fr
):
    base_url = live_site.url

    submitter = Person(browser, base_url, submitter_fr)
    write_the_need_in_english(submitter.page, base_url)
    submitter.close()

    editor = Person(browser, base_url, people.editor)
    editor.do_task("Screen the submission")
    editor.page.get_by_label("Send to review").check()
    editor.send()
    editor.do_task("Name reviewers")
    editor.page.get_by_label(re.compile("Ada Quist")).check()
    editor.page.get_by_label(re.compile("Bruno Lefèvre")).check()
    editor.send()
    for user in (people.reviewer_a, people.reviewer_b):
        reviewer = Person(browser, base_url, user)
        reviewer.do_task("Review the record")
        reviewer.page.get_by_label("Accept").check()
        reviewer.page.get_by_label("Comments to the submitter").fill("Clear and useful.")
        reviewer.send()
        reviewer.close()
    editor.do_task("Decide on the submission")
    editor.page.get_by_label("Publish").check()
    editor.send()
    editor.close()

    original = NeedPage.objects.get(slug=SLUG, alias_of__isnull=True)
    assert original.locale.language_code == "en" and original.live  # filed under the English Records

    visitor = browser.new_context(locale="fr-FR").new_page()
    # Its address answers under every language prefix.
    for language in LANGUAGES:
        assert visitor.request.get(f"{base_url}/{language}/records/{SLUG}/").status == 200, language
    # It is listed in English and in Arabic.
    for language in ("en", "ar"):
        visitor.goto(f"{base_url}/{language}/records/")
        expect(visitor.get_by_role("link", name=TITLE)).to_have_attribute("href", f"/{language}/records/{SLUG}/")
    # The search finds it in English and in French, at that language's address.
    for language in ("en", "fr"):
        visitor.goto(f"{base_url}/{language}/search/?q=seagrass+divers")
        expect(visitor.get_by_role("link", name=TITLE).first).to_have_attribute("href", f"/{language}/records/{SLUG}/")
    # Every link of its language switcher answers.
    visitor.goto(f"{base_url}/fr/records/{SLUG}/")
    links = visitor.locator("nav.language-switcher a")
    expect(links).to_have_count(len(LANGUAGES))
    hrefs = links.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert sorted(hrefs) == sorted(f"/{language}/records/{SLUG}/" for language in LANGUAGES)
    for href in hrefs:
        assert visitor.request.get(f"{base_url}{href}").status == 200, href
    visitor.context.close()
