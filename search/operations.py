"""Migration operations for what only PostgreSQL has (GIN indexes, trigram operators).

The embedded default runs on SQLite, where these indexes cannot exist; the model state still
declares them so that ``makemigrations --check`` stays clean on both databases.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class AddPostgresIndex(migrations.AddIndex):
    """``AddIndex`` that does nothing outside PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class PostgresTrigramExtension(TrigramExtension):
    """``CREATE EXTENSION pg_trgm`` on PostgreSQL (a trusted extension: no superuser needed), else nothing."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        """Leave the extension in place: other apps may use it."""


class RemovePostgresIndex(migrations.RemoveIndex):
    """``RemoveIndex`` that does nothing outside PostgreSQL (where ``AddPostgresIndex`` made none)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
