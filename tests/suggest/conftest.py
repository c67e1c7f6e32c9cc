"""Fixtures of the suggestion tests: a model built from the shipped vocabulary files, no database."""

import json
from pathlib import Path

import pytest

from suggest.model import SUBJECT, TARGET, SuggestionModel, TermText
from suggest.store import keywords

DATA = Path(__file__).resolve().parents[2] / "content_types" / "vocabularies" / "data"


def shipped_terms() -> list[TermText]:
    """The 23 targets and the subjects as the vocabulary files and the keywords file give them."""
    gbf = json.loads((DATA / "gbf.json").read_text(encoding="utf-8"))
    subjects = json.loads((DATA / "subjects.json").read_text(encoding="utf-8"))
    phrases = keywords()
    terms = [
        TermText(
            TARGET,
            target["number"],
            f"GBF-T{target['number']}",
            target["names"],
            phrases[f"GBF-T{target['number']}"],
            target["number"],
        )
        for target in gbf["targets"]
    ]
    terms += [
        TermText(SUBJECT, 100 + position, subject["code"], subject["names"], phrases[subject["code"]])
        for position, subject in enumerate(subjects)
    ]
    return terms


@pytest.fixture(scope="session")
def terms():
    return shipped_terms()


@pytest.fixture(scope="session")
def model(terms):
    return SuggestionModel.build(terms, [])
