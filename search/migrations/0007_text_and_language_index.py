# The entries' index on their text becomes (text, language): a search that found its texts reads the
# visitor language's entries of those texts only, not all six. Added before the old one goes. On
# PostgreSQL the foreign key's own index is dropped; SQLite would rebuild the whole table for it (with
# the PostgreSQL-only indexes the state declares), so the embedded default keeps it.

import django.db.models.deletion
from django.db import migrations, models


def drop_text_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("chm_search", "SearchEntry")
    for name in schema_editor._constraint_names(model, ["text_id"], index=True, unique=False, primary_key=False):
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def restore_text_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS chm_search_searchentry_text_id ON chm_search_searchentry (text_id)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("chm_search", "0006_search_vector_uncompressed"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["text", "locale"], name="chm_search_text_locale"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="searchentry",
                    name="text",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entries",
                        to="chm_search.searchtext",
                        verbose_name="text",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_text_index, restore_text_index)],
        ),
    ]
