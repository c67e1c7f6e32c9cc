"""The database backend's write paths (PostgreSQL) store the same rows whichever way they take: a small
write computes its vectors through a temporary table, a large one (``PARALLEL_TEXTS`` texts and more)
with PostgreSQL's parallel workers, copied in and out in binary; the first build of an empty index loads
in bulk. Same texts, same vectors (each part with ``to_tsvector`` in its own configuration, in the six
languages, Chinese as bigrams), same entries, same facet counts."""

import datetime
import json
import uuid

import pytest
from django.db import DataError, connection

from search.backends import database
from search.backends.database import (
    LOAD_TABLE_SQL,
    PARALLEL_PLAN_RESET_SQL,
    PARALLEL_PLAN_SQL,
    VECTOR_SQL,
    DatabaseBackend,
    loaded_texts_sql,
    text_array,
)
from search.indexing import SearchDocument
from search.models import SearchEntry, SearchFacetCount, SearchText

pytestmark = pytest.mark.django_db

LOCALES = ["ar", "en", "es", "fr", "ru", "zh-hans"]
TEXTS = {
    "en": (
        "Restoring coral reefs and the wetlands' pollinators",
        "Invasive species monitoring, community-based, in 12 marine protected areas",
        "The national strategy's indicators: 2,500 hectares restored by 2030; see https://example.org/reefs.",
    ),
    "fr": (
        "Restauration des zones humides et des récifs coralliens",
        "Espèces envahissantes : suivi participatif dans l'aire marine protégée",
        "L'Île-de-France finance la stratégie nationale ; 40 % des tourbières seront restaurées d'ici 2030.",
    ),
    "es": (
        "Restauración de humedales y arrecifes de coral",
        "Especies invasoras: seguimiento comunitario en áreas marinas protegidas",
        "La estrategia nacional prevé restaurar 2.500 hectáreas de manglares y turberas antes de 2030.",
    ),
    "ar": (
        "استعادة الأراضي الرطبة والشعاب المرجانية",
        "رصد الأنواع الغازية في المناطق البحرية المحمية",
        "تهدف الاستراتيجية الوطنية إلى استعادة 2500 هكتار من المانغروف بحلول عام 2030.",
    ),
    "ru": (
        "Восстановление водно-болотных угодий и коралловых рифов",
        "Мониторинг инвазивных видов в морских охраняемых районах",
        "Национальная стратегия предусматривает восстановление 2500 гектаров торфяников к 2030 году.",
    ),
    "zh": (
        "恢复湿地和珊瑚礁",
        "海洋保护区入侵物种监测",
        "国家战略目标：到2030年恢复2500公顷红树林和泥炭地。Kunming-Montreal 框架",
    ),
}
LANGUAGES = list(TEXTS)


def make_documents(count: int, *, variant: int = 0) -> tuple[list[str], list[SearchDocument]]:
    """``count`` records, each with an entry per locale: the original's language cycles through the six,
    one locale in three is a translation, the others aliases showing the original's text."""
    keys, documents = [], []
    for number in range(count):
        key = str(uuid.UUID(int=number + 1))
        keys.append(key)
        original = LANGUAGES[number % len(LANGUAGES)]
        codes = {
            "type": ["records.needpage" if (number + variant) % 2 else "records.offerpage"],
            "country": ["FR", "KE"][: 1 + (number + variant) % 2],
            "target": [f"GBF-T{1 + (number + variant) % 4}"],
            "year": [str(2015 + number % 10)],
            "source": ["local"],
        }
        for index, locale in enumerate(LOCALES):
            language = locale.split("-")[0]
            if language != original and (number + index) % 3:
                language = original  # an alias: the original's text at the locale's address
            title, summary, body = TEXTS[language]
            documents.append(
                SearchDocument(
                    locale=locale,
                    translation_key=key,
                    page_id=number + 1,
                    content_type=codes["type"][0],
                    language=language,
                    title=f"{title} {number} {variant}",
                    url=f"/{locale}/records/record-{number}/",
                    summary=summary,
                    body=f"{body} {number}",
                    tags="Invasive alien species · Wetlands" if index % 2 else "",
                    identifier=f"CHM-NEED-FR-2026-{number:04d}",
                    date=datetime.date(2015, 1, 1) + datetime.timedelta(days=number * 37),
                    codes=codes,
                )
            )
    return keys, documents


