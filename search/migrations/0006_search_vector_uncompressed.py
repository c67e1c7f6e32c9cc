# Vectors are stored out of line without compression (STORAGE EXTERNAL): they hardly compress (lexemes and
# positions), and trying costs every write a pglz pass over each vector. Reads are unchanged: vectors were
# already stored out of line, uncompressed. PostgreSQL only; rows written before keep their storage.

from django.db import migrations


def set_storage(storage):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE chm_search_searchtext ALTER COLUMN search_vector SET STORAGE {storage}")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("chm_search", "0005_locale_codes_index"),
    ]

    operations = [
        migrations.RunPython(set_storage("EXTERNAL"), set_storage("EXTENDED")),
    ]
