"""Load the shipped vocabularies (``data/*.json``) into the database, idempotently by code.

Used by the data migration with historical models, and callable again after an update of the files.
"""

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read(name: str):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _names(names: dict) -> dict:
    return {f"name_{code}": names.get(code, "") for code in ("en", "fr", "es", "ar", "ru", "zh")}


def load_vocabularies(models) -> None:
    """``models`` maps a model name to its class (real or historical); vocabularies whose model
    is not in ``models`` (older migration states) are skipped."""
    load_gbf(models)
    load_places(models)
    load_subjects(models)
    if "Language" in models:
        load_languages(models)


def load_gbf(models) -> None:
    gbf = read("gbf.json")
    goals = {}
    for goal in gbf["goals"]:
        goals[goal["code"]], _ = models["GBFGoal"].objects.update_or_create(
            code=goal["code"], defaults={"letter": goal["letter"], **_names(goal["names"])}
        )
    for target in gbf["targets"]:
        models["GBFTarget"].objects.update_or_create(
            code=f"GBF-T{target['number']}",
            defaults={"number": target["number"], "goal": goals[target["goal"]], **_names(target["names"])},
        )


def load_places(models) -> None:
    regions = {}
    for region in read("regions.json"):
        regions[region["code"]], _ = models["Region"].objects.update_or_create(
            code=region["code"],
            defaults={"parent": regions.get(region["parent"]), **_names(region["names"])},
        )

    for country in read("countries.json"):
        models["Country"].objects.update_or_create(
            code=country["code"],
            defaults={
                "alpha3": country["alpha3"],
                "m49": country["m49"],
                "region": regions.get(country["subregion"]),
                "is_party": country["party"],
                "is_un_member": country["un_member"],
                **_names(country["names"]),
            },
        )


def load_subjects(models) -> None:
    for subject in read("subjects.json"):
        models["Subject"].objects.update_or_create(code=subject["code"], defaults=_names(subject["names"]))


def load_languages(models) -> None:
    for language in read("languages.json"):
        models["Language"].objects.update_or_create(
            code=language["code"], defaults={"is_un_official": language["un_official"], **_names(language["names"])}
        )
