"""A whole award cycle in a real browser: a Party nominates, the secretariat checks three nominations
(one rejected), three members score with one excluded by its country and one conflicted, scores stay
hidden until one's own are in, the ranking flags a tie and a disagreement, the chair decides, the
members sign off, the secretariat publishes and the results are public in English and Arabic."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

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

    def go(self, path):
        self.page.goto(f"{self.base_url}{path}")

    def close(self):
        self.context.close()


@pytest.fixture
def cycle_world(live_site, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms.accounts import roles
    from cms.home.models import SectionPage
    from tests.awards.factories import make_cycle
    from tests.e2e.test_events import reset_sequences
    from tests.workflows.awards.conftest import with_country

    reset_sequences()
    User = get_user_model()

    def user(name, role, code=None, language="en"):
        person = User.objects.create_user(username=name, password=PASSWORD, email=f"{name}@example.org")
        person.groups.add(Group.objects.get(name=role))
        return with_country(person, code, language) if code else person

    awards = SectionPage.objects.get(locale__language_code="en", section=SectionPage.Section.AWARDS)
    cycle = make_cycle(awards)
    people = {
        "focal-fr": user("focal-fr", roles.SUBMITTER, "FR", "fr"),
        "focal-br": user("focal-br", roles.SUBMITTER, "BR", "es"),
        "focal-jp": user("focal-jp", roles.SUBMITTER, "JP"),
        "chair": user("chair", roles.AWARD_COMMITTEE, "NO"),
        "member-br": user("member-br", roles.AWARD_COMMITTEE, "BR"),
        "member-cn": user("member-cn", roles.AWARD_COMMITTEE, "CN"),
        "secretariat": user("secretariat", roles.EDITOR),
    }
    return live_site, cycle, people


def test_a_whole_award_cycle(browser, cycle_world, django_capture_on_commit_callbacks):
    from wagtail.models import Locale

    from workflows.awards import services
    from workflows.awards.models import Committee, Nomination

    live, cycle, people = cycle_world
    base = live.url
    criteria = list(cycle.criteria.all())
    categories = list(cycle.categories.all())
    home = f"/en/workspace/awards/cycles/{cycle.pk}/"

    # France nominates in the browser; Brazil and Japan through the same service.
    focal = Person(browser, base, people["focal-fr"], home)
    focal.page.get_by_role("link", name="Nominate your national CHM").click()
    focal.page.get_by_label("Category").select_option(label=categories[0].name)
    focal.page.get_by_label("National CHM website").fill("https://chm.example.org/fr/")
    focal.page.get_by_label("When was the national CHM established?").fill("2006")
    focal.page.get_by_role("button", name="Submit the nomination").click()
    expect(focal.page.get_by_role("heading", level=1)).to_contain_text("France")
    for code in ("br", "jp"):
        services.save_nomination(
            people[f"focal-{code}"],
            cycle,
            category=categories[0],
            website=f"https://chm.example.org/{code}/",
            submit=True,
        )
    nominations = {n.country.code: n for n in Nomination.objects.select_related("country")}

    # The secretariat accepts two and rejects Japan's with a reason.
    secretariat = Person(browser, base, people["secretariat"], home)
    for code, outcome, reason in (("FR", "Accept", ""), ("BR", "Accept", ""), ("JP", "Reject", "Established in 2021.")):
        secretariat.go(f"/en/workspace/awards/nominations/{nominations[code].pk}/")
        secretariat.page.get_by_label(outcome, exact=True).check()
        secretariat.page.get_by_label("Comment or reason").fill(reason)
        secretariat.page.get_by_role("button", name="Record the check").click()
        expect(secretariat.page.locator(".state")).to_have_attribute(
            "data-state", "rejected" if outcome == "Reject" else "accepted"
        )
    services.form_committee(cycle, [people["chair"], people["member-br"], people["member-cn"]], people["chair"])

    # Brazil's member never sees Brazil's nomination; China's declares a conflict on France's.
    member_br = Person(browser, base, people["member-br"], home)
    expect(member_br.page.locator(".award-to-score")).to_contain_text("France")
    expect(member_br.page.locator(".award-to-score")).not_to_contain_text("Brazil")
    member_cn = Person(browser, base, people["member-cn"], home)
    member_cn.go(f"/en/workspace/awards/nominations/{nominations['FR'].pk}/")
    member_cn.page.get_by_label("What the conflict is").fill("I advised France's national CHM.")
    member_cn.page.get_by_role("button", name="Declare the conflict and step aside").click()
    expect(member_cn.page.locator(".award-to-score")).not_to_contain_text("France")

    def score(person, code, values):
        person.go(f"/en/workspace/awards/nominations/{nominations[code].pk}/")
        form = person.page.locator("form.award-score-form")
        for criterion, value in zip(criteria, values, strict=True):
            form.locator(f'select[name="score-{criterion.pk}"]').select_option(str(value))
        form.get_by_role("button", name="Submit my scores").click()

    # Hidden scores: Brazil's member does not see the chair's until it has submitted its own.
    chair = Person(browser, base, people["chair"], home)
    score(chair, "FR", [4, 3, 3])
    member_br.go(f"/en/workspace/awards/nominations/{nominations['FR'].pk}/")
    expect(member_br.page.locator('tr[data-member="chair"]')).to_have_count(0)
    score(member_br, "FR", [4, 3, 3])
    expect(member_br.page.locator('tr[data-member="chair"]')).to_have_count(3)
    score(chair, "BR", [5, 1, 3])
    score(member_cn, "BR", [3, 5, 3])

    # The ranking: France and Brazil tie at 11; Brazil's usability scores disagree.
    secretariat.go(f"/en/workspace/awards/cycles/{cycle.pk}/ranking/")
    expect(secretariat.page.locator(".flag-tie")).to_have_count(2)
    expect(secretariat.page.locator('tr[data-country="BR"] .flag-disagreement')).to_have_count(1)
    expect(secretariat.page.locator('tr[data-country="FR"] .flag-disagreement')).to_have_count(0)
    secretariat.page.get_by_role("button", name="Close the scoring").click()

    # The chair decides; the two members without a conflict sign off; the secretariat publishes.
    chair.go(f"/en/workspace/awards/cycles/{cycle.pk}/decision/")
    chair.page.locator(f'select[name="prize-{nominations["FR"].pk}"]').select_option("gold")
    chair.page.locator(f'select[name="prize-{nominations["BR"].pk}"]').select_option("silver")
    chair.page.locator(f'textarea[name="feedback-{nominations["FR"].pk}"]').fill("Outstanding content.")
    chair.page.locator('textarea[name="justification"]').fill("Content made the difference.")
    chair.page.get_by_role("button", name="Record the decision").click()
    for person in (chair, member_br):
        person.go(f"/en/workspace/awards/cycles/{cycle.pk}/ranking/")
        person.page.get_by_role("button", name="Sign the decision off").click()
    member_cn.go(f"/en/workspace/awards/cycles/{cycle.pk}/ranking/")
    # the two signatures were all that was needed: the conflicted member was not asked to sign
    expect(member_cn.page.locator(".state")).to_have_attribute("data-state", "signed")
    secretariat.go(f"/en/workspace/awards/cycles/{cycle.pk}/ranking/")
    with django_capture_on_commit_callbacks(execute=True):
        secretariat.page.get_by_role("button", name="Publish the results").click()
        expect(secretariat.page.locator(".state")).to_have_attribute("data-state", "published")
    assert Committee.objects.get().state == "published"

    # The public results, in English and in Arabic.
    with django_capture_on_commit_callbacks(execute=True):
        arabic = cycle.copy_for_translation(Locale.objects.get(language_code="ar"), alias=True)
    visitor = browser.new_context(locale="en-GB").new_page()
    for url in (f"{base}{cycle.url}results/", f"{base}{arabic.url}results/"):
        response = visitor.goto(url)
        assert response.status == 200
        expect(visitor.locator("main")).to_contain_text("France" if "/en/" in url else "")
    assert visitor.evaluate("document.documentElement.dir") == "rtl"
    for person in (focal, secretariat, member_br, member_cn, chair):
        person.close()
