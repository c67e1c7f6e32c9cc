"""The data repair of records published before the form asked their language: the broken states are
built as the old code left them (a page under its submitter's profile language, no aliases), then
the repair, the command and the migration's own function put them right, once."""

import importlib
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from wagtail.models import Page

from content_types.records.models import NeedPage, RecordIndexPage
from content_types.vocabularies.models import Language
from tests.records.factories import NeedFactory
from workflows.permissions import State
from workflows.review.repair import repair_record_languages

from .helpers import drive, new_need

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "en", "es", "fr", "ru", "zh-hans"]
MIGRATION = "0003_repair_record_languages"


def language_pk(code: str) -> str:
    return str(Language.objects.get(code=code).pk)


def published_the_old_way(people, filed_in: str, languages=(), **fields):
    """A record the old code published: under ``filed_in`` (its submitter's profile language), no aliases."""
    submission = new_need(people.submitter, language=filed_in, languages=[language_pk(c) for c in languages], **fields)
    drive(submission, State.PUBLISHED, people)
    page = NeedPage.objects.get(pk=submission.page_id)
    Page.objects.filter(alias_of=page).delete()
    assert Page.objects.filter(translation_key=page.translation_key).count() == 1
    return page


def locales_of(page):
    return sorted(
        Page.objects.filter(translation_key=page.translation_key).values_list("locale__language_code", flat=True)
    )


def test_a_misfiled_record_moves_to_its_language_and_gets_its_aliases(people):
    page = published_the_old_way(people, "fr", languages=["en"], title="Seagrass mapping")
    old_address = page.url

    report = repair_record_languages()

    page = NeedPage.objects.get(pk=page.pk)
    assert report.moved == [(page.pk, "fr", "en")] and report.aliases == {page.pk: 5}
    assert page.live and page.locale.language_code == "en"
    assert page.get_parent().pk == RecordIndexPage.objects.get(locale__language_code="en").pk
    assert locales_of(page) == LANGUAGES
    client = Client()
    assert client.get(old_address).status_code == 200  # the French address now shows the alias
    for language in LANGUAGES:
        assert client.get(f"/{language}/records/{page.slug}/").status_code == 200


def test_the_repair_is_idempotent(people):
    page = published_the_old_way(people, "fr", languages=["en"])
    repair_record_languages()
    pages = set(Page.objects.values_list("pk", "locale_id", "path", "live"))

    report = repair_record_languages()

    assert not report.changed and not report.skipped
    assert set(Page.objects.values_list("pk", "locale_id", "path", "live")) == pages
    assert locales_of(page) == LANGUAGES


@pytest.mark.parametrize(
    ("filed_in", "languages"),
    [
        ("es", []),  # the classification says nothing: it stays
        ("fr", ["en", "fr"]),  # French is among its languages: it is where it belongs
        ("fr", ["en", "es"]),  # two other languages: no single answer
        ("fr", ["de"]),  # a language the portal has no section for
    ],
)
def test_a_record_without_a_clear_language_stays_and_gets_its_aliases(people, filed_in, languages):
    page = published_the_old_way(people, filed_in, languages=languages)

    report = repair_record_languages()

    assert report.moved == []
    assert NeedPage.objects.get(pk=page.pk).locale.language_code == filed_in
    assert locales_of(page) == LANGUAGES


def test_a_real_translation_in_the_way_is_kept(people, translate_to):
    page = published_the_old_way(people, "fr", languages=["en"])
    english = translate_to(page, "en", title="An English translation someone made")

    report = repair_record_languages()

    assert report.moved == [] and report.skipped == [(page.pk, "a translation in en is in the way")]
    assert NeedPage.objects.get(pk=page.pk).locale.language_code == "fr"
    assert Page.objects.get(pk=english.pk).title == "An English translation someone made"
    assert locales_of(page) == LANGUAGES


def test_records_made_in_the_admin_are_not_moved(site_pages):
    index = RecordIndexPage.objects.get(locale__language_code="fr")
    page = NeedFactory(parent=index, title="Besoin saisi par un éditeur", languages=[Language.objects.get(code="en")])
    page.save_revision().publish()

    report = repair_record_languages()

    assert report.moved == [] and report.aliases == {page.pk: 5}
    assert NeedPage.objects.get(pk=page.pk).locale.language_code == "fr"


def test_drafts_and_unpublished_records_are_left_alone(people):
    draft = new_need(people.submitter, language="fr", languages=[language_pk("en")])
    unpublished = published_the_old_way(people, "fr", languages=["en"], title="Taken offline")
    unpublished.unpublish()

    report = repair_record_languages()

    assert not report.changed
    assert locales_of(draft.page) == ["fr"] and locales_of(unpublished) == ["fr"]


def test_a_portal_without_records_needs_nothing(site_pages):
    pages = set(Page.objects.values_list("pk", "locale_id", "path", "live"))
    migration = importlib.import_module(f"workflows.review.migrations.{MIGRATION}")
    historical = MigrationExecutor(connection).loader.project_state(("review", MIGRATION)).apps

    migration.repair(historical, None)
    report = repair_record_languages()

    assert not report.changed and not report.skipped
    assert set(Page.objects.values_list("pk", "locale_id", "path", "live")) == pages


def test_the_demo_needs_nothing(site_pages, translate_to):
    """The demo's records are English originals with aliases (tree synchronisation) and translations."""
    record = NeedFactory(title="A demo need")
    record.save_revision().publish()
    from cms.demo.management.commands.load_demo import Command as LoadDemo

    translate_to(record, "fr", title="Un besoin de démonstration")
    LoadDemo()._sync_locale_trees(lambda iterable, *args, **kwargs: iterable)
    pages = set(Page.objects.values_list("pk", "locale_id", "path", "live", "title"))

    assert not repair_record_languages().changed
    assert set(Page.objects.values_list("pk", "locale_id", "path", "live", "title")) == pages


def test_the_command_reports_and_its_dry_run_changes_nothing(people):
    page = published_the_old_way(people, "fr", languages=["en"])
    output = io.StringIO()

    call_command("repair_record_languages", "--move-misfiled", "--dry-run", stdout=output)

    assert "Dry run: 1 records moved, 5 aliases created for 1 records." in output.getvalue()
    assert locales_of(page) == ["fr"]

    call_command("repair_record_languages", stdout=io.StringIO())  # without --move-misfiled: aliases only
    assert NeedPage.objects.get(pk=page.pk).locale.language_code == "fr" and len(locales_of(page)) == 6


def test_the_migration_repairs_through_the_command_function(people):
    page = published_the_old_way(people, "fr", languages=["en"])
    migration = importlib.import_module(f"workflows.review.migrations.{MIGRATION}")
    historical = MigrationExecutor(connection).loader.project_state(("review", MIGRATION)).apps

    migration.repair(historical, None)

    assert NeedPage.objects.get(pk=page.pk).locale.language_code == "en"
    assert locales_of(page) == LANGUAGES
