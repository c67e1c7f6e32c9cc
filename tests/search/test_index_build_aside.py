"""The first build of an empty index with helper connections (PostgreSQL): made in tables of its own and
put in place of the real ones in one transaction. The real tables keep every index, constraint and
sequence the migrations gave them; a build that fails or was cut off leaves nothing behind; a record
published during a build waits for it and is kept."""

import threading
import time

import psycopg
import pytest
from django.db import DataError, connection, connections

from search.backends import aside
from search.backends.database import DatabaseBackend
from search.models import SearchEntry, SearchText

from .test_index_writes import backend_connections, make_documents, recounted, stored, write

pytestmark = pytest.mark.django_db

TABLES = ("chm_search_searchtext", "chm_search_searchentry")


def schema() -> dict:
    """What the migrations made of the two tables: columns, indexes, constraints, id sequences, options."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,"
            " a.attstorage, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            " WHERE c.oid = ANY(%s::regclass[]) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, a.attnum",
            [list(TABLES)],
        )
        columns = cursor.fetchall()
        cursor.execute(
            "SELECT c.relname, i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x"
            " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid"
            " WHERE c.oid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [list(TABLES)],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid), conindid::regclass::text"
            " FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [list(TABLES)],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT relname, reloptions, pg_get_serial_sequence(relname, 'id'), relacl::text[] FROM pg_class"
            " WHERE oid = ANY(%s::regclass[]) ORDER BY 1",
            [list(TABLES)],
        )
        tables = cursor.fetchall()
    return {"columns": columns, "indexes": indexes, "constraints": constraints, "tables": tables}


def build_tables() -> list[str]:
    """The tables of a build, as any other connection sees them (committed)."""
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        return [
            name for (name,) in other.execute("SELECT relname FROM pg_class WHERE relname LIKE 'chm_search_build%%'")
        ]


def batches_of(keys, documents, size: int):
    for start in range(0, len(keys), size):
        chosen = keys[start : start + size]
        yield chosen, [d for d in documents if d.translation_key in chosen]


@pytest.fixture
def helpers(settings):
    # A build's tables renamed in a test's transaction are there again once it is rolled back (the
    # helpers committed them): the next build drops them first, as it would a build's that was cut off.
    settings.SEARCH_INDEX_WORKERS = 2


def test_the_built_tables_take_every_index_constraint_and_sequence_of_the_real_ones(helpers):
    keys, documents = make_documents(10)
    DatabaseBackend().clear()
    write(keys, documents)
    reference = stored()
    DatabaseBackend().clear()
    with connection.cursor() as cursor:  # a role reading the index (a report), as an operator may add
        cursor.execute("CREATE ROLE chm_search_reader")
        cursor.execute("GRANT SELECT ON chm_search_searchtext, chm_search_searchentry TO chm_search_reader")
        cursor.execute("GRANT INSERT ON chm_search_searchentry TO chm_search_reader WITH GRANT OPTION")
        # Storage parameters, which LIKE does not copy (the checks pending since the writes above first).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE chm_search_searchentry SET (fillfactor = 90, autovacuum_enabled = true)")
    before = schema()
    assert "chm_search_reader=r/" in str(before["tables"]) and "fillfactor=90" in str(before["tables"])

    assert DatabaseBackend().rebuild(batches_of(keys, documents, 3)) == len(documents)

    assert schema() == before
    assert stored() == reference
    # The texts' ids go on from the built ones: a record published now gets new ones.
    more_keys, more_documents = make_documents(12)
    write(more_keys[10:], [d for d in more_documents if d.translation_key in more_keys[10:]])
    assert SearchText.objects.values("id").distinct().count() == SearchText.objects.count()
    assert SearchEntry.objects.count() == 12 * 6
    assert stored()[2] == recounted()


def test_a_build_that_fails_leaves_the_real_tables_as_they_were_and_no_table_of_its_own(helpers):
    keys, documents = make_documents(9)
    DatabaseBackend().clear()
    before = schema()
    for document in documents:
        if document.translation_key == keys[-1]:
            document.title = "x" * 300  # refused by a helper's copy, in the last batch
    connections_before = backend_connections()

    with pytest.raises(DataError):
        DatabaseBackend().rebuild(batches_of(keys, documents, 3))

    assert build_tables() == []
    assert schema() == before
    assert not SearchText.objects.exists() and not SearchEntry.objects.exists()
    assert backend_connections() == connections_before


def test_the_tables_of_a_build_cut_off_are_dropped_by_the_next(helpers):
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        # A build's own tables are made by its helpers (committed); the swap that renames them is rolled back
        # with the test that made it, which leaves them behind for the next test as a killed build would.
        other.execute("DROP TABLE IF EXISTS chm_search_build_entry, chm_search_build_text")
        other.execute("CREATE TABLE chm_search_build_entry (id int)")  # left by a build that was killed
    keys, documents = make_documents(6)
    DatabaseBackend().clear()
    write(keys, documents)
    reference = stored()
    DatabaseBackend().clear()

    assert DatabaseBackend().rebuild(batches_of(keys, documents, 4)) == len(documents)

    assert stored() == reference


@pytest.mark.django_db(transaction=True)
def test_a_record_published_during_a_build_waits_for_it_and_is_kept(settings):
    """Publishing while the first build loads: the writer waits until the built tables are in place,
    then writes into them; both the built records and the published one are found, counted exactly."""
    settings.SEARCH_INDEX_WORKERS = 2
    DatabaseBackend().clear()
    keys, documents = make_documents(12)
    built, published = keys[:9], keys[9:]
    loading = threading.Event()
    finished = {}
    errors = []

    def batches():
        yield from batches_of(built[:3], documents, 3)
        loading.set()
        time.sleep(0.5)  # the writer is waiting by now
        yield from batches_of(built[3:], documents, 3)
        finished["loaded"] = time.monotonic()  # every batch taken: what is left is the indexes and the swap

    def publisher():
        try:
            loading.wait(timeout=30)
            DatabaseBackend().replace(published, [d for d in documents if d.translation_key in published])
            finished["publisher"] = time.monotonic()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=publisher)
    thread.start()
    try:
        assert DatabaseBackend().rebuild(batches()) == 9 * 6
    finally:
        thread.join(timeout=60)
        aside.drop_aside(connection.get_connection_params())

    assert errors == []
    assert finished["publisher"] > finished["loaded"]
    assert set(SearchEntry.objects.values_list("translation_key", flat=True).distinct()) == {
        SearchEntry._meta.get_field("translation_key").to_python(key) for key in keys
    }
    assert SearchEntry.objects.count() == 12 * 6
    assert stored()[2] == recounted()
    assert build_tables() == []


@pytest.mark.django_db(transaction=True)
def test_a_build_that_finds_a_record_published_first_replaces_group_by_group(settings, monkeypatch):
    """A record published between the check for an empty index and the build holding the tables: the
    build leaves its way and replaces group by group, as a build of an index that has rows does (the
    published record, not among the batches, is dropped as gone), and makes no table of its own."""
    settings.SEARCH_INDEX_WORKERS = 2
    DatabaseBackend().clear()
    keys, documents = make_documents(8)
    opened = DatabaseBackend._open_helpers

    def publish_then_open(number):
        def publish():
            try:
                DatabaseBackend().replace(keys[7:], [d for d in documents if d.translation_key in keys[7:]])
            finally:
                connections.close_all()

        thread = threading.Thread(target=publish)
        thread.start()
        thread.join(timeout=30)
        return opened(number)

    monkeypatch.setattr(DatabaseBackend, "_open_helpers", staticmethod(publish_then_open))
    assert DatabaseBackend().rebuild(batches_of(keys[:7], documents, 3)) == 7 * 6

    found = {str(key) for key in SearchEntry.objects.values_list("translation_key", flat=True)}
    assert found == set(keys[:7])
    assert stored()[2] == recounted()
    assert build_tables() == []


def test_a_statement_timeout_meant_for_the_pages_does_not_cut_a_build(helpers, monkeypatch):
    """An operator's ``statement_timeout`` in DATABASE_URL (200 ms here) holds for the pages; the build's
    helpers, whose index builds take minutes at scale, lift it for themselves. A step of half a second
    stands for a long index build."""
    keys, documents = make_documents(6)
    DatabaseBackend().clear()
    write(keys, documents)
    reference = stored()
    DatabaseBackend().clear()
    options = {**connection.settings_dict.get("OPTIONS", {})}
    options["options"] = f"{options.get('options', '')} -c statement_timeout=200".strip()
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)
    read = aside.steps

    def with_a_long_one(cursor):
        indexes, keys = read(cursor)
        return [*indexes, aside.Step(TABLES[0], "long", "SELECT pg_sleep(0.5)", "SELECT 1")], keys

    monkeypatch.setattr(aside, "steps", with_a_long_one)

    assert DatabaseBackend().rebuild(batches_of(keys, documents, 3)) == len(documents)

    assert stored() == reference


def test_a_statement_timeout_does_not_cut_a_build_without_helpers(settings, monkeypatch):
    """Without helpers the build runs in this connection's transaction, its timeout lifted there (a
    load of half a second stands for a long one)."""
    settings.SEARCH_INDEX_WORKERS = 0
    keys, documents = make_documents(6)
    DatabaseBackend().clear()
    write(keys, documents)
    reference = stored()
    DatabaseBackend().clear()
    load = DatabaseBackend._load_batches_here

    def slowly(self, batches):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.5)")
        return load(self, batches)

    monkeypatch.setattr(DatabaseBackend, "_load_batches_here", slowly)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 200")

    assert DatabaseBackend().rebuild(batches_of(keys, documents, 3)) == len(documents)

    assert stored() == reference


def test_a_build_tells_the_operator_how_far_its_indexes_are(helpers, caplog):
    """The progress bar of ``reindex`` follows the batches; the indexes, built after them (40 % of a
    build at 100,000 records), are told in the log, one line each, then the swap."""
    keys, documents = make_documents(6)
    DatabaseBackend().clear()
    with caplog.at_level("INFO", logger="search.backends.aside"):
        DatabaseBackend().rebuild(batches_of(keys, documents, 3))

    lines = [record.getMessage() for record in caplog.records]
    built = [line for line in lines if " built (" in line]
    total = len(built)
    assert total >= 5 and built[0].startswith(f"Search index: index 1 of {total} built (")
    assert any("chm_search_text_vector_gin" in line for line in built)
    assert lines[-1] == f"Search index: {len(documents)} documents built aside and put in place"
