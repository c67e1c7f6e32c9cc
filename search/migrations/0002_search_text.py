# The searchable text moves to its own table, shared by a record's entries in the languages where an
# alias shows the original. Entries are derived data: they are emptied here; run `manage.py reindex`.

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models

import search.operations


class Migration(migrations.Migration):
    dependencies = [
        ("chm_search", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL("DELETE FROM chm_search_searchentry", migrations.RunSQL.noop),
        search.operations.RemovePostgresIndex(model_name="searchentry", name="chm_search_vector_gin"),
        search.operations.RemovePostgresIndex(model_name="searchentry", name="chm_search_title_trgm"),
        migrations.RemoveField(model_name="searchentry", name="body"),
        migrations.RemoveField(model_name="searchentry", name="cjk_terms"),
        migrations.RemoveField(model_name="searchentry", name="keywords"),
        migrations.RemoveField(model_name="searchentry", name="language"),
        migrations.RemoveField(model_name="searchentry", name="search_config"),
        migrations.RemoveField(model_name="searchentry", name="search_vector"),
        migrations.RemoveField(model_name="searchentry", name="summary"),
        migrations.RemoveField(model_name="searchentry", name="tags"),
        migrations.RemoveField(model_name="searchentry", name="title"),
        migrations.CreateModel(
            name="SearchText",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("translation_key", models.UUIDField(verbose_name="translation key")),
                ("language", models.CharField(max_length=16, verbose_name="language of the text")),
                (
                    "search_config",
                    models.CharField(default="simple", max_length=20, verbose_name="text search configuration"),
                ),
                ("title", models.CharField(max_length=255, verbose_name="title")),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                ("body", models.TextField(blank=True, verbose_name="body text")),
                ("tags", models.TextField(blank=True, verbose_name="vocabulary names")),
                ("keywords", models.TextField(blank=True, verbose_name="identifier and codes")),
                ("cjk_terms", models.TextField(blank=True, verbose_name="CJK bigrams")),
                ("search_vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
            ],
            options={
                "verbose_name": "search text",
                "verbose_name_plural": "search texts",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("translation_key", "language"), name="chm_search_one_text_per_language"
                    )
                ],
            },
        ),
        search.operations.AddPostgresIndex(
            model_name="searchtext",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="chm_search_text_vector_gin"),
        ),
        search.operations.AddPostgresIndex(
            model_name="searchtext",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("title"), name="gin_trgm_ops"
                ),
                name="chm_search_text_title_trgm",
            ),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="text",
            field=models.ForeignKey(
                default=0,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="entries",
                to="chm_search.searchtext",
                verbose_name="text",
            ),
            preserve_default=False,
        ),
    ]