def stored() -> tuple[list, list, dict]:
    """Every text (with its vector), every entry (pointing at its text by record and language) and the
    maintained counts, in a fixed order and without the ids that depend on the order of writing."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT translation_key, language, search_config, title, summary, body, tags, keywords, cjk_terms,"
            " search_vector::text, locale_codes::text FROM chm_search_searchtext ORDER BY translation_key, language"
        )
        texts = cursor.fetchall()
        cursor.execute(
            "SELECT e.locale, e.translation_key, e.page_id, e.content_type, t.language, e.identifier, e.url, e.date,"
            " e.codes::text FROM chm_search_searchentry e JOIN chm_search_searchtext t ON t.id = e.text_id"
            " ORDER BY e.locale, e.translation_key"
        )
        entries = cursor.fetchall()
    counts = {(c.locale, c.code): c.count for c in SearchFacetCount.objects.all() if c.count}
    return texts, entries, counts


def recounted() -> dict:
    DatabaseBackend().recount()
    return {(c.locale, c.code): c.count for c in SearchFacetCount.objects.all() if c.count}


@pytest.fixture
def staged(monkeypatch):
    """Writes of any size take the temporary table's way (the reference)."""
    monkeypatch.setattr(database, "PARALLEL_TEXTS", 10**9)


@pytest.fixture
def parallel(monkeypatch):
    """Writes of any size take the parallel way."""
    monkeypatch.setattr(database, "PARALLEL_TEXTS", 1)


def write(keys, documents, batch: int = 7) -> None:
    backend = DatabaseBackend()
    for start in range(0, len(keys), batch):
        chosen = set(keys[start : start + batch])
        backend.replace(list(chosen), [document for document in documents if document.translation_key in chosen])


def test_parallel_and_staged_writes_store_the_same_rows(monkeypatch):
    keys, documents = make_documents(24)
    DatabaseBackend().clear()
    monkeypatch.setattr(database, "PARALLEL_TEXTS", 10**9)
    write(keys, documents)
    reference = stored()
    DatabaseBackend().clear()
    monkeypatch.setattr(database, "PARALLEL_TEXTS", 1)
    write(keys, documents)

    assert stored() == reference
    texts, entries, counts = reference
    assert len(entries) == 24 * len(LOCALES)
    assert len(texts) < len(entries)  # aliases share their original's text
    assert counts == recounted()


