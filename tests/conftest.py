"""Fixtures shared by every test: the site structure in six languages, and a user in each role.

The test database is built once per session (per xdist worker): migrations create the home page,
the six locales, the vocabularies and the role groups; ``django_db_setup`` below then adds the
sections and their translations the way ``load_demo`` does, so that every test sees the portal's
frame and rolls back only what it changes itself.

Transactional tests (``live_server``, ``transaction=True``) end with a flush. Mark them
``@pytest.mark.django_db(transaction=True, serialized_rollback=True)`` (or request
``django_db_serialized_rollback``): they then start from the same structure as the others. On
PostgreSQL the structure is copied once into a schema of its own and the flush puts it back, so
tests may run in any order (the longest first); on SQLite the flush empties the database, the
transactional tests run last, and the session puts the structure back at its end so that
``--reuse-db`` finds it next time.

``--reuse-db`` keeps the structure between runs; when the code that builds it changes, run once
with ``--create-db`` (the session says so when the old structure gets in the way).
"""

import json
from contextlib import contextmanager

import pytest
from django.db import connections

from cms.accounts import roles

PASSWORD = "a-test-password-for-every-role"

# username for each role; the same names are used by tests that log in.
ROLE_USERNAMES = {
    roles.ADMINISTRATOR: "test-administrator",
    roles.EDITOR: "test-editor",
    roles.REVIEWER: "test-reviewer",
    roles.SUBMITTER: "test-submitter",
    roles.AWARD_COMMITTEE: "test-committee",
}


def _silent_progress(iterable, *args, **kwargs):
    return iterable


def build_site_structure() -> dict:
    """Home, sections and News in the six languages, About pages, portal settings, and aliases of
    every page in every locale: what ``load_demo`` builds before adding content. Idempotent."""
    from cms.demo.management.commands.load_demo import Command as LoadDemo
    from cms.demo.registry import DemoContext
    from cms.home.demo import build_structure

    context = DemoContext(progress=_silent_progress)
    build_structure(context)
    LoadDemo()._sync_locale_trees(_silent_progress)
    return context.pages


def _baseline_present() -> bool:
    """Whether the database still holds what migrations put in (a flush removes it)."""
    from django.contrib.auth.models import Group
    from wagtail.models import Locale

    return Locale.objects.exists() and Group.objects.filter(name__in=roles.ROLE_NAMES).count() == len(roles.ROLE_NAMES)


def _session_has_transactional_tests(items) -> bool:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "transactional_db" in fixtures or "live_server" in fixtures:
            return True
        marker = item.get_closest_marker("django_db")
        if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
            return True
    return False


@contextmanager
def _raw_unsafe_receivers_disconnected():
    """wagtail-localize's post_save receivers ignore ``raw``: loading a LocaleSynchronization row
    before its Locale (as a serialized rollback does) makes them query what is not there yet."""
    from django.db.models.signals import post_save
    from wagtail_localize import models as localize

    receivers = [
        (localize.sync_trees_on_locale_sync_save, localize.LocaleSynchronization),
        (localize.post_save_string_translation, localize.StringTranslation),
    ]
    for receiver, sender in receivers:
        post_save.disconnect(receiver, sender=sender)
    try:
        yield
    finally:
        for receiver, sender in receivers:
            post_save.connect(receiver, sender=sender)


def _reset_sequences(connection) -> None:
    """Move every id sequence past the largest id in its table, as ``loaddata`` does after loading
    rows with explicit ids; otherwise the next insert reuses an id."""
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _content_types_first(snapshot: str) -> str:
    """Content types before every other row: some models look theirs up while being built from
    the snapshot (Wagtail's Task sets ``content_type`` in ``__init__``), and would create it anew."""
    rows = json.loads(snapshot)
    rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
    return json.dumps(rows)


BASELINE_SCHEMA = "test_baseline"


