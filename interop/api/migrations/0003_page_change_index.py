"""Two partial indexes of the live pages that are not aliases. First, of the time each page last
changed as the open API counts it (``interop.api.selectors.changed_at``: the same expression, or the
planner will not use it), so that its lists are read in that order from a cursor instead of being
sorted whole for every page; second, of their translation groups.

Built CONCURRENTLY: the page table stays writable meanwhile, and the index is usable as soon as it is
built (an index built in a transaction over rows updated in place may be ignored by the planner until
every transaction older than it has ended, ``pg_index.indcheckxmin``). PostgreSQL only: the embedded
SQLite database of a local run has neither the expression nor ``CONCURRENTLY``, and needs neither."""

from django.db import migrations

INDEX = "interop_api_page_changed_idx"
GROUP_INDEX = "interop_api_page_group_idx"


CREATE = [
    f"""
    CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON wagtailcore_page (
        (COALESCE(last_published_at, first_published_at, latest_revision_created_at,
                  '1970-01-01 00:00:00+00:00'::timestamptz)),
        id
    ) WHERE live AND alias_of_id IS NULL
    """,
    # The pages of a translation group that count (live, not aliases), for the checks made on each
    # page walked (is it its group's latest? which is the original?): one exact probe each.
    f"""
    CREATE INDEX CONCURRENTLY IF NOT EXISTS {GROUP_INDEX} ON wagtailcore_page (translation_key, id)
    WHERE live AND alias_of_id IS NULL
    """,
]
DROP = [f"DROP INDEX CONCURRENTLY IF EXISTS {GROUP_INDEX}", f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}"]


def _run(schema_editor, statements) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in statements:
        schema_editor.execute(statement)


def create_indexes(apps, schema_editor):
    _run(schema_editor, CREATE)


def drop_indexes(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("interop_api", "0002_tombstone_award_results"),
        ("wagtailcore", "0058_page_alias_of"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
