"""The suggestion model of the current content: built from the vocabularies, the keywords file and
the published records, kept in the shared cache, and rebuilt after a record is published or
unpublished or a vocabulary term changes.

A version token in the cache names the current model: :func:`refresh` retires it, and every process
then builds (or reads) the next one once. When the cache is down, a process keeps the model it built
for ``LOCAL_SECONDS`` (fail open: suggestions slow down, they never fail).
"""

import json
import logging
import time
import uuid
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from django.db import transaction

from .model import SUBJECT, TARGET, Example, SuggestionModel, TermText

logger = logging.getLogger(__name__)

KEYWORDS_FILE = Path(__file__).resolve().parent / "data" / "keywords.json"
VERSION_KEY = "chm:suggest:version"
MODEL_KEY = "chm:suggest:model:{version}"
CACHE_SECONDS = 7 * 24 * 3600
LOCAL_SECONDS = 300
NAME_FIELDS = ["name_en", "name_fr", "name_es", "name_ar", "name_ru", "name_zh"]

_local = {"version": None, "model": None, "built_at": 0.0}


@lru_cache(maxsize=1)
def keywords() -> dict:
    return json.loads(KEYWORDS_FILE.read_text(encoding="utf-8"))["terms"]


def _names(row: dict) -> dict:
    return {field.removeprefix("name_"): row[field] for field in NAME_FIELDS}


def vocabulary_terms() -> list[TermText]:
    """Every GBF target and subject with its names and keywords (two queries)."""
    from content_types.vocabularies.models import GBFTarget, Subject

    phrases = keywords()
    terms = [
        TermText(TARGET, row["pk"], row["code"], _names(row), phrases.get(row["code"], {}), row["number"])
        for row in GBFTarget.objects.order_by("number").values("pk", "code", "number", *NAME_FIELDS)
    ]
    terms += [
        TermText(SUBJECT, row["pk"], row["code"], _names(row), phrases.get(row["code"], {}))
        for row in Subject.objects.order_by("code").values("pk", "code", *NAME_FIELDS)
    ]
    return terms


def published_examples(queryset=None) -> list[Example]:
    """Each published record (not an alias) as an example: its language, title and summary, and
    the codes of its targets and subjects (three queries, whatever the number of records)."""
    from content_types.records.models import RecordPage

    records = queryset if queryset is not None else RecordPage.objects.live().filter(alias_of__isnull=True)
    rows = list(records.values("pk", "title", "summary", "record_type", "locale__language_code"))
    ids = [row["pk"] for row in rows]
    codes = {pk: set() for pk in ids}
    through_targets = RecordPage.gbf_targets.through
    through_subjects = RecordPage.subjects.through
    target_column = RecordPage.gbf_targets.field.m2m_reverse_field_name()
    subject_column = RecordPage.subjects.field.m2m_reverse_field_name()
    page_column = RecordPage.gbf_targets.field.m2m_field_name()
    for pk, code in through_targets.objects.filter(**{f"{page_column}__in": ids}).values_list(
        page_column, f"{target_column}__code"
    ):
        codes[pk].add(code)
    page_column = RecordPage.subjects.field.m2m_field_name()
    for pk, code in through_subjects.objects.filter(**{f"{page_column}__in": ids}).values_list(
        page_column, f"{subject_column}__code"
    ):
        codes[pk].add(code)
    return [
        Example(
            row["locale__language_code"],
            f"{row['title']}\n{row['summary'] or ''}",
            frozenset(codes[row["pk"]]),
            row["record_type"],
        )
        for row in rows
        if codes[row["pk"]]
    ]


def build_from_database() -> SuggestionModel:
    return SuggestionModel.build(vocabulary_terms(), published_examples())


def _version() -> str | None:
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            version = uuid.uuid4().hex
            if not cache.add(VERSION_KEY, version, CACHE_SECONDS):
                version = cache.get(VERSION_KEY) or version
        return version
    except Exception:  # a cache that cannot be reached: work without it
        logger.warning("The cache cannot be reached: the suggestion model is kept by this process only.")
        return None


def current_model() -> SuggestionModel:
    """The model of the current content: this process's copy, the shared cache's, or a new build."""
    version = _version()
    now = time.monotonic()
    model = _local["model"]
    fresh = version is not None or now - _local["built_at"] < LOCAL_SECONDS
    if model is not None and _local["version"] == version and fresh:
        return model
    model = None
    if version is not None:
        try:
            model = cache.get(MODEL_KEY.format(version=version))
        except Exception:
            model = None
    if model is None:
        model = build_from_database()
        if version is not None:
            try:
                cache.set(MODEL_KEY.format(version=version), model, CACHE_SECONDS)
            except Exception:
                logger.warning("The suggestion model could not be stored in the cache.")
    _local.update(version=version, model=model, built_at=now)
    return model


def _retire() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, CACHE_SECONDS)
    except Exception:
        logger.warning("The cache cannot be reached: other processes keep their suggestion model a while.")
    _local.update(version=None, model=None, built_at=0.0)


def refresh() -> None:
    """Retire the current model now and again after the commit (nobody keeps what it read before)."""
    _retire()
    transaction.on_commit(_retire)
