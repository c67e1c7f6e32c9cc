# Each text carries the languages that show it and their entries' codes (``fr|*``, ``fr|country:GM``) and
# its configuration (``config:french``), in a column and as lexemes of its vector: a search's texts in the
# visitor's language under its filters are found by one tsquery in the vectors' index.

from django.db import migrations, models

CODES_SQL = """
    SELECT text_id, array_agg(DISTINCT code ORDER BY code) AS codes FROM (
        SELECT text_id, locale || '|*' AS code FROM chm_search_searchentry
        UNION ALL
        SELECT text_id, locale || '|' || code FROM chm_search_searchentry, jsonb_array_elements_text(codes) AS code
    ) AS shown GROUP BY text_id
"""
BACKFILL_SQL = f"""
UPDATE chm_search_searchtext AS t
SET locale_codes = to_jsonb(ARRAY['config:' || t.search_config] || s.codes),
    search_vector = t.search_vector || array_to_tsvector(ARRAY['config:' || t.search_config] || s.codes)
FROM ({CODES_SQL}) AS s
WHERE s.text_id = t.id
"""


def backfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKFILL_SQL)
        return
    SearchText = apps.get_model("chm_search", "SearchText")
    SearchEntry = apps.get_model("chm_search", "SearchEntry")
    shown: dict[int, list[str]] = {}
    for text_id, locale, codes in SearchEntry.objects.values_list("text_id", "locale", "codes"):
        shown.setdefault(text_id, []).extend([f"{locale}|*", *(f"{locale}|{code}" for code in codes)])
    for text in SearchText.objects.filter(pk__in=list(shown)):
        text.locale_codes = [f"config:{text.search_config}", *sorted(set(shown[text.pk]))]
        text.save(update_fields=["locale_codes"])


class Migration(migrations.Migration):
    dependencies = [
        ("chm_search", "0007_text_and_language_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchtext",
            name="locale_codes",
            field=models.JSONField(blank=True, editable=False, null=True, verbose_name="languages and codes"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
