"""A whole award cycle in a real browser.

The secretariat sets the cycle up in the Wagtail admin (phases, a category, three criteria, one of them
independent) and names the committee in the workspace; focal points of France, Brazil and Japan
nominate through the workspace; the secretariat accepts two and rejects Japan's as ineligible; three
members score through their inbox tasks, one excluded from Brazil's nomination by its country, one
declaring a conflict on France's; scores stay hidden until one's own are in; the ranking flags a tie
and a disagreement; the chair decides, the members without a conflict sign off, the secretariat
publishes, and the results are public in English and in Arabic."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Award for national CHMs 2031"
SLUG = "award-for-national-chms-2031"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


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
def people(live_site):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms.accounts import roles
    from tests.e2e.test_events import reset_sequences
    from tests.workflows.awards.conftest import with_country

    reset_sequences()
    User = get_user_model()

    def user(name, role, code=None, language="en", **names):
        person = User.objects.create_user(username=name, password=PASSWORD, email=f"{name}@example.org", **names)
        person.groups.add(Group.objects.get(name=role))
        return with_country(person, code, language) if code else person

    return live_site, {
        "focal-fr": user("focal-fr", roles.SUBMITTER, "FR", "fr"),
        "focal-br": user("focal-br", roles.SUBMITTER, "BR", "es"),
        "focal-jp": user("focal-jp", roles.SUBMITTER, "JP"),
        "chair": user("chair", roles.AWARD_COMMITTEE, "NO", first_name="Ingrid", last_name="Chair"),
        "member-br": user("member-br", roles.AWARD_COMMITTEE, "BR", first_name="Bruno", last_name="Member"),
        "member-cn": user("member-cn", roles.AWARD_COMMITTEE, "CN", first_name="Chen", last_name="Member"),
        "secretariat": user("secretariat", roles.EDITOR),
    }


def set_up_in_the_admin(browser, base, secretariat, awards):
    """The secretariat creates and publishes the cycle, its category and its criteria in Wagtail."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    admin = context.new_page()
    admin.goto(f"{base}/admin/login/")
    admin.get_by_label("Username").fill(secretariat.username)
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Sign in").click()
    admin.wait_for_url("**/admin/")
    admin.goto(f"{base}/admin/pages/add/awards/awardcyclepage/{awards.pk}/")
    today = datetime.date.today()
    admin.locator('[name="title"]').fill(TITLE)
    admin.locator('[name="slug"]').evaluate("(input, slug) => { input.value = slug; }", SLUG)
    admin.locator('[name="meeting"]').fill("COP-17")
    for name, days in (("call_opens", -30), ("nomination_deadline", 10), ("evaluation_deadline", 40)):
        admin.locator(f'[name="{name}"]').fill((today + datetime.timedelta(days=days)).isoformat())
    admin.locator('[name="announcement"]').fill((today + datetime.timedelta(days=60)).isoformat())
    admin.keyboard.press("Escape")
    # A click outside the date fields closes their picker; made on the title, so that the picker does
    # not take the first click meant for "Add criterion".
    admin.locator('[name="title"]').click()
    admin.locator('[name="categories-0-name"]').fill("Existing national CHMs")
    criteria = [("Content", "2", False), ("Usability", "1", False), ("Virtual visit", "1", True)]
    for number, (name, weight, independent) in enumerate(criteria):
        if admin.locator(f'[name="criteria-{number}-name"]').count() == 0:
            admin.locator("#id_criteria-ADD").click()
        admin.locator(f'[name="criteria-{number}-name"]').fill(name)
        admin.locator(f'[name="criteria-{number}-weight"]').fill(weight)
        if independent:
            admin.locator(f'[name="criteria-{number}-independent"]').check()
    more = admin.locator("footer").get_by_role("button", name="More actions")
    if more.count():
        more.first.click()
    admin.locator('button[name="action-publish"]').click(no_wait_after=True)
    from content_types.awards.models import AwardCyclePage

    for _attempt in range(120):  # the admin answers with a redirect once the page is live
        if AwardCyclePage.objects.filter(title=TITLE, live=True).exists():
            break
        admin.wait_for_timeout(500)
    else:
        admin.wait_for_load_state()
        errors = admin.eval_on_selector_all(
            "[aria-invalid=true], .w-field--error, .help-critical, .messages",
            "nodes => nodes.map(node => (node.name || node.id || node.className) + ': ' + node.textContent.trim())",
        )
        raise AssertionError(f"The cycle was not published from the admin: {errors}")
    # The page is live before the request ends: wagtail-localize then gives it an alias in every
    # locale kept in step with English. The admin's redirect to the section says all of it is done.
    admin.wait_for_url(f"**/admin/pages/{awards.pk}/")
    context.close()