def test_a_text_array_reads_back_as_the_same_strings():
    values = ["en|*", 'a"quote', "back\\slash", "Kenya CHM", "x,y", "{braces}", "", "zh-hans|country:中国", "NULL"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text[]", [text_array(values)])
        assert cursor.fetchone()[0] == values


def test_the_parallel_workers_compute_the_vectors():
    """In the plan of a large write, the vectors are computed below the Gather node, by each worker for
    its share of the rows: anything parallel-restricted in the expression (a sub-select) would leave
    them all to the leader, one core, whatever the number of workers."""
    with connection.cursor() as cursor:
        cursor.execute(LOAD_TABLE_SQL.format(table="chm_search_text_load_plan", workers=2))
        cursor.execute(PARALLEL_PLAN_SQL.format(workers=2))
        cursor.execute(f"EXPLAIN (VERBOSE, FORMAT JSON) {loaded_texts_sql('chm_search_text_load_plan')}")
        plan = cursor.fetchone()[0][0]["Plan"]
        cursor.execute(PARALLEL_PLAN_RESET_SQL)
    assert plan["Node Type"] == "Gather" and plan["Workers Planned"] == 2
    (scan,) = plan["Plans"]
    assert scan["Node Type"] == "Seq Scan" and scan["Parallel Aware"]
    assert any("to_tsvector" in output for output in scan["Output"])
    assert "SubPlan" not in json.dumps(plan)


def test_vectors_are_each_part_in_its_own_configuration(parallel):
    keys, documents = make_documents(12)
    DatabaseBackend().clear()
    write(keys, documents, batch=12)
    with connection.cursor() as cursor:
        # The vector stored is the one the expression gives for the stored parts, row by row.
        # (computed from the list of the codes, as the staged and loaded texts hold them)
        stored = (
            "SELECT language, search_config, title, summary, body, tags, keywords, cjk_terms, search_vector,"
            " chm_search_locale_codes_list(search_config, locale_codes) AS locale_codes FROM chm_search_searchtext"
        )
        cursor.execute(f"SELECT language FROM ({stored}) AS stored WHERE search_vector IS DISTINCT FROM {VECTOR_SQL}")  # noqa: S608
        assert cursor.fetchall() == []
        cursor.execute(
            "SELECT DISTINCT ON (language) language, search_config, search_vector::text FROM chm_search_searchtext"
            " ORDER BY language, translation_key"
        )
        rows = {language: (config, vector) for language, config, vector in cursor.fetchall()}
    assert sorted(rows) == sorted(LANGUAGES)
    assert rows["en"][0] == "english" and "'restor':1A" in rows["en"][1]  # stemmed, weighted
    assert rows["fr"][0] == "french" and "'humid':4A" in rows["fr"][1]
    assert rows["ru"][0] == "russian" and "'водно-болотн':2A" in rows["ru"][1]
    assert rows["zh"][0] == "simple" and "'湿地'" in rows["zh"][1] and "'珊瑚'" in rows["zh"][1]  # bigrams
    assert "'chm-need-fr':" in rows["ar"][1] and "'gbf-t1':" in rows["ar"][1]  # identifier and codes, 'simple'


def test_a_large_replace_changes_the_counts_as_a_recount_would(parallel):
    keys, documents = make_documents(30)
    DatabaseBackend().clear()
    write(keys, documents, batch=30)
    _keys, changed = make_documents(30, variant=1)  # reclassified and retitled
    backend = DatabaseBackend()
    backend.replace(keys[:20], [document for document in changed if document.translation_key in keys[:20]])
    backend.replace(keys[20:25], [])  # unpublished

    texts, entries, counts = stored()
    assert counts == recounted()
    assert counts[("en", "*")] == 25
    assert len(entries) == 25 * len(LOCALES)
    assert sum(1 for row in texts if row[3].endswith(" 1")) == sum(1 for row in texts if str(row[0]) in keys[:20])


def backend_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


@pytest.mark.parametrize("helpers", [0, 1, 2])
def test_the_first_build_stores_what_replacing_stores(monkeypatch, settings, helpers):
    """The bulk load of an empty index, its vectors computed in helper connections (1, 2) or in its own
    (0), stores what publishing the same documents one group at a time stores, and closes its helpers."""
    keys, documents = make_documents(18)
    DatabaseBackend().clear()
    write(keys, documents)
    reference = stored()
    DatabaseBackend().clear()
    monkeypatch.setattr(database, "PARALLEL_TEXTS", 1)
    settings.SEARCH_INDEX_WORKERS = helpers
    batches = [
        (keys[start : start + 4], [d for d in documents if d.translation_key in keys[start : start + 4]])
        for start in range(0, 18, 4)
    ]
    before = backend_connections()
    assert DatabaseBackend().rebuild(iter(batches)) == len(documents)  # the bulk load of an empty index

    assert stored() == reference
    assert backend_connections() == before


def test_a_first_build_whose_helpers_cannot_connect_computes_its_vectors_itself(settings, caplog, monkeypatch):
    """With the helpers' connections refused (the database's address now a closed port), the first
    build computes its vectors in its own connection, a warning logged, and stores what publishing
    the same documents stores."""
    import socket

    keys, documents = make_documents(8)
    DatabaseBackend().clear()
    write(keys, documents)
    reference = stored()
    DatabaseBackend().clear()
    settings.SEARCH_INDEX_WORKERS = 2
    batches = [(chosen, [d for d in documents if d.translation_key in chosen]) for chosen in (keys[:4], keys[4:])]
    with socket.socket() as closed:  # bound, never listening: connections to it are refused
        closed.bind(("127.0.0.1", 0))
        monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(connection.settings_dict, "PORT", str(closed.getsockname()[1]))
        assert DatabaseBackend().rebuild(iter(batches)) == len(documents)

    assert stored() == reference
    assert "could not be opened" in caplog.text


def test_a_first_build_that_fails_keeps_nothing_and_closes_its_helpers(settings):
    """A batch that cannot be made (here: a text too long for its column, refused by a helper's copy)
    rolls the whole build back, and no helper connection is left open."""
    keys, documents = make_documents(12)
    DatabaseBackend().clear()
    settings.SEARCH_INDEX_WORKERS = 2
    for document in documents:
        if document.translation_key == keys[-1]:
            document.title = "x" * 300
    batches = [
        (keys[start : start + 3], [d for d in documents if d.translation_key in keys[start : start + 3]])
        for start in range(0, 12, 3)
    ]
    before = backend_connections()
    with pytest.raises(DataError):
        DatabaseBackend().rebuild(iter(batches))

    assert not SearchText.objects.exists() and not SearchEntry.objects.exists()
    assert backend_connections() == before


def test_no_load_table_is_left_behind(parallel):
    keys, documents = make_documents(6)
    write(keys, documents, batch=6)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'chm_search_text_load_%%'")
        assert cursor.fetchone() == (0,)


@pytest.mark.django_db(transaction=True)
def test_concurrent_large_writes_both_commit_with_exact_counts(parallel):
    """Two connections writing large batches at once (each through a load table named after its
    connection) both commit, and the maintained counts are those a recount gives."""
    import threading

    from django.db import connections

    keys, documents = make_documents(24)
    DatabaseBackend().clear()
    halves = [keys[:12], keys[12:]]
    started = threading.Barrier(2)
    errors = []

    def writer(chosen):
        try:
            started.wait(timeout=10)
            DatabaseBackend().replace(chosen, [d for d in documents if d.translation_key in chosen])
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(half,)) for half in halves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    texts, entries, counts = stored()
    assert len(entries) == 24 * len(LOCALES)
    assert counts == recounted()


