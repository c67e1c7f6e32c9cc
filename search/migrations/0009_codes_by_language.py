# A text's stored codes grouped by the language showing it (``{"fr": ["country:GM", "type:…"], …}``), so
# that a count reads the visitor language's codes alone (``locale_codes -> 'fr'``) instead of every
# language's, filtered element by element: 9.7 -> 3.0 ms for 818 texts at 100,000 records. The vector keeps
# its lexemes (``config:french``, ``fr|*``, ``fr|country:GM``), built from the list as before.

from django.db import migrations

FUNCTIONS_SQL = r"""
CREATE OR REPLACE FUNCTION chm_search_codes_by_locale(codes text[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT COALESCE(jsonb_object_agg(locale, shown ORDER BY locale), '{}'::jsonb) FROM (
        SELECT split_part(code, '|', 1) AS locale,
               COALESCE(
                   jsonb_agg(substr(code, strpos(code, '|') + 1) ORDER BY code) FILTER (WHERE right(code, 2) <> '|*'),
                   '[]'::jsonb
               ) AS shown
        FROM unnest(codes) AS code WHERE strpos(code, '|') > 0 GROUP BY 1
    ) AS grouped
$$;
CREATE OR REPLACE FUNCTION chm_search_locale_codes_list(config text, by_locale jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ARRAY['config:' || config] || ARRAY(
        SELECT code FROM (
            SELECT shown.key || '|*' AS code FROM jsonb_each(by_locale) AS shown
            UNION ALL
            SELECT shown.key || '|' || code.value FROM jsonb_each(by_locale) AS shown,
                jsonb_array_elements_text(shown.value) AS code (value)
        ) AS listed ORDER BY code
    )
$$;
"""
FORWARD_SQL = """
UPDATE chm_search_searchtext
SET locale_codes = chm_search_codes_by_locale(ARRAY(SELECT jsonb_array_elements_text(locale_codes)))
WHERE jsonb_typeof(locale_codes) = 'array'
"""
BACKWARD_SQL = """
UPDATE chm_search_searchtext
SET locale_codes = to_jsonb(chm_search_locale_codes_list(search_config, locale_codes))
WHERE jsonb_typeof(locale_codes) = 'object'
"""


def grouped(codes: list[str]) -> dict[str, list[str]]:
    """The list's ``<locale>|<code>`` grouped by locale (``<locale>|*`` says the language shows the text)."""
    by_locale: dict[str, list[str]] = {}
    for code in sorted(codes):
        locale, bar, rest = code.partition("|")
        if bar:
            shown = by_locale.setdefault(locale, [])
            if rest != "*":
                shown.append(rest)
    return dict(sorted(by_locale.items()))


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS_SQL)
        schema_editor.execute(FORWARD_SQL)
        return
    SearchText = apps.get_model("chm_search", "SearchText")
    for text in SearchText.objects.exclude(locale_codes=None).only("pk", "locale_codes"):
        if isinstance(text.locale_codes, list):
            text.locale_codes = grouped(text.locale_codes)
            text.save(update_fields=["locale_codes"])


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD_SQL)
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS chm_search_codes_by_locale(text[]);"
            " DROP FUNCTION IF EXISTS chm_search_locale_codes_list(text, jsonb)"
        )
        return
    SearchText = apps.get_model("chm_search", "SearchText")
    for text in SearchText.objects.exclude(locale_codes=None).only("pk", "search_config", "locale_codes"):
        if isinstance(text.locale_codes, dict):
            listed = [f"{locale}|{code}" for locale, codes in text.locale_codes.items() for code in ["*", *codes]]
            text.locale_codes = [f"config:{text.search_config}", *sorted(listed)]
            text.save(update_fields=["locale_codes"])


class Migration(migrations.Migration):
    dependencies = [
        ("chm_search", "0008_texts_matched_with_their_languages"),
    ]

    operations = [migrations.RunPython(forward, backward)]
