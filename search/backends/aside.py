"""The first build of an empty search index on PostgreSQL, made aside and then put in place.

The helper connections (``SEARCH_INDEX_WORKERS``) write the batches into two tables of their own, made
like the texts and entries tables but without their indexes, each batch one transaction of its helper
that computes the vectors as it inserts them: the helpers and the process splitting the batches keep
both cores busy. The real tables' indexes and constraints are then built on these tables, one per
helper at a time (a GIN index cannot be built by parallel workers before PostgreSQL 18, but two can
be built at once), each table is analysed as soon as its indexes are made, and in one short transaction
of the building connection the two tables take the real ones' places, under their names.

The building connection holds the real tables in SHARE mode from the start: searches go on (the
index is empty), writers (publishing) wait for the swap and then write into the new tables. A build
that fails or is cut off leaves the real tables as they were; its own tables are dropped then, or by
the next build."""

import gc
import itertools
import logging
import queue
import re
import threading
import time
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

from ..models import SearchEntry
from .database import (
    COUNT_TABLE,
    ENTRY_TABLE,
    NO_TIMEOUT_SQL,
    TEXT_COLUMNS,
    TEXT_TABLE,
    VECTOR_TABLE,
    VECTOR_TABLE_SQL,
    copy_entries,
    copy_loaded,
    entry_rows,
    loaded_texts_sql,
    next_text_ids,
    text_ids_of,
)

logger = logging.getLogger(__name__)

# Each real table and the table built aside to replace it (the texts first: the entries refer to them).
ASIDE = {TEXT_TABLE: "chm_search_build_text", ENTRY_TABLE: "chm_search_build_entry"}
ASIDE_NAME = "chm_search_build_{}"  # an index or constraint of the tables built aside, until renamed
# Set at the start of each of a helper's transactions (a pooler in transaction mode may give the next
# one another server connection). Each batch commits on its own: nothing is lost by not waiting for its
# WAL (a build cut off is dropped). A helper never waits long for a lock: its tables are its build's
# own. An index build takes as long as it takes (a statement_timeout in DATABASE_URL is for the pages).
HELPER_SQL = (
    "SET LOCAL synchronous_commit = off; SET LOCAL maintenance_work_mem = '256MB';"
    f" SET LOCAL lock_timeout = '60s'; {NO_TIMEOUT_SQL}"
)
# Made like the real table, its storage parameters too (``LIKE`` copies neither), without autovacuum until
# it takes the real table's place (it would wait on the index builds, or they on it).
CREATE_SQL = "CREATE TABLE {aside} (LIKE {table} INCLUDING ALL EXCLUDING INDEXES) WITH ({options})"
OPTIONS_SQL = "SELECT coalesce(reloptions, '{}') FROM pg_class WHERE oid = %s::regclass"
NO_AUTOVACUUM = "autovacuum_enabled=false"
# Publishing writes the counts, then the entries and texts: locked in that order, a writer waits
# before it holds any of them.
LOCK_SQL = f"LOCK TABLE {COUNT_TABLE}, {ENTRY_TABLE}, {TEXT_TABLE} IN SHARE MODE"
INDEXES_SQL = """
    SELECT i.relname, pg_get_indexdef(x.indexrelid), c.conname, c.contype, c.condeferrable, c.condeferred,
        a.amname = 'gin'
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am a ON a.oid = i.relam
    LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u')
    WHERE x.indrelid = %s::regclass ORDER BY i.relname
"""
FOREIGN_KEYS_SQL = (
    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
    " WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname"
)
# The privileges other roles hold on a real table, granted again on the table that replaces it.
GRANTS_SQL = """
    SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END, a.is_grantable
    FROM pg_class c CROSS JOIN aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
    WHERE c.oid = %s::regclass AND a.grantee <> c.relowner ORDER BY 2, 1
"""
SEQUENCE_SQL = "SELECT s.relname FROM pg_class s WHERE s.oid = pg_get_serial_sequence(%s, 'id')::regclass"


@dataclass(frozen=True)
class Step:
    """An index or constraint of a real table, made on its table built aside (``build``), and given its
    real name once that table has the real one's (``rename``)."""

    table: str
    name: str  # the real one, for the build's log
    build: str
    rename: str
    gin: bool = False