@pytest.mark.parametrize("way", ["staged", "parallel"])
def test_each_text_lists_the_languages_showing_it_and_their_codes(monkeypatch, way):
    """``locale_codes``: for each language with an entry showing the text, that entry's codes — exactly
    what the entries say, on both ways of writing, after an update too; the vector holds them as
    ``config:<configuration>``, ``<locale>|*`` and ``<locale>|<code>``."""
    monkeypatch.setattr(database, "PARALLEL_TEXTS", 10**9 if way == "staged" else 1)
    keys, documents = make_documents(12)
    DatabaseBackend().clear()
    write(keys, documents, batch=12)
    write(keys[:3], [document for document in documents if document.translation_key in keys[:3]], batch=3)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.id, t.search_config, t.locale_codes, chm_search_locale_codes_list(t.search_config,"
            " t.locale_codes), tsvector_to_array(t.search_vector), e.locale, e.codes FROM chm_search_searchtext t"
            " JOIN chm_search_searchentry e ON e.text_id = t.id"
        )
        rows = cursor.fetchall()
    expected: dict[int, dict] = {}
    stored_codes: dict[int, dict] = {}
    for text_id, config, locale_codes, listed, lexemes, locale, codes in rows:
        locale_codes, codes = json.loads(locale_codes), json.loads(codes)  # jsonb is read as its text
        expected.setdefault(text_id, {})[locale] = sorted(codes)
        stored_codes[text_id] = locale_codes
        assert listed[0] == f"config:{config}"
        assert {f"{locale}|*", *(f"{locale}|{code}" for code in codes)} <= set(listed) <= set(lexemes)
    assert expected
    for text_id, by_locale in expected.items():
        assert stored_codes[text_id] == by_locale


def test_the_codes_are_grouped_alike_in_python_and_in_sql():
    codes = ["config:french", "fr|*", "fr|type:need", "fr|country:GM", "en|*", "zh-hans|*", "zh-hans|year:2026"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT chm_search_codes_by_locale(%s::text[])::text", [codes])
        grouped = json.loads(cursor.fetchone()[0])
        cursor.execute("SELECT chm_search_locale_codes_list('french', %s::jsonb)", [json.dumps(grouped)])
        listed = cursor.fetchone()[0]
    assert grouped == database.codes_by_locale(codes)
    assert grouped == {"en": [], "fr": ["country:GM", "type:need"], "zh-hans": ["year:2026"]}
    assert listed == [codes[0], *sorted(codes[1:])]


def test_a_text_s_codes_are_grouped_as_sql_groups_its_list():
    """The codes stored grouped by language are made with the text's list: the same as grouping that list in
    SQL (``chm_search_codes_by_locale``), codes repeated or none at all included."""
    documents = [
        SearchDocument(
            locale=locale,
            translation_key="k",
            page_id=number,
            content_type="records.needpage",
            language="fr",
            title="t",
            url=f"/{locale}/t/",
        )
        for number, locale in enumerate(["fr", "en", "zh-hans"], start=1)
    ]
    code_lists = [
        ["type:need", "country:GM", "region:002", "country:GM"],
        [],
        ["year:2026", "target:GBF-T10", "target:GBF-T2"],
    ]
    encoded = {}  # as _split keeps it across a write's texts
    codes = database.text_locale_codes("french", documents, code_lists, encoded)
    # A language twice (never from _split: one entry per language and text): its codes together.
    twice = database.text_locale_codes("french", documents[:1] * 2, [code_lists[0], code_lists[2]], encoded)
    with connection.cursor() as cursor:
        cursor.execute("SELECT chm_search_codes_by_locale(%s::text[])::text", [list(codes)])
        in_sql = json.loads(cursor.fetchone()[0])
        cursor.execute("SELECT chm_search_codes_by_locale(%s::text[])::text", [list(twice)])
        twice_in_sql = json.loads(cursor.fetchone()[0])
    assert json.loads(codes.grouped) == in_sql == database.codes_by_locale(codes)
    assert in_sql["fr"] == ["country:GM", "region:002", "type:need"] and in_sql["en"] == []
    assert json.loads(twice.grouped) == twice_in_sql == database.codes_by_locale(twice)
    assert len(twice_in_sql["fr"]) == 6
