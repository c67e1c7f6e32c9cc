# The facet codes' GIN index per language: each entry's codes prefixed with its language, so that a
# filter (country:FR) reads the visitor language's entries only. PostgreSQL only.

import django.contrib.postgres.indexes
from django.db import migrations, models

import search.models
import search.operations

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION chm_search_locale_codes(locale varchar, codes jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(locale || '|' || code), '{}') FROM jsonb_array_elements_text(codes) AS code
$$
"""


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION_SQL)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS chm_search_locale_codes(varchar, jsonb)")


class Migration(migrations.Migration):
    dependencies = [
        ("chm_search", "0004_search_facet_count"),
    ]

    operations = [
        migrations.RunPython(create_function, drop_function),
        search.operations.RemovePostgresIndex(
            model_name="searchentry",
            name="chm_search_codes_gin",
        ),
        search.operations.AddPostgresIndex(
            model_name="searchentry",
            index=django.contrib.postgres.indexes.GinIndex(
                search.models.LocaleCodes(models.F("locale"), models.F("codes")), name="chm_search_locale_codes_gin"
            ),
        ),
    ]
