"""``make run``'s first step on a fresh machine: every migration applies to a new SQLite database (the
embedded default, no services) — PostgreSQL-only indexes and statements must stand aside there."""

import os
import subprocess
import sys

import pytest

from cms.settings import env

from .environment import ROOT

pytestmark = pytest.mark.slow


def manage(environment: dict, *arguments: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def printed(environment: dict, code: str) -> list[str]:
    """The words ``code`` printed, run by ``manage.py shell`` (which must succeed)."""
    result = manage(environment, "shell", "-c", code)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    return result.stdout.split()


def test_every_migration_applies_to_a_new_sqlite_database(tmp_path):
    database = tmp_path / "db.sqlite3"
    environment = {key: value for key, value in os.environ.items() if key not in env.VARIABLES}
    environment.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", DATABASE_URL=f"sqlite:///{database}")
    result = manage(environment, "migrate", "--no-input", timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    check = manage(environment, "migrate", "--check", "--no-input")
    assert check.returncode == 0, (check.stdout + check.stderr)[-3000:]  # nothing left unapplied
    assert database.stat().st_size > 0
    # The pages' own SQL on SQLite: the sitemap reads each page's day and time of last publication with
    # functions written for both databases (a "%" in one was taken for a parameter, and it answered 500).
    served = printed(
        environment,
        "from django.test import Client; response = Client(HTTP_HOST='localhost').get('/sitemap.xml');"
        " print(response.status_code, b'<urlset' in response.content, b'/en/</loc>' in response.content)",
    )
    assert served[-3:] == ["200", "True", "True"], served
    # The decision tracker's text search: PostgreSQL's full text (to_tsvector) on PostgreSQL only; on
    # SQLite, "unrecognized token" and a 500 for every search in it.
    tracker = printed(
        environment,
        "from django.test import Client; client = Client(HTTP_HOST='localhost');"
        " print(*(client.get(f'/{language}/decisions/tracker/', {'q': 'urges parties'}).status_code"
        " for language in ('en', 'fr', 'zh-hans')))",
    )
    assert tracker[-3:] == ["200", "200", "200"], tracker
    # A signed-in person's pages on SQLite: the awards page picked each cycle's original page with
    # DISTINCT ON, which only PostgreSQL has, and answered 500 to every signed-in visitor of `make run`.
    signed_in = printed(
        environment,
        "from django.contrib.auth import get_user_model; from django.test import Client;"
        " user = get_user_model().objects.create_user('sqlite-visitor', password='x');"
        " client = Client(HTTP_HOST='localhost'); client.force_login(user);"
        " print(*(client.get(path).status_code for path in ('/en/workspace/', '/en/workspace/awards/')))",
    )
    assert signed_in[-2:] == ["200", "200"], signed_in
    # A document named by a draft's attachments, on SQLite: who may read it was found by JSON containment,
    # which only PostgreSQL has — every document served by `make run`'s portal answered 500.
    documents = printed(
        environment,
        "from django.core.files.base import ContentFile; from django.test import Client;"
        " from wagtail.documents import get_document_model; from wagtail.models import Page, Revision;"
        " from cms.uploads.tasks import _referenced_by_a_draft; from workflows.access import document_pages;"
        " from django.contrib.contenttypes.models import ContentType;"
        " document = get_document_model().objects.create(title='Annex', file=ContentFile(b'%PDF', name='annex.pdf'));"
        " page = Page.objects.filter(depth=2).first();"
        " base = ContentType.objects.get_for_model(Page);"
        " Revision.objects.create(content_type=page.content_type, base_content_type=base,"
        " object_id=str(page.pk), object_str=page.title, content={'attachments': [{'document': document.pk}]});"
        " print(document_pages([document.pk]) == {document.pk: {page.pk}}, _referenced_by_a_draft(document.pk),"
        " Client(HTTP_HOST='localhost').get(document.url).status_code)",
    )
    assert documents[-3:-1] == ["True", "True"], documents
    assert documents[-1] in {"200", "403", "404"}, documents
