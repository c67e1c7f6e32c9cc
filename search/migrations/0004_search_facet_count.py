# Facet counts per visitor language, kept up to date by every write of the index, so that the search
# page without a query or a filter reads them instead of counting every entry. Filled here from the
# entries already indexed.

from django.db import migrations, models

COUNT_SQL = {
    "postgresql": """
        INSERT INTO chm_search_searchfacetcount (locale, code, count)
        SELECT locale, code, COUNT(*) FROM chm_search_searchentry, jsonb_array_elements_text(codes) AS code
        GROUP BY locale, code
        UNION ALL SELECT locale, '*', COUNT(*) FROM chm_search_searchentry GROUP BY locale
    """,
    "sqlite": """
        INSERT INTO chm_search_searchfacetcount (locale, code, count)
        SELECT locale, j.value, COUNT(*) FROM chm_search_searchentry, json_each(codes) AS j
        GROUP BY locale, j.value
        UNION ALL SELECT locale, '*', COUNT(*) FROM chm_search_searchentry GROUP BY locale
    """,
}


def count_entries(apps, schema_editor):
    sql = COUNT_SQL.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("chm_search", "0003_newest_first_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchFacetCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("locale", models.CharField(max_length=16, verbose_name="visitor language")),
                ("code", models.CharField(max_length=300, verbose_name="facet code")),
                ("count", models.IntegerField(default=0, verbose_name="entries")),
            ],
            options={
                "verbose_name": "search facet count",
                "verbose_name_plural": "search facet counts",
                "constraints": [models.UniqueConstraint(fields=("locale", "code"), name="chm_search_one_count_per_code")],
            },
        ),
        migrations.RunPython(count_entries, migrations.RunPython.noop),
    ]
