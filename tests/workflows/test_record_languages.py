"""The language of a record: asked by the form, it decides the Records section the draft is filed
under; on publication the record gets an alias in every other locale, which follows it when it is
unpublished, republished, revised or withdrawn, and never replaces a real translation."""

import datetime
import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page

from content_types.base.translations import ensure_aliases
from content_types.records.models import NeedPage, RecordIndexPage
from search.models import SearchEntry
from search.service import SearchQuery, SearchService
from workflows.permissions import State
from workflows.review import services
from workflows.review.models import AuditEntry, Submission

from .helpers import assign, decide, drive, need_data, new_need, review, screen

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "en", "es", "fr", "ru", "zh-hans"]
TITLE = "Training in marine spatial planning"


def url_in(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def group(page):
    """Every page of the record's translation group, with its locale."""
    return Page.objects.filter(translation_key=page.translation_key).select_related("locale", "alias_of")


def aliases_of(page):
    return NeedPage.objects.filter(alias_of=page).select_related("locale")


def records_index(language: str) -> RecordIndexPage:
    return RecordIndexPage.objects.get(locale__language_code=language)


def selected_language(body: str) -> str:
    select = re.search(r'<select name="language".*?</select>', body, re.S).group(0)
    return re.search(r'<option value="([^"]+)"[^>]*selected', select).group(1)


@pytest.fixture
def published(people, draft, django_capture_on_commit_callbacks):
    """The draft Need, written in English, taken through review to publication (and indexed)."""
    with django_capture_on_commit_callbacks(execute=True):
        submission = drive(draft, State.PUBLISHED, people)
    return NeedPage.objects.get(pk=submission.page_id)


def go_live_with_a_working_copy(submission, people, client_for, **changes):
    """The submitter revises the published record; after a short review the revision goes live."""
    working = services.start_revision_of_live(submission.pk, people.submitter)
    client_for(people.submitter).post(reverse("workspace:edit", args=[working.pk]), need_data(**changes))
    services.submit(working.pk, people.submitter)
    screen(working, people.editor)
    assign(working, people.editor, [people.reviewer_a])
    review(working, people.reviewer_a, recommendation="accept")
    decide(working, people.editor, "publish")
    return working


# --- the form -----------------------------------------------------------------------------------


def test_the_form_proposes_the_interface_language_not_the_profiles(people, client_for):
    profile = people.submitter.profile
    profile.preferred_language = "es"
    profile.save()
    client = client_for(people.submitter)

    french = client.get(url_in("fr", "workspace:create", "need")).content.decode()
    arabic = client.get(url_in("ar", "workspace:create", "need")).content.decode()

    assert selected_language(french) == "fr" and selected_language(arabic) == "ar"
    # Each language is named in itself and marked as such.
    assert re.search(r'<option value="ar" lang="ar" dir="rtl"', french)
    assert re.search(r'<option value="zh-hans" lang="zh-hans" dir="ltr"', french)


def test_the_chosen_language_decides_the_records_section(people, client_for):
    client = client_for(people.submitter)

    response = client.post(url_in("fr", "workspace:create", "need"), need_data(language="en"))

    submission = Submission.objects.get(submitter=people.submitter)
    assert response.status_code == 302
    page = submission.page.specific
    assert page.locale.language_code == "en" and page.get_parent().pk == records_index("en").pk
    assert not page.live and not aliases_of(page).exists()  # a draft has no aliases


def test_without_a_language_the_interface_language_is_taken(people, client_for):
    data = need_data()
    data.pop("language", None)

    client_for(people.submitter).post(url_in("ru", "workspace:create", "need"), data)

    page = Submission.objects.get(submitter=people.submitter).page
    assert page.locale.language_code == "ru" and page.get_parent().pk == records_index("ru").pk


def test_an_unknown_language_is_a_clear_error_that_changes_nothing(people, client_for):
    pages_before = Page.objects.count()

    response = client_for(people.submitter).post(
        url_in("fr", "workspace:create", "need"), need_data(language="tlh", summary="Gardez ce résumé.")
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_language"' in body  # named in the error summary, linked to the field
    with translation.override("fr"):
        message = translation.gettext("Select a valid choice. %(value)s is not one of the available choices.")
    assert message % {"value": "tlh"} in body  # in the interface's language
    assert "Gardez ce résumé." in body
    assert Page.objects.count() == pages_before and not Submission.objects.exists()


def test_a_language_without_records_section_is_refused(people, client_for):
    records_index("ru").delete()

    response = client_for(people.submitter).post(url_in("en", "workspace:create", "need"), need_data(language="ru"))

    assert response.status_code == 400
    assert "no Records section in this language" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_draft_changes_language_by_moving_to_that_sections(people, client_for, draft):
    in_the_way = new_need(people.other_submitter, language="fr")  # same title, already in French
    client = client_for(people.submitter)

    response = client.post(reverse("workspace:edit", args=[draft.pk]), need_data(language="fr"))

    assert response.status_code == 302
    page = NeedPage.objects.get(pk=draft.page_id)
    assert page.locale.language_code == "fr" and page.get_parent().pk == records_index("fr").pk
    assert page.slug != in_the_way.page.slug and page.url_path.startswith(records_index("fr").url_path)
    assert page.get_latest_revision_as_object().locale.language_code == "fr"
    entry = draft.audit_entries.filter(action=AuditEntry.Action.EDITED).last()
    assert entry.comment == "Language of the record: Français"
    form = client.get(reverse("workspace:edit", args=[draft.pk])).content.decode()
    assert selected_language(form) == "fr"


def test_once_submitted_the_language_is_read_only(people, client_for, draft):
    drive(draft, State.REVISION, people)  # submitted, reviewed, back for revisions
    client = client_for(people.submitter)
    url = reverse("workspace:edit", args=[draft.pk])

    form = client.get(url).content.decode()
    assert re.search(r'<select name="language"[^>]*disabled', form)

    response = client.post(url, need_data(language="fr", summary="Revised summary."))

    assert response.status_code == 302
    page = NeedPage.objects.get(pk=draft.page_id)
    assert page.locale.language_code == "en"  # the posted language is ignored
    assert page.get_latest_revision_as_object().summary == "Revised summary."  # the rest is saved
    with pytest.raises(services.TransitionError):
        services.save_changes(draft.pk, page.get_latest_revision_as_object(), people.submitter, records_index("fr"))
    assert NeedPage.objects.get(pk=draft.page_id).locale.language_code == "en"


def test_a_withdrawn_draft_that_was_never_published_may_change_language(people, draft):
    submission = drive(draft, State.SCREENING, people)
    services.withdraw(submission.pk, people.submitter)
    assert services.language_can_change(Submission.objects.get(pk=draft.pk))
    published = drive(new_need(people.submitter, title="Another need"), State.PUBLISHED, people)
    working = services.start_revision_of_live(published.pk, people.submitter)
    assert not services.language_can_change(working)


# --- publication --------------------------------------------------------------------------------


def test_publication_gives_the_record_an_alias_in_every_locale(published):
    pages = list(group(published))

    assert sorted(page.locale.language_code for page in pages) == LANGUAGES
    for page in pages:
        assert page.live
        assert page.get_parent().pk == records_index(page.locale.language_code).pk
        if page.pk != published.pk:
            assert page.alias_of_id == published.pk and page.title == TITLE
    client = Client()
    for language in LANGUAGES:
        assert client.get(f"/{language}/records/{published.slug}/").status_code == 200


def test_a_record_written_in_french_is_aliased_into_english(people, django_capture_on_commit_callbacks):
    submission = new_need(people.submitter, language="fr", title="Formation à la planification de l'espace marin")
    with django_capture_on_commit_callbacks(execute=True):
        drive(submission, State.PUBLISHED, people)

    page = NeedPage.objects.get(pk=submission.page_id)
    assert page.locale.language_code == "fr"
    english = aliases_of(page).get(locale__language_code="en")
    assert english.live and english.get_parent().pk == records_index("en").pk
    assert Client().get(english.url).status_code == 200


@pytest.mark.parametrize("state", [State.SCREENING, State.IN_REVIEW, State.DECISION, State.REVISION, State.REJECTED])
def test_records_not_published_have_no_aliases(people, draft, state):
    drive(draft, state, people)
    assert group(draft.page).count() == 1


def test_aliases_are_made_once(published, people, client_for):
    assert ensure_aliases(published) == []
    submission = Submission.objects.get(page=published)
    go_live_with_a_working_copy(submission, people, client_for, title="Training in MSP (2027 update)")
    assert group(published).count() == len(LANGUAGES)


def test_a_working_copy_going_live_updates_every_alias(published, people, client_for):
    submission = Submission.objects.get(page=published)

    go_live_with_a_working_copy(submission, people, client_for, title="Training in MSP (2027 update)")

    assert {alias.title for alias in aliases_of(published)} == {"Training in MSP (2027 update)"}
    assert all(alias.live for alias in aliases_of(published))
    body = Client().get(f"/zh-hans/records/{published.slug}/").content.decode()
    assert "Training in MSP (2027 update)" in body


def test_withdrawing_a_working_copy_leaves_the_published_record_and_its_aliases(published, people, client_for):
    submission = Submission.objects.get(page=published)
    working = services.start_revision_of_live(submission.pk, people.submitter)
    client_for(people.submitter).post(reverse("workspace:edit", args=[working.pk]), need_data(title="Not yet"))
    services.submit(working.pk, people.submitter)
    screen(working, people.editor)

    services.withdraw(working.pk, people.submitter)

    assert NeedPage.objects.get(pk=published.pk).title == TITLE
    aliases = list(aliases_of(published))
    assert len(aliases) == len(LANGUAGES) - 1
    assert all(alias.live and alias.title == TITLE for alias in aliases)


def test_unpublishing_takes_the_aliases_offline_and_republishing_brings_them_back(published):
    client = Client()

    published.unpublish()

    assert not any(alias.live for alias in aliases_of(published))
    assert client.get(f"/ar/records/{published.slug}/").status_code == 404
    assert client.get(f"/en/records/{published.slug}/").status_code == 404

    published.get_latest_revision().publish()

    assert all(alias.live for alias in aliases_of(published))
    assert client.get(f"/ar/records/{published.slug}/").status_code == 200
    assert group(published).count() == len(LANGUAGES)


def test_a_real_translation_is_never_overwritten(published, people, client_for, translate_to):
    french = translate_to(published, "fr", title="Formation à la planification de l'espace marin")
    submission = Submission.objects.get(page=published)

    go_live_with_a_working_copy(submission, people, client_for, title="Training in MSP (2027 update)")
    ensure_aliases(published)

    french = Page.objects.get(pk=french.pk)
    assert french.alias_of_id is None and french.title == "Formation à la planification de l'espace marin"
    assert group(published).count() == len(LANGUAGES)
    assert aliases_of(published).get(locale__language_code="es").title == "Training in MSP (2027 update)"


def test_a_scheduled_publication_publishes_the_aliases_on_its_date(people, draft, django_capture_on_commit_callbacks):
    drive(draft, State.DECISION, people)
    page = draft.page.specific.get_latest_revision_as_object()
    page.go_live_at = timezone.now() + datetime.timedelta(days=3)
    page.save()
    page.save_revision(user=people.editor)

    decide(draft, people.editor, "publish")

    aliases = aliases_of(draft.page)
    assert aliases.count() == len(LANGUAGES) - 1 and not any(alias.live for alias in aliases)
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(days=4)):
        call_command("publish_scheduled")
    assert all(alias.live for alias in aliases_of(draft.page))
    assert Client().get(f"/es/records/{draft.page.slug}/").status_code == 200


# --- where visitors find it ----------------------------------------------------------------------


def test_search_has_the_record_in_every_language_at_that_languages_address(published):
    cache.clear()  # facet counts cached by earlier tests
    entries = SearchEntry.objects.filter(translation_key=published.translation_key)

    assert sorted(entries.values_list("locale", flat=True)) == LANGUAGES
    for entry in entries:
        assert entry.url == f"/{entry.locale}/records/{published.slug}/"
    for language in ("en", "fr", "ar"):
        results = SearchService().search(SearchQuery(text="marine spatial planning", language=language))
        assert [hit.url for hit in results.hits] == [f"/{language}/records/{published.slug}/"]


def test_the_record_is_listed_in_every_language(published):
    client = Client()
    for language in ("ar", "en", "zh-hans"):
        body = client.get(f"/{language}/records/").content.decode()
        assert f'href="/{language}/records/{published.slug}/"' in body
        assert TITLE in body


def test_the_language_switcher_leads_to_the_record_in_every_language(published):
    client = Client()
    body = client.get(f"/fr/records/{published.slug}/").content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', body, re.S).group(0)
    links = re.findall(r'href="([^"]+)"', switcher)

    assert sorted(links) == sorted(f"/{language}/records/{published.slug}/" for language in LANGUAGES)
    for link in links:
        assert client.get(link).status_code == 200


def test_reviewers_and_editors_read_the_language_of_the_record(people, client_for):
    submission = drive(new_need(people.submitter, language="es"), State.SCREENING, people)

    body = client_for(people.editor).get(url_in("en", "workspace:submission", submission.pk)).content.decode()

    assert "<dt>Language of the record</dt><dd>Spanish</dd>" in body


def test_aliases_in_bulk_read_the_source_relations_once(published):
    """Five aliases of one record read its many-to-many links once, and each alias carries them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from content_types.base.translations import ensure_aliases_in_bulk

    targets = set(published.gbf_targets.values_list("pk", flat=True))
    assert targets
    for alias in aliases_of(published):
        alias.delete()
    through = NeedPage.gbf_targets.field.remote_field.through._meta.db_table
    reads_of_source = re.compile(rf'"{through}".*= {published.pk}\b', re.S)

    with CaptureQueriesContext(connection) as captured:
        made = ensure_aliases_in_bulk([Page.objects.get(pk=published.pk)])

    assert made == len(LANGUAGES) - 1
    assert len([query for query in captured if reads_of_source.search(query["sql"])]) == 1
    for alias in aliases_of(published):
        assert set(alias.gbf_targets.values_list("pk", flat=True)) == targets