def _baseline_tables(connection) -> list[str]:
    """Every table of the project's models (what ``flush`` empties), ``django_migrations`` aside."""
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _copy_baseline(connection) -> None:
    """On PostgreSQL, a copy of every table in a schema of its own: restoring it is a few SQL
    statements, where loading the serialized snapshot builds every object in Python."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {BASELINE_SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {BASELINE_SCHEMA}")
        for table in _baseline_tables(connection):
            name = connection.ops.quote_name(table)
            cursor.execute(f"CREATE TABLE {BASELINE_SCHEMA}.{name} AS SELECT * FROM public.{name}")  # noqa: S608 (quoted table names)


def _baseline_statements(connection, tables) -> list[str]:
    names = [connection.ops.quote_name(table) for table in tables]
    return [
        # The rows were consistent when copied: foreign-key triggers need not check them again.
        "SET LOCAL session_replication_role = replica",
        # DELETE, not TRUNCATE: truncating gives each of ~180 tables new files, seconds in all.
        *(f"DELETE FROM public.{name}" for name in names),  # noqa: S608 (quoted table names)
        *(f"INSERT INTO public.{name} SELECT * FROM {BASELINE_SCHEMA}.{name}" for name in names),  # noqa: S608
    ]


def _restore_copied_baseline(connection) -> None:
    from django.db import transaction

    statements = _baseline_statements(connection, _baseline_tables(connection))
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(";\n".join(statements))
    _reset_sequences(connection)


def _flush_back_to_the_baseline(operations_class) -> None:
    """A transactional test ends with ``flush``. On PostgreSQL, with the baseline copied, the flush
    puts the baseline back (deleting the few rows a test leaves, then copying the baseline's rows
    in: milliseconds, where ``TRUNCATE`` of every table costs seconds). So every test, transactional
    or not, starts from and leaves the same database, and the order of the tests is free."""
    truncate = operations_class.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or _baseline["snapshot"] != BASELINE_SCHEMA:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return _baseline_statements(self.connection, _baseline_tables(self.connection))

    operations_class.sql_flush = sql_flush


def _restore(connection, snapshot: str) -> None:
    """Empty the database, then load ``snapshot`` into it (whatever a previous test left)."""
    from django.core.management import call_command

    if snapshot == BASELINE_SCHEMA:
        _restore_copied_baseline(connection)
        return

    call_command(
        "flush",
        database=connection.alias,
        interactive=False,
        inhibit_post_migrate=True,
        reset_sequences=False,
        verbosity=0,
    )
    with _raw_unsafe_receivers_disconnected():
        type(connection.creation).deserialize_db_from_string(connection.creation, snapshot)
    _reset_sequences(connection)


# The database's content right after ``django_db_setup``, when the session has transactional tests.
_baseline = {"snapshot": None}


def arm_serialized_rollback(connection=None) -> None:
    """Make Django's serialized rollback on ``connection`` restore the session's baseline.

    Django keeps the snapshot on the connection object. Code that runs an asyncio loop in the test
    thread (Playwright's sync API) makes Django hand out other connection objects, so such fixtures
    call this again once their loop runs.
    """
    if _baseline["snapshot"] is None:
        return
    connection = connection or connections["default"]
    connection._test_serialized_contents = _baseline["snapshot"]
    connection.creation.deserialize_db_from_string = lambda data: _restore(connection, data)


# The longest tests start first, so that the workers end together instead of one of them running
# the long ones alone at the end (the others' share of the short ones is done by then). Listed by
# what they cost: two real servers federating, whole journeys in the browser, demo builds.
LONGEST_FIRST = (
    "tests/interop/harvest/test_federation.py",
    "tests/e2e/test_award_cycle.py",
    "tests/e2e/test_matchmaking.py",
    "tests/e2e/test_import.py",
    "tests/e2e/test_insight.py",
    "tests/e2e/",
    "tests/deploy/",
    "tests/cooperation/test_demo.py",
    "tests/foundation/test_demo.py",
)


def _cost_rank(item) -> int:
    path = item.nodeid.replace("\\", "/")
    for rank, prefix in enumerate(LONGEST_FIRST):
        if path.startswith(prefix):
            return rank
    return len(LONGEST_FIRST) + (0 if item.get_closest_marker("slow") else 1)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """pytest-django runs transactional tests last because their flush empties the database; on
    PostgreSQL the flush puts the baseline back (``_flush_back_to_the_baseline``), so the order is
    free: longest first."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        items.sort(key=_cost_rank)


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker, django_db_createdb):
    """The migrated test database plus the site structure, built once for the session."""
    with django_db_blocker.unblock():
        if not _baseline_present():
            pytest.exit(
                "The reused test database lost the data its migrations create (a transactional test "
                "was interrupted). Run once with --create-db.",
                returncode=1,
            )
        _reset_sequences(connections["default"])  # in case an older run left them behind
        try:
            build_site_structure()
        except Exception as error:
            if django_db_createdb:
                raise
            # A reused database keeps the structure an older version of the code built.
            pytest.exit(
                f"Building the site structure in the reused test database failed ({error!r}); it was "
                "probably built by an older version of the code. Run once with --create-db.",
                returncode=1,
            )
        # Serialized rollback restores this snapshot (taken after the structure, unlike Django's
        # own, which is taken right after migrating) in transactional tests.
        if _session_has_transactional_tests(request.session.items):
            connection = connections["default"]
            if connection.vendor == "postgresql":
                _flush_back_to_the_baseline(type(connection.ops))
                _copy_baseline(connection)
                _baseline["snapshot"] = BASELINE_SCHEMA
            else:
                _baseline["snapshot"] = _content_types_first(connection.creation.serialize_db_to_string())
            arm_serialized_rollback()
    yield
    if _baseline["snapshot"] is not None:
        with django_db_blocker.unblock():
            if not _baseline_present():  # the last transactional test flushed it: put it back
                _restore(connections["default"], _baseline["snapshot"])


