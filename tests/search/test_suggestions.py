"""Suggestions on PostgreSQL: titles starting with the prefix come first, alphabetically, then titles with
a word starting with it; the work is bounded whatever the prefix (a common one had every matching title
and entry read and sorted: 0.3-2.5 s at 100,000 records)."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.backends import database
from search.backends.database import DatabaseBackend
from search.indexing import SearchDocument

pytestmark = pytest.mark.django_db


def index_titles(titles, locale="en") -> None:
    keys, documents = [], []
    for number, title in enumerate(titles):
        key = str(uuid.UUID(int=number + 1))
        keys.append(key)
        documents.append(
            SearchDocument(
                locale=locale,
                translation_key=key,
                page_id=number + 1,
                content_type="records.needpage",
                language="en",
                title=title,
                url=f"/{locale}/records/record-{number}/",
                summary="",
                body="",
                tags="",
                identifier=f"CHM-NEED-FR-2026-{number:04d}",
                date=datetime.date(2026, 1, 1),
                codes={"type": ["records.needpage"]},
            )
        )
    DatabaseBackend().replace(keys, documents)


def suggested(prefix: str, language: str = "en") -> list[str]:
    return [item["title"] for item in DatabaseBackend().suggest(prefix, language)]


def test_titles_starting_with_the_prefix_come_first_in_order_whatever_their_case():
    index_titles(
        [f"Restoration plan {letter}" for letter in "QWERTYUIOPASDFGHJ"]
        + ["restoration plan b", "Restoring reefs", "Forest restoration"]
    )

    assert suggested("REST") == [
        "Restoration plan A",
        "restoration plan b",  # in order whatever the case
        "Restoration plan D",
        "Restoration plan E",
        "Restoration plan F",
        "Restoration plan G",
        "Restoration plan H",
        "Restoration plan I",
    ]  # eight start with the prefix: no title with it inside is read


def test_a_word_inside_a_title_completes_when_few_titles_start_with_the_prefix():
    index_titles(["Wetland restoration in the Sahel", "Coral reef restoration", "Restoring mangroves", "Peatlands"])

    assert suggested("resto") == ["Restoring mangroves", "Coral reef restoration", "Wetland restoration in the Sahel"]
    assert suggested("peat") == ["Peatlands"]
    assert suggested("zzz") == []


def test_the_titles_with_the_prefix_inside_are_read_in_bounded_number(monkeypatch):
    monkeypatch.setattr(database, "SUGGEST_INSIDE_ROWS", 3)
    index_titles([f"Coral reef restoration {number}" for number in range(10)])

    with CaptureQueriesContext(connection) as captured:
        found = suggested("resto")

    assert len(found) == 3
    assert any("LIMIT 3" in query["sql"] for query in captured), [query["sql"] for query in captured]


def test_wildcards_in_the_prefix_are_taken_literally():
    index_titles(["Rain forests", "Reef survey", "100% recycled paper"])

    assert suggested("r%") == []
    assert suggested("r_") == []
    assert suggested("100%") == ["100% recycled paper"]
    assert suggested("' OR 1=1 --") == []