def steps(cursor) -> tuple[list[Step], list[Step]]:
    """The indexes (with those of the primary key and unique constraints) and the foreign keys of the
    real tables, as read from the catalogue: whatever the migrations made, the built tables get."""
    quote = connection.ops.quote_name
    names = (ASIDE_NAME.format(number) for number in itertools.count())
    indexes, keys = [], []
    for table, aside in ASIDE.items():
        cursor.execute(INDEXES_SQL, [table])
        for index, definition, constraint, kind, deferrable, deferred, gin in cursor.fetchall():
            name = next(names)
            unique = "UNIQUE " if definition.startswith("CREATE UNIQUE") else ""
            build = f"CREATE {unique}INDEX {name} ON {aside}{definition[definition.index(' USING ') :]}"
            if constraint:
                # A primary key or unique constraint is made from its index at the swap: adding it takes
                # the table whole, where building its index beside the others' does not.
                rename = (
                    f"ALTER TABLE {table} ADD CONSTRAINT {quote(constraint)} "
                    f"{'PRIMARY KEY' if kind == 'p' else 'UNIQUE'} USING INDEX {name}"
                    f"{' DEFERRABLE' if deferrable else ''}{' INITIALLY DEFERRED' if deferred else ''}"
                )
            else:
                rename = f"ALTER INDEX {name} RENAME TO {quote(index)}"
            indexes.append(Step(table, index, build, rename, gin))
        cursor.execute(FOREIGN_KEYS_SQL, [table])
        for constraint, definition in cursor.fetchall():
            name = next(names)
            for real, built in ASIDE.items():  # a key to a table built aside refers to that one
                definition = re.sub(rf"REFERENCES (?:\w+\.)?{real}\(", f"REFERENCES {built}(", definition)
            keys.append(
                Step(
                    table,
                    constraint,
                    f"ALTER TABLE {aside} ADD CONSTRAINT {name} {definition}",
                    f"ALTER TABLE {table} RENAME CONSTRAINT {name} TO {quote(constraint)}",
                )
            )
    indexes.sort(key=lambda step: not step.gin)  # the long GIN builds first, the quick b-trees fill in
    return indexes, keys


def drop_aside(params: dict) -> None:
    """Drop the tables of a build that failed or was cut off, in a connection of their own (committed
    whatever this connection's transaction does)."""
    try:
        with connection.Database.connect(**params, autocommit=True) as dropping, dropping.transaction():
            dropping.execute(HELPER_SQL)
            dropping.execute(f"DROP TABLE IF EXISTS {', '.join(reversed(ASIDE.values()))}")
    except connection.Database.Error:
        logger.warning("The tables of a search index build could not be dropped", exc_info=True)


