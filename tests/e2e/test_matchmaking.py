"""Matchmaking in a real browser: an editor proposes a suggested offer for a need from the need's
page, the need's owner and the offer's provider each accept it in their workspace, and the need
shows as matched with the offer linked."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.axe import describe, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class Person:
    def __init__(self, browser, base_url, user, start):
        self.context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.base_url = base_url
        self.page.goto(f"{base_url}/en/accounts/login/?next={start}")
        self.page.get_by_label("User name").fill(user.username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(f"**{start}")

    def close(self):
        self.context.close()


@pytest.fixture
def world(live_site):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms.accounts import roles
    from tests.e2e.test_events import reset_sequences
    from tests.records.factories import NeedFactory, OfferFactory, country, records_index, target

    reset_sequences()
    User = get_user_model()

    def user(name, role, code=None):
        person = User.objects.create_user(username=name, password=PASSWORD, email=f"{name}@example.org")
        person.groups.add(Group.objects.get(name=role))
        if code:
            person.profile.country = country(code)
            person.profile.save()
        return person

    people = {
        "owner": user("need-owner", roles.SUBMITTER, "SN"),
        "provider": user("offer-provider", roles.SUBMITTER, "FR"),
        "editor": user("secretariat-editor", roles.EDITOR),
    }
    index = records_index("en")
    offer = OfferFactory(
        parent=index,
        title="Mangrove nursery training for rangers",
        summary="Hands-on courses in mangrove restoration.",
        offer_kind="training",
        gbf_targets=[target(8)],
        owner=people["provider"],
        live=False,
    )
    offer.save_revision().publish()
    need = NeedFactory(
        parent=index,
        title="Mangrove restoration along the coast",
        summary="Training on mangrove restoration in coastal wetlands.",
        support_kind="training",
        gbf_targets=[target(8)],
        countries=[country("SN")],
        owner=people["owner"],
        live=False,
    )
    need.save_revision().publish()  # committed: the search index and the suggestions follow at once
    return live_site, need, offer, people


def test_an_editor_proposes_and_both_sides_accept(browser, world):
    from content_types.records.models import NeedPage

    live, need, offer, people = world
    base = live.url
    need_path = need.url

    editor = Person(browser, base, people["editor"], need_path)
    suggestions = editor.page.get_by_test_id("match-suggestions")
    expect(suggestions).to_contain_text(offer.title)
    expect(suggestions).to_contain_text("Shares GBF target 8")
    violations = serious_violations(editor.page, "section.match-suggestions")
    assert violations == [], describe(violations)
    editor.page.goto(f"{base}/en/workspace/matches/board/")
    expect(editor.page.get_by_role("heading", name="Matchmaking board")).to_be_visible()
    violations = serious_violations(editor.page)
    assert violations == [], describe(violations)
    editor.page.goto(f"{base}{need_path}")
    item = suggestions.locator("li.match-item", has_text=offer.title)
    item.locator("button", has_text="Propose this match").click()
    editor.page.wait_for_url("**/workspace/matches/proposals/*/")
    expect(editor.page.get_by_test_id("proposal-state")).to_have_text("Proposed")
    proposal_path = editor.page.url.removeprefix(base)
    editor.close()

    for who in ("owner", "provider"):
        person = Person(browser, base, people[who], "/en/workspace/matches/")
        person.page.get_by_role("link", name=need.title).first.click()
        person.page.wait_for_url(f"**{proposal_path}")
        violations = serious_violations(person.page)
        assert violations == [], describe(violations)
        person.page.get_by_role("button", name="Accept the match").click()
        expect(person.page.get_by_text("Your answer was recorded.")).to_be_visible()
        person.close()

    visitor = browser.new_context(locale="en-GB")
    page = visitor.new_page()
    page.goto(f"{base}{need_path}")
    expect(page.locator(".badge.status-matched")).to_have_text("Matched")
    related = page.locator("#record-related + ul")
    expect(related.get_by_role("link", name=offer.title)).to_be_visible()
    visitor.close()
    assert NeedPage.objects.get(pk=need.pk).status == "matched"


def test_on_a_phone_in_arabic_the_matchmaking_pages_fit_and_pass_axe(browser, world):
    live, need, offer, people = world
    base = live.url
    phone = browser.new_context(locale="ar", viewport={"width": 420, "height": 800})
    phone.set_default_timeout(15_000)
    page = phone.new_page()
    page.goto(f"{base}/ar/accounts/login/?next=/ar/workspace/matches/board/")
    page.locator("input[name=username]").fill(people["editor"].username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/ar/workspace/matches/board/")
    for path in ("/ar/workspace/matches/board/", "/ar/workspace/matches/", need.url):
        page.goto(f"{base}{path}")
        if path.startswith("/ar/"):
            assert page.locator("html").get_attribute("dir") == "rtl", path
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)
        violations = serious_violations(page)
        assert violations == [], (path, describe(violations))
    expect(page.get_by_test_id("match-suggestions")).to_contain_text(offer.title)
    phone.close()