@pytest.fixture
def site_pages(db) -> dict:
    """The structure's pages by name ("home", "records", "news", "about/contact"…), in English."""
    from wagtail.models import Page

    from cms.home.demo import ABOUT_PAGES, SECTIONS

    home = Page.objects.get(depth=2, locale__language_code="en").specific
    pages = {"home": home}
    for slug in [*SECTIONS, "news"]:
        pages[slug] = home.get_children().get(slug=slug).specific
    for slug, *_ in ABOUT_PAGES:
        pages[f"about/{slug}"] = pages["about"].get_children().get(slug=slug).specific
    return pages


@pytest.fixture
def make_user(db, django_user_model):
    """``make_user(username, role=None, **fields)``: an active user with ``PASSWORD``."""

    def make(username: str, role: str | None = None, **fields):
        from django.contrib.auth.models import Group

        fields.setdefault("email", f"{username}@example.org")
        user = django_user_model.objects.create_user(username=username, password=PASSWORD, **fields)
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def administrator(make_user):
    return make_user(ROLE_USERNAMES[roles.ADMINISTRATOR], roles.ADMINISTRATOR)


@pytest.fixture
def editor(make_user):
    return make_user(ROLE_USERNAMES[roles.EDITOR], roles.EDITOR)


@pytest.fixture
def reviewer(make_user):
    return make_user(ROLE_USERNAMES[roles.REVIEWER], roles.REVIEWER)


@pytest.fixture
def submitter(make_user):
    return make_user(ROLE_USERNAMES[roles.SUBMITTER], roles.SUBMITTER)


@pytest.fixture
def committee_member(make_user):
    return make_user(ROLE_USERNAMES[roles.AWARD_COMMITTEE], roles.AWARD_COMMITTEE)


@pytest.fixture
def role_users(administrator, editor, reviewer, submitter, committee_member) -> dict:
    """One user in each role, by role name."""
    return {
        roles.ADMINISTRATOR: administrator,
        roles.EDITOR: editor,
        roles.REVIEWER: reviewer,
        roles.SUBMITTER: submitter,
        roles.AWARD_COMMITTEE: committee_member,
    }


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request under /fr/, /zh-hans/… leaves its language active in the thread: the next test's
    ``reverse()`` and labels must not inherit it."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploaded files go to a temporary folder, never into the project's media/."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request under /fr/ leaves French active in the
    thread, and the next test on the same worker would render, reverse and compare in French."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield


@pytest.fixture
def translate_to(django_capture_on_commit_callbacks):
    """``translate_to(page, "fr", **fields)``: a published translation (an alias when ``alias``)."""

    def translate(page, language: str, alias: bool = False, **fields):
        from wagtail.models import Locale

        locale = Locale.objects.get(language_code=language)
        existing = page.get_translation_or_none(locale)
        with django_capture_on_commit_callbacks(execute=True):
            if existing is not None and existing.alias_of_id is not None and not alias:
                translated = existing.specific
                translated.alias_of = None
            elif existing is not None:
                return existing.specific
            else:
                translated = page.copy_for_translation(locale, copy_parents=False, alias=alias).specific
            if alias:
                return translated
            for name, value in fields.items():
                setattr(translated, name, value)
            translated.save()
            translated.save_revision().publish()
        return translated

    return translate


@pytest.fixture(autouse=True)
def _fresh_content_version():
    """Every test starts with a new content version: fragments cached by an earlier test (whose rows
    were rolled back) must not show in this one. So does Wagtail's list of sites: a test that added a
    site (rolled back since) would leave every page's address absolute, with the other site's host."""
    from wagtail.models import Site

    from cms import content_version

    content_version.start_afresh()
    Site.clear_site_root_paths_cache()
    yield