class AsideBuild:
    """One first build: its helper connections (autocommit, opened by the caller) and its steps."""

    def __init__(self, helpers: list, split):
        self.helpers = helpers
        self.split = split  # DatabaseBackend._split
        self.idle: queue.SimpleQueue = queue.SimpleQueue()
        for helper in helpers:
            self.idle.put(helper)

    def run(self, batches, recount) -> int | None:
        """Build the index from ``batches`` and put it in place; None, having done nothing, when the
        index is no longer empty once the real tables are held (a record published meanwhile)."""
        params = connection.get_connection_params()
        drop_aside(params)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(NO_TIMEOUT_SQL)  # the counts, at scale, take a while
                    cursor.execute(LOCK_SQL)
                    if SearchEntry.objects.exists():
                        return None
                    real = RealTables.read(cursor)
                for table, aside in ASIDE.items():
                    self.execute(CREATE_SQL.format(aside=aside, table=table, options=real.options_aside(table)))
                count = self.load(batches)
                self.index(real.indexes, real.keys, recount)
                with connection.cursor() as cursor:
                    self.swap(cursor, real)
        except BaseException:
            drop_aside(params)
            raise
        logger.info("Search index: %s documents built aside and put in place", count)
        return count

    @contextmanager
    def helper_cursor(self):
        """A cursor of the next idle helper, in a transaction of its own with the helpers' settings."""
        helper = self.idle.get()
        try:
            with helper.transaction(), helper.cursor() as cursor:
                cursor.execute(HELPER_SQL)
                yield cursor
        finally:
            self.idle.put(helper)

    def execute(self, sql: str) -> None:
        """``sql`` (a table made, an index built, a table analysed) in the next idle helper."""
        with self.helper_cursor() as cursor:
            cursor.execute(sql)

    def load(self, batches) -> int:
        """Every batch into the tables built aside, split here and written by the next idle helper,
        at most one batch ahead per helper (memory stays bounded)."""
        text_table, entry_table = ASIDE[TEXT_TABLE], ASIDE[ENTRY_TABLE]
        columns = ", ".join(TEXT_COLUMNS)

        def write(documents) -> None:
            texts, entries = self.split(documents)
            rows = list(texts.values())
            # One transaction a batch, its load table dropped at its end (what a pooler in transaction
            # mode allows); the vectors computed as the texts are inserted.
            with self.helper_cursor() as cursor:
                cursor.execute(VECTOR_TABLE_SQL)
                ids = next_text_ids(cursor, len(rows), text_table)
                copy_loaded(cursor, VECTOR_TABLE, ids, rows)
                cursor.execute(
                    f"INSERT INTO {text_table} (id, {columns}, search_vector) {loaded_texts_sql(VECTOR_TABLE)}"
                )
                copy_entries(cursor, entry_table, entry_rows(entries, text_ids_of(ids, rows)))

        count = 0
        pending: deque = deque()
        # The objects alive before the load (Django's, the caller's) are left out of the collector's
        # passes: it would otherwise go over them again and again as the batches' rows are made.
        gc.freeze()
        with ThreadPoolExecutor(max_workers=len(self.helpers), thread_name_prefix="search-build") as pool:
            try:
                for _keys, documents in batches:
                    pending.append(pool.submit(write, documents))
                    count += len(documents)
                    if len(pending) > len(self.helpers):
                        self.wait(pending.popleft())
                while pending:
                    self.wait(pending.popleft())
            finally:
                for future in pending:
                    future.cancel()
                gc.unfreeze()
        return count

    @staticmethod
    def wait(future) -> None:
        with connection.wrap_database_errors:  # a helper's error as Django's, as this connection's would be
            future.result()

    def index(self, indexes: list[Step], keys: list[Step], recount) -> None:
        """The indexes, each table analysed once its last one is made (the statistics of an expression
        index are gathered with the table's), then the foreign keys (each waits for both tables' indexes).
        The counts are made by this connection meanwhile (``recount``, from the built entries)."""
        left = Counter(step.table for step in indexes)
        lock = threading.Lock()

        made = itertools.count(1)
        logger.info("Search index: the new tables are loaded; building their %s indexes", len(indexes))

        def build(step: Step) -> None:
            started = time.monotonic()
            self.execute(step.build)
            with lock:
                left[step.table] -= 1
                last = not left[step.table]
                done = next(made)
            logger.info(
                "Search index: index %s of %s built (%s, %.1f s)",
                done,
                len(indexes),
                step.name,
                time.monotonic() - started,
            )
            if last:
                self.execute(f"ANALYZE {ASIDE[step.table]}")

        with ThreadPoolExecutor(max_workers=len(self.helpers), thread_name_prefix="search-index") as pool:
            futures = [pool.submit(build, step) for step in indexes]
            try:
                recount(ASIDE[ENTRY_TABLE])
            finally:
                for future in futures:
                    self.wait(future)
        for table in set(ASIDE) - set(left):  # a table without any index
            self.execute(f"ANALYZE {ASIDE[table]}")
        for step in keys:
            self.execute(step.build)

    @staticmethod
    def swap(cursor, real: "RealTables") -> None:
        """The built tables, their indexes, constraints and id sequences under the real names, with
        the real tables' storage parameters and the privileges other roles held on them."""
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # a table cannot be dropped with checks pending on it
        cursor.execute(f"DROP TABLE {', '.join(reversed(ASIDE))}")
        for table, aside in ASIDE.items():
            cursor.execute(f"ALTER TABLE {aside} RENAME TO {table}")
            cursor.execute(f"ALTER TABLE {table} RESET (autovacuum_enabled)")
            for option in real.options[table]:
                if option.startswith("autovacuum_enabled="):
                    cursor.execute(f"ALTER TABLE {table} SET ({option})")
            cursor.execute(SEQUENCE_SQL, [table])
            cursor.execute(f"ALTER SEQUENCE {cursor.fetchone()[0]} RENAME TO {real.sequences[table]}")
        for step in real.indexes + real.keys:
            cursor.execute(step.rename)
        for grant in real.grants:
            cursor.execute(grant)


@dataclass
class RealTables:
    """What the real tables hold besides their rows, read from the catalogue before the build."""

    indexes: list[Step]
    keys: list[Step]
    options: dict[str, list[str]]  # storage parameters, as ``name=value``
    sequences: dict[str, str]  # the name of each table's id sequence
    grants: list[str]  # GRANT statements giving other roles their privileges again

    @classmethod
    def read(cls, cursor) -> "RealTables":
        indexes, keys = steps(cursor)
        options, sequences, grants = {}, {}, []
        for table in ASIDE:
            cursor.execute(OPTIONS_SQL, [table])
            options[table] = cursor.fetchone()[0]
            cursor.execute(SEQUENCE_SQL, [table])
            sequences[table] = cursor.fetchone()[0]
            cursor.execute(GRANTS_SQL, [table])
            grants += [
                f"GRANT {privilege} ON {table} TO {grantee}{' WITH GRANT OPTION' if grantable else ''}"
                for privilege, grantee, grantable in cursor.fetchall()
            ]
        return cls(indexes, keys, options, sequences, grants)

    def options_aside(self, table: str) -> str:
        """The storage parameters of ``table``'s built table: its own, autovacuum off until the swap."""
        kept = [option for option in self.options[table] if not option.startswith("autovacuum_enabled=")]
        return ", ".join([NO_AUTOVACUUM, *kept])