def test_a_whole_award_cycle(browser, people, django_capture_on_commit_callbacks, settings):
    from wagtail.models import Locale

    from cms.home.models import SectionPage
    from content_types.awards.models import AwardCyclePage
    from workflows.awards.models import Committee, Nomination

    live, users = people
    base = live.url
    awards = SectionPage.objects.get(locale__language_code="en", section=SectionPage.Section.AWARDS)

    # 1. Set-up: the cycle in the admin, live at once. Wagtail's autosave would create a draft of
    # the half-filled page behind the form's back, so that the publication would find its slug taken;
    # it is Wagtail's own feature, switched off here so that the page is created in one step.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    set_up_in_the_admin(browser, base, users["secretariat"], awards)
    cycle = AwardCyclePage.objects.get(title=TITLE, locale__language_code="en")
    assert cycle.live
    assert [(c.name, float(c.weight), c.independent) for c in cycle.criteria.all()] == [
        ("Content", 2.0, False),
        ("Usability", 1.0, False),
        ("Virtual visit", 1.0, True),
    ]
    criteria = list(cycle.criteria.all())
    workspace_cycle = f"/en/workspace/awards/cycles/{cycle.pk}/"

    # 2. Three Parties nominate through the workspace, France with an attachment.
    focal = {}
    for code in ("fr", "br", "jp"):
        person = focal[code] = Person(browser, base, users[f"focal-{code}"], "/en/workspace/awards/")
        expect(person.page.get_by_role("heading", name="My nominations")).to_be_visible()
        person.page.get_by_role("link", name=f"Nominate your national CHM — {TITLE}").click()
        person.page.get_by_label("Category").select_option(label="Existing national CHMs")
        person.page.get_by_label("National CHM website").fill(f"https://chm.example.org/{code}/")
        if code == "fr":
            person.page.get_by_label("Add attachments").set_input_files(
                files=[{"name": "progress-report.pdf", "mimeType": "application/pdf", "buffer": PDF}]
            )
        person.page.get_by_role("button", name="Submit the nomination").click()
        expect(person.page.locator(".state")).to_have_attribute("data-state", "submitted")
    nominations = {n.country.code: n for n in Nomination.objects.select_related("country")}
    assert set(nominations) == {"FR", "BR", "JP"}
    expect(focal["fr"].page.get_by_role("link", name="progress-report.pdf")).to_be_visible()

    # 3. The secretariat checks them from its awards page: Japan's is rejected as ineligible.
    secretariat = Person(browser, base, users["secretariat"], "/en/workspace/awards/")
    secretariat.page.get_by_role("link", name=TITLE).first.click()
    for code, outcome, reason in (("FR", "Accept", ""), ("BR", "Accept", ""), ("JP", "Reject", "Established in 2021.")):
        secretariat.go(workspace_cycle)
        secretariat.page.locator("table.award-check").get_by_role("link", name=nominations[code].country.name).click()
        secretariat.page.get_by_label(outcome, exact=True).check()
        secretariat.page.get_by_label("Comment or reason").fill(reason)
        secretariat.page.get_by_role("button", name="Record the check").click()
        expect(secretariat.page.locator(".state").first).to_have_attribute(
            "data-state", "rejected" if outcome == "Reject" else "accepted"
        )
    focal["jp"].go(f"/en/workspace/awards/nominations/{nominations['JP'].pk}/")
    expect(focal["jp"].page.locator(".notice")).to_contain_text("Established in 2021.")

    # 4. The secretariat names the committee in the workspace; a region is reported missing.
    secretariat.go(workspace_cycle)
    secretariat.page.get_by_role("link", name="Name the committee").click()
    for name in ("Ingrid Chair (Norway)", "Bruno Member (Brazil)", "Chen Member (China)"):
        secretariat.page.get_by_label(name).check()
    secretariat.page.locator('select[name="chair"]').select_option(label="Ingrid Chair (Norway)")
    secretariat.page.get_by_role("button", name="Name the committee").click()
    expect(secretariat.page.locator(".warning")).to_contain_text("Africa")

    # 5. Brazil's member never gets Brazil's nomination; China's steps aside from France's.
    member_br = Person(browser, base, users["member-br"], "/en/workspace/awards/")
    expect(member_br.page.get_by_role("heading", name="To score")).to_be_visible()
    member_br.page.locator(".award-member").get_by_role("link", name=TITLE).click()
    expect(member_br.page.locator(".award-to-score")).to_contain_text("France")
    expect(member_br.page.locator(".award-to-score")).not_to_contain_text("Brazil")
    member_cn = Person(browser, base, users["member-cn"], workspace_cycle)
    member_cn.go(f"/en/workspace/awards/nominations/{nominations['FR'].pk}/")
    expect(member_cn.page.get_by_role("link", name="progress-report.pdf")).to_be_visible()
    member_cn.page.get_by_label("What the conflict is").fill("I advised France's national CHM.")
    member_cn.page.get_by_role("button", name="Declare the conflict and step aside").click()
    expect(member_cn.page.locator(".award-to-score")).not_to_contain_text("France")

    def score(person, code, values):
        """The member opens its task from the inbox, scores each criterion and submits."""
        person.go("/en/workspace/tasks/")
        row = person.page.locator("table.tasks tr", has_text=nominations[code].country.name)
        row.get_by_role("link", name="Score the nomination").click()
        form = person.page.locator("form.award-score-form")
        for criterion, value in zip(criteria, values, strict=True):
            form.locator(f'select[name="score-{criterion.pk}"]').select_option(str(value))
        form.get_by_role("button", name="Submit my scores").click()
        expect(person.page.locator(".notice").first).to_contain_text("Your scores are submitted")

    # 6. Hidden scores: Brazil's member sees the chair's only once it has submitted its own.
    chair = Person(browser, base, users["chair"], "/en/workspace/tasks/")
    expect(chair.page.get_by_role("link", name="Score the nomination")).to_have_count(2)
    score(chair, "FR", [4, 3, 3])
    member_br.go(f"/en/workspace/awards/nominations/{nominations['FR'].pk}/")
    expect(member_br.page.locator('tr[data-member="chair"]')).to_have_count(0)
    score(member_br, "FR", [4, 3, 3])
    expect(member_br.page.locator('tr[data-member="chair"]')).to_have_count(3)
    score(chair, "BR", [5, 1, 3])
    score(member_cn, "BR", [3, 5, 3])

    # 7. The ranking: France and Brazil tie at 11; Brazil's usability scores disagree (1 and 5).
    secretariat.go("/en/workspace/tasks/")
    secretariat.page.get_by_role("link", name="Close the scoring").click()
    expect(secretariat.page.locator(".flag-tie")).to_have_count(2)
    expect(secretariat.page.locator('tr[data-country="BR"] .flag-disagreement')).to_have_count(1)
    expect(secretariat.page.locator('tr[data-country="FR"] .flag-disagreement')).to_have_count(0)
    secretariat.page.get_by_role("button", name="Close the scoring").click()
    expect(secretariat.page.locator(".state").first).to_have_attribute("data-state", "decision")

    # 8. The chair decides from its task; the two members without a conflict sign off.
    chair.go("/en/workspace/tasks/")
    chair.page.get_by_role("link", name="Record the committee's decision").click()
    chair.page.locator(f'select[name="prize-{nominations["FR"].pk}"]').select_option("gold")
    chair.page.locator(f'select[name="prize-{nominations["BR"].pk}"]').select_option("silver")
    chair.page.locator(f'textarea[name="feedback-{nominations["FR"].pk}"]').fill("Outstanding content.")
    chair.page.locator('textarea[name="justification"]').fill("Content made the difference.")
    chair.page.get_by_role("button", name="Record the decision").click()
    for person in (chair, member_br):
        person.go("/en/workspace/tasks/")
        person.page.get_by_role("link", name="Sign the decision off").click()
        person.page.get_by_role("button", name="Sign the decision off").click()
    member_cn.go("/en/workspace/tasks/")
    expect(member_cn.page.get_by_role("link", name="Sign the decision off")).to_have_count(0)
    member_cn.go(f"/en/workspace/awards/cycles/{cycle.pk}/ranking/")
    expect(member_cn.page.locator(".state")).to_have_attribute("data-state", "signed")

    # 9. The secretariat publishes from its task; nothing was public before.
    visitor = browser.new_context(locale="en-GB").new_page()
    assert visitor.goto(f"{base}{cycle.url}results/").status == 404
    secretariat.go("/en/workspace/tasks/")
    secretariat.page.get_by_role("link", name="Publish the results").click()
    with django_capture_on_commit_callbacks(execute=True):
        secretariat.page.get_by_role("button", name="Publish the results").click()
        expect(secretariat.page.locator(".state")).to_have_attribute("data-state", "published")
    assert Committee.objects.get().state == "published"

    # 10. The public results in English, then in Arabic: right to left, the portal's words in Arabic,
    # the untranslated content marked as English.
    # the admin keeps the page tree in every language: the Arabic page is an alias of the English one
    versions = AwardCyclePage.objects.filter(translation_key=cycle.translation_key)
    assert sorted(versions.values_list("locale__language_code", flat=True)) == sorted(
        Locale.objects.values_list("language_code", flat=True)
    )
    arabic = versions.get(locale__language_code="ar")
    assert arabic.alias_of_id == cycle.pk and arabic.live
    response = visitor.goto(f"{base}{cycle.url}results/")
    assert response.status == 200
    expect(visitor.locator("main")).to_contain_text("France")
    expect(visitor.locator("main")).to_contain_text("Gold")
    expect(visitor.locator("main")).not_to_contain_text("Japan")
    assert visitor.evaluate("document.documentElement.dir") == "ltr"
    response = visitor.goto(f"{base}{arabic.url}results/")
    assert response.status == 200
    assert visitor.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    expect(visitor.locator("main")).to_contain_text("الفائزون")  # "Winners"
    title = visitor.locator("main h1 span")
    expect(title).to_have_text(TITLE)
    expect(title).to_have_attribute("lang", "en")
    expect(title).to_have_attribute("dir", "ltr")
    expect(visitor.locator("main h3[lang='en']").first).to_have_text("Existing national CHMs")
    visitor.context.close()
    for person in (*focal.values(), secretariat, member_br, member_cn, chair):
        person.close()
