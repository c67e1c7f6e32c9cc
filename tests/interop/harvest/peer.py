"""A peer portal for the federation tests and the benchmark: its own database, its own server process.

``python -m tests.interop.harvest.peer <command> ...`` with ``DATABASE_URL`` pointing at the peer's
database (the test's process keeps its own database; the two never share a connection).
Commands: ``prepare`` (create, migrate, site structure, no records), ``publish COUNT [--french N]``,
``update IDENTIFIER TITLE``, ``unpublish IDENTIFIER``, ``issue-token [NAME]`` (an API client for the
harvesting portal). Each prints a JSON line.
"""

import json
import os
import sys


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    import django

    django.setup()


def prepare() -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.conftest import build_site_structure

    build_site_structure()
    from content_types.records.models import RecordPage
    from interop.api.models import Tombstone

    for page in RecordPage.objects.filter(depth__gt=0).order_by("-depth", "-pk"):
        page.delete()
    Tombstone.objects.all().delete()
    return {"prepared": True}


def publish(count: int, french: int = 0, start: int = 0) -> dict:
    """``count`` needs in English (a French translation for the first ``french``), aliases elsewhere,
    published together through the portal's bulk publication (what a harvest uses for a page of new
    records): the same rows, aliases and ``page_published`` signals, without a page-by-page tree walk."""
    import datetime

    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale

    from content_types.base.bulk_pages import NewPage, copy_of, publish_new_pages
    from content_types.records.identifiers import identifier_prefix, reserve_identifier
    from content_types.records.models import NeedPage, RecordIndexPage
    from content_types.vocabularies.models import Country, GBFTarget

    sections = {section.locale_id: section for section in RecordIndexPage.objects.all()}
    english, french_locale = Locale.objects.get(language_code="en"), Locale.objects.get(language_code="fr")
    relations = {"countries": [Country.objects.get(code="FR")], "gbf_targets": [GBFTarget.objects.get(number=3)]}
    prefix = identifier_prefix("NEED", "FR", 2025)
    made = []
    for number in range(start, start + count):
        page = NeedPage(
            title=f"Peer need {number}",
            slug=f"peer-need-{number}",
            identifier=f"{prefix}{number + 1:04d}",
            summary="A need published by the peer portal.",
            publication_date=datetime.date(2025, 6, 1),
            needed="<p>Training on species distribution modelling.</p>",
            support_kind="training",
            urgency="high",
            status="open",
            locale=english,
        )
        page.record_type = page.record_type_code
        translations = []
        if number - start < french:
            translated = copy_of(page)
            translated.title = f"Besoin du pair {number}"
            translated.summary = "Un besoin publié par le portail pair."
            translated.locale = french_locale
            translations.append(translated)
        made.append(NewPage(page, relations, translations))
    with transaction.atomic():
        reserve_identifier(f"{prefix}{start + count:04d}")
        publish_new_pages(made, sections, timezone.now())
    return {"identifiers": [new.page.identifier for new in made]}


def update(identifier: str, title: str) -> dict:
    from content_types.records.models import RecordPage

    page = RecordPage.objects.get(identifier=identifier, alias_of__isnull=True, locale__language_code="en").specific
    page.title = title
    page.save_revision().publish()
    return {"updated": identifier}


def unpublish(identifier: str) -> dict:
    from content_types.records.models import RecordPage

    pages = RecordPage.objects.filter(identifier=identifier, alias_of__isnull=True, live=True).order_by("-pk")
    for page in pages:
        page.specific.unpublish()
    return {"unpublished": identifier}


def issue_token(name: str) -> dict:
    """An API client of the peer for the harvesting portal (scoped to France), and its token."""
    from django.contrib.auth import get_user_model

    from content_types.vocabularies.models import Country
    from interop.push.models import ApiClient

    user, _created = get_user_model().objects.get_or_create(username="harvesting-portal")
    client = ApiClient(name=name, acting_user=user, scope_country=Country.objects.get(code="FR"))
    token = client.issue_token()
    client.save()
    return {"token": token}


def main(argv: list[str]) -> None:
    command, *args = argv
    if command == "prepare":
        ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    if command == "prepare":
        result = prepare()
    elif command == "publish":
        count = int(args[0])
        french = int(args[args.index("--french") + 1]) if "--french" in args else 0
        start = int(args[args.index("--start") + 1]) if "--start" in args else 0
        result = publish(count, french, start)
    elif command == "update":
        result = update(args[0], args[1])
    elif command == "unpublish":
        result = unpublish(args[0])
    elif command == "issue-token":
        result = issue_token(args[0] if args else "Harvesting portal")
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
