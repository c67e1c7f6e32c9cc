"""The controlled vocabularies with their codes and their names in the six languages."""

from content_types.vocabularies.models import NAME_LANGUAGES, Country, GBFTarget, Language, Region, Subject

# Column suffix of a name → the portal's language code.
NAME_COLUMNS = {code: ("zh-hans" if code == "zh" else code) for code in NAME_LANGUAGES}

VOCABULARIES = {
    "targets": (GBFTarget, {"goal": "goal__code"}),
    "countries": (Country, {"region": "region__code"}),
    "regions": (Region, {"parent": "parent__code"}),
    "subjects": (Subject, {"broader": "broader__code"}),
    "languages": (Language, {}),
}


def vocabulary_terms(name: str) -> list[dict]:
    model, links = VOCABULARIES[name]
    columns = [f"name_{code}" for code in NAME_COLUMNS]
    rows = model.objects.order_by("code").values("code", *columns, *links.values())
    return [
        {
            "code": row["code"],
            "names": {language: row[f"name_{code}"] or row["name_en"] for code, language in NAME_COLUMNS.items()},
            **{field: row[path] for field, path in links.items()},
        }
        for row in rows
    ]
