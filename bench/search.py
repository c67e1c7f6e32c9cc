"""Benchmark of the search backends: indexing throughput and query latency.

Builds an index of N synthetic records (each in the six visitor languages, ~30 % translated, the rest
shown in their original language as aliases are) through the backend's own write paths, skipping only
page creation: a full build (``backend.rebuild``, the bulk load of an empty index on PostgreSQL), then
``--updates`` records written again with ``backend.replace`` as publishing does. Then it times
``SearchService.search`` — ranking, highlighting, nine facets with their counts, labels — with three
facets active, and a few other shapes of query.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chm_bench .venv/bin/python bench/search.py --records 10000

The database must be PostgreSQL and its name must contain "bench" (the search table is emptied);
it is created and migrated when missing. With ``ELASTICSEARCH_URL`` set, the same scenarios run on
the Elasticsearch backend (the database still holds the vocabularies).
"""

import argparse
import itertools
import os
import random
import statistics
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
os.environ.setdefault("LOG_LEVEL", "WARNING")

WORDS = {
    "en": "biodiversity invasive species wetland restoration marine protected area pollinator forest coral reef "
    "monitoring capacity training taxonomy genetic resources indigenous knowledge mangrove peatland river "
    "climate adaptation sustainable fisheries agriculture soil urban green spatial planning seagrass island "
    "grassland desert ecosystem services finance reporting indicator national strategy community seed bank",
    "fr": "biodiversité espèces envahissantes zone humide restauration aire marine protégée pollinisateurs forêt "
    "récif corallien suivi renforcement capacités formation taxonomie ressources génétiques savoirs autochtones "
    "mangrove tourbière rivière adaptation climat pêche durable agriculture sol nature urbaine planification "
    "spatiale herbier île prairie désert services écosystémiques financement rapport indicateur stratégie",
    "es": "biodiversidad especies invasoras humedal restauración área marina protegida polinizadores bosque "
    "arrecife coral seguimiento fortalecimiento capacidades formación taxonomía recursos genéticos saberes "
    "indígenas manglar turbera río adaptación clima pesca sostenible agricultura suelo planificación espacial",
    "ar": "التنوع البيولوجي الأنواع الغازية الأراضي الرطبة استعادة المناطق البحرية المحمية الملقحات الغابات "
    "الشعاب المرجانية الرصد بناء القدرات التدريب التصنيف الموارد الجينية المعارف التقليدية المانغروف الأنهار "
    "التكيف المناخ مصايد الأسماك المستدامة الزراعة التربة التخطيط المكاني الجزر المراعي الصحراء النظم",
    "ru": "биоразнообразие инвазивные виды водно-болотные угодья восстановление морские охраняемые районы "
    "опылители леса коралловые рифы мониторинг укрепление потенциала обучение таксономия генетические ресурсы "
    "традиционные знания мангровые торфяники реки адаптация климат устойчивое рыболовство сельское хозяйство",
    "zh": "生物多样性 入侵物种 湿地 恢复 海洋保护区 传粉者 森林 珊瑚礁 监测 能力建设 培训 分类学 遗传资源 传统知识 "
    "红树林 泥炭地 河流 气候适应 可持续渔业 农业 土壤 城市绿地 空间规划 海草床 岛屿 草原 荒漠 生态系统服务 资金",
}
VOCABULARY_SIZE = 4000
ZIPF_EXPONENT = 1.05
ALPHABETS = {
    "en": "abcdefghijklmnopqrstuvwxyz",
    "fr": "abcdefghijklmnopqrstuvwxyzéèàç",
    "es": "abcdefghijklmnopqrstuvwxyzñáéó",
    "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "ru": "абвгдежзийклмнопрстуфхцчшщыэюя",
    "zh": "生物多样性保护森林湿地海洋物种资源监测恢复气候农业土壤河流岛屿草原荒漠城市能力建设培训知识遗传传统",
}
ORIGINAL_WEIGHTS = {"en": 50, "fr": 15, "es": 15, "zh": 8, "ar": 6, "ru": 6}
TRANSLATED_SHARE = 0.3
HARVESTED_PORTALS = ["Kenya CHM", "Brazil CHM", "EU Biodiversity Information System"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000, help="Records to seed (default 10,000).")
    parser.add_argument("--queries", type=int, default=200, help="Timed queries per scenario (default 200).")
    parser.add_argument("--batch", type=int, default=500, help="Records per indexing batch (default 500).")
    parser.add_argument("--seed", type=int, default=5, help="Random seed (default 5).")
    parser.add_argument("--reuse", action="store_true", help="Keep the rows already seeded when their count matches.")
    parser.add_argument(
        "--updates", type=int, default=2000, help="Records written again after the build, timed apart (default 2,000)."
    )
    parser.add_argument(
        "--index-workers",
        type=int,
        default=None,
        help="Parallel workers computing the vectors of a write (SEARCH_INDEX_WORKERS; default: the setting's 2). "
        "0 keeps all the work in the writing connection, whose CPU time is the one measured.",
    )
    return parser.parse_args()


def prepare_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/chm_bench")
    name = parsed.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"The database name must contain 'bench' (its search table is emptied); got '{name}'.")
    import psycopg

    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')  # noqa: S608 - the name comes from DATABASE_URL
            print(f"Created database {name}.")


def setup_django() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # dev settings log every query in memory: not what production does

    call_command("migrate", verbosity=0)


def vocabulary(language: str, rng: random.Random) -> list[str]:
    """``VOCABULARY_SIZE`` words, most frequent first: domain words, the vocabularies' own names in that
    language (countries, subjects, GBF targets), then made-up words in the language's script."""
    from content_types.vocabularies.models import Country, GBFTarget, Subject

    words = list(dict.fromkeys(WORDS[language].split()))
    column = f"name_{language}"
    for model in (Subject, GBFTarget, Country):
        for name in model.objects.values_list(column, flat=True):
            for word in (name or "").replace(",", " ").split():
                if len(word) > 3 and word.lower() not in words:
                    words.append(word.lower())
    letters = ALPHABETS[language]
    while len(words) < VOCABULARY_SIZE:
        length = rng.randint(2, 4) if language == "zh" else rng.randint(5, 11)
        word = "".join(rng.choice(letters) for _ in range(length))
        if word not in words:
            words.append(word)
    return words[:VOCABULARY_SIZE]


class Seeder:
    """Synthetic records as the indexer would produce them, one document per visitor language."""

    def __init__(self, rng: random.Random):
        from wagtail.models import Locale

        from content_types.records.models import record_types
        from content_types.vocabularies.models import Country, GBFTarget, Language, Subject
        from search.indexing import DocumentBuilder
        from search.registry import model_label

        self.rng = rng
        self.builder = DocumentBuilder()
        self.locales = list(Locale.objects.values_list("language_code", flat=True))
        countries = list(Country.objects.filter(is_party=True).values_list("code", "region_id"))
        rng.shuffle(countries)
        self.countries = countries[:80]  # a long tail: a few countries hold most records
        self.country_weights = [1 / (rank + 1) for rank in range(len(self.countries))]
        self.targets = list(GBFTarget.objects.order_by("number").values_list("code", flat=True))
        self.subjects = list(Subject.objects.values_list("code", flat=True))
        self.languages = list(Language.objects.filter(is_un_official=True).values_list("code", flat=True))
        self.types = [model_label(model) for model in record_types()] + ["events.eventpage", "news.newsarticlepage"]
        self.words = {code: vocabulary(code, rng) for code in WORDS}
        weights = [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(VOCABULARY_SIZE)]
        self.cumulative = list(itertools.accumulate(weights))  # as weights=, without summing them per draw
        self.sequence = 0

    def text(self, language: str, count: int) -> str:
        """Words drawn with Zipf's law: a few very common, a long tail of rare ones, as in real text."""
        joiner = "" if language == "zh" else " "
        return joiner.join(self.rng.choices(self.words[language], cum_weights=self.cumulative, k=count))

    def record(self):
        from search.indexing import SearchDocument

        rng = self.rng
        self.sequence += 1
        key = str(uuid.UUID(int=rng.getrandbits(128)))
        kind = rng.choice(self.types)
        original = rng.choices(list(ORIGINAL_WEIGHTS), weights=list(ORIGINAL_WEIGHTS.values()))[0]
        chosen = rng.choices(self.countries, weights=self.country_weights, k=rng.randint(1, 2))
        countries = list(dict.fromkeys(code for code, _region in chosen))
        published = date(2015, 1, 1) + timedelta(days=rng.randint(0, 12 * 365))
        codes = {
            "type": [kind],
            "country": countries,
            "region": self.builder.region_codes([region for _code, region in chosen if region]),
            "target": sorted(set(rng.sample(self.targets, rng.randint(1, 3)))),
            "subject": rng.sample(self.subjects, rng.randint(1, 2)),
            "language": rng.sample(self.languages, rng.randint(1, 2)),
            "year": [str(published.year)],
            "source": [rng.choice(HARVESTED_PORTALS) if rng.random() < 0.1 else "local"],
        }
        if kind == "events.eventpage":
            codes["status"] = [rng.choices(["scheduled", "postponed", "cancelled"], weights=[8, 1, 1])[0]]
        identifier = f"CHM-{kind.split('.')[1][:4].upper()}-{countries[0]}-{published.year}-{self.sequence:06d}"
        texts = {}
        documents = []
        for locale in self.locales:
            language = locale.split("-")[0]
            if language != original and rng.random() >= TRANSLATED_SHARE:
                language = original  # an alias: the original's text at the locale's address
            if language not in texts:
                texts[language] = (
                    self.text(language, rng.randint(4, 8)),
                    self.text(language, 25),
                    self.text(language, 90),
                )
            title, summary, body = texts[language]
            documents.append(
                SearchDocument(
                    locale=locale,
                    translation_key=key,
                    page_id=self.sequence,
                    content_type=kind,
                    language=language,
                    title=title[:255],
                    url=f"/{locale}/records/record-{self.sequence}/",
                    summary=summary,
                    body=body,
                    identifier=identifier,
                    date=published,
                    codes=codes,
                )
            )
        return key, documents


def index_size(backend) -> int:
    if backend.name == "database":
        from search.models import SearchEntry

        return SearchEntry.objects.count()
    backend.client.indices.refresh(index=backend.alias)
    return backend.client.count(index=backend.alias)["count"]


def seed(args, rng, backend) -> None:
    """A full build of the index from nothing (``backend.rebuild``, as ``manage.py reindex`` does; on
    PostgreSQL the bulk load of an empty index), then ``--updates`` records written again through
    ``backend.replace`` in batches (what publishing does), both timed without the generation."""
    from django.db import connection

    seeder = Seeder(rng)
    expected = args.records * len(seeder.locales)
    if args.reuse and index_size(backend) == expected:
        print(f"Reusing {expected:,} rows already seeded.")
        if backend.name == "database" and args.updates:
            from search.models import SearchEntry

            keys = SearchEntry.objects.filter(locale=seeder.locales[0]).order_by("pk")
            update(args, backend, [str(key) for key in keys.values_list("translation_key", flat=True)[: args.updates]])
        return
    if backend.name == "database":
        from search.models import SearchEntry, SearchFacetCount, SearchText

        with connection.cursor() as cursor:
            tables = ", ".join(model._meta.db_table for model in (SearchEntry, SearchText, SearchFacetCount))
            cursor.execute(f"TRUNCATE {tables}")  # noqa: S608 - our own table names
    else:
        backend.clear()
    build_time = build_cpu = 0.0
    updated: list[str] = []

    def batches():
        nonlocal build_time, build_cpu
        done = 0
        while done < args.records:
            size = min(args.batch, args.records - done)
            # The generating thread's own CPU time: the index may split the previous batch in another
            # thread meanwhile, whose work a process-wide clock would take off the figures. Time this
            # thread waits for the interpreter is not taken off (the figures err on the slow side).
            before = time.thread_time()
            batch = [seeder.record() for _ in range(size)]
            updated.extend(key for key, _documents in batch[: max(0, args.updates - len(updated))])
            spent = time.thread_time() - before
            build_time += spent
            build_cpu += spent
            yield [key for key, _documents in batch], [document for _key, documents in batch for document in documents]
            done += size
            if done % (args.batch * 20) == 0 or done == args.records:
                print(f"  generated and loaded {done:>7,} records", flush=True)

    process_started = time.process_time()
    started = time.perf_counter()
    with ServerCpu() as server:
        backend.rebuild(batches())
    write_time = time.perf_counter() - started - build_time
    process_cpu = time.process_time() - process_started - build_cpu
    cpu_time = process_cpu + server.seconds if server.seconds is not None else None
    if backend.name == "database":
        with connection.cursor() as cursor:  # as autovacuum would after a bulk load
            cursor.execute(f"VACUUM ANALYZE {SearchEntry._meta.db_table}")  # noqa: S608 - our own table names
            cursor.execute(f"VACUUM ANALYZE {SearchText._meta.db_table}")  # noqa: S608
    rows = index_size(backend)
    print(
        f"Indexing, full build: {args.records:,} records = {rows:,} rows (one per language) in {write_time:.1f} s "
        f"→ {args.records / write_time:,.0f} records/s, {rows / write_time:,.0f} rows/s "
        f"(generating the synthetic documents took another {build_time:.1f} s, not counted)"
    )
    if cpu_time:
        print(
            f"  CPU time (this process {process_cpu:.1f} s + every database server process of the build, its helpers"
            f" and parallel workers included, {server.seconds:.1f} s): {cpu_time:.1f} s → "
            f"{args.records / cpu_time:,.0f} records per CPU-second"
        )
    update(args, backend, updated)


def update(args, backend, updated: list[str]) -> None:
    """Write these records again, with new content, through ``backend.replace`` (as publishing does)."""
    if not updated:
        return
    clock = CpuClock()
    again = Seeder(random.Random(args.seed + 1))
    write_time = cpu_time = 0.0
    for start in range(0, len(updated), args.batch):
        keys = updated[start : start + args.batch]
        documents = []
        for key in keys:
            _new_key, fresh = again.record()
            for document in fresh:
                document.translation_key = key
            documents += fresh
        before, cpu_before = time.perf_counter(), clock()
        backend.replace(keys, documents)
        write_time += time.perf_counter() - before
        cpu_after = clock()
        known = cpu_time is not None and cpu_before is not None and cpu_after is not None
        cpu_time = cpu_time + cpu_after - cpu_before if known else None
    print(
        f"Indexing, updates: {len(updated):,} records written again over the full index, {args.batch} per "
        f"transaction, in {write_time:.1f} s → {len(updated) / write_time:,.0f} records/s"
        + (f"; {len(updated) / (cpu_time / 1000):,.0f} records per CPU-second" if cpu_time else "")
    )


class CpuClock:
    """CPU time of this process plus the database server process serving it (Linux ``schedstat``, in
    ns): what a query costs whatever else the machine runs, where the wall-clock time also counts the
    waits for a core. ``None`` figures when the server runs elsewhere."""

    def __init__(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.path = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")
        if not self.path.exists():
            self.path = None

    def __call__(self) -> float | None:
        if self.path is None:
            return None
        try:
            server = int(self.path.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return (server + time.process_time_ns()) / 1e6  # ms


class ServerCpu:
    """CPU time of every database server process serving this database while it runs — the build's
    helper connections and parallel workers included, which come and go: their ``schedstat`` is read
    every 50 ms and the last reading of each kept. ``None`` when the server runs elsewhere."""

    def __init__(self):
        from django.db import connection

        self.database = connection.settings_dict["NAME"]
        self.first: dict[str, int] = {}
        self.last: dict[str, int] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.watch, daemon=True)

    def read(self, into: dict) -> None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                if command.startswith("postgres") and f" {self.database} " in command:
                    into[entry.name] = int((entry / "schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue

    def watch(self) -> None:
        while not self.stop.wait(0.05):
            self.read(self.last)

    def __enter__(self):
        self.read(self.first)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self.read(self.last)

    @property
    def seconds(self) -> float | None:
        if not self.last:
            return None
        return sum(value - self.first.get(pid, 0) for pid, value in self.last.items()) / 1e9


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(label: str, count: int, make_call) -> None:
    for _ in range(5):  # warm-up
        make_call()()
    durations, cpu = [], []
    estimated = 0
    clock = CpuClock()
    for _ in range(count):
        call = make_call()
        cpu_before = clock()
        started = time.perf_counter()
        result = call()
        durations.append((time.perf_counter() - started) * 1000)
        cpu_after = clock()
        if cpu_before is not None and cpu_after is not None:
            cpu.append(cpu_after - cpu_before)
        estimated += bool(getattr(result, "estimated", False))
    cpu_figures = f"cpu p50 {percentile(cpu, 0.5):6.1f} / p95 {percentile(cpu, 0.95):6.1f} ms   " if cpu else ""
    print(
        f"  {label:<44} p50 {percentile(durations, 0.5):7.1f} ms   p95 {percentile(durations, 0.95):7.1f} ms   "
        f"mean {statistics.fmean(durations):7.1f} ms   {cpu_figures}estimated {100 * estimated / count:3.0f} %"
    )


def measure(args, rng, backend) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from search.models import SearchEntry
    from search.service import SearchQuery, SearchService

    service = SearchService()
    seeder = Seeder(random.Random(args.seed))  # the same vocabularies as seeded
    if backend.name == "database":
        popular = list(SearchEntry.objects.filter(locale="en").values_list("codes", flat=True)[:2000])
    else:  # the same records as seeded, generated again
        popular = [seeder.record()[1][0].code_list for _ in range(min(args.records, 500))]
        seeder = Seeder(random.Random(args.seed))
    combos = [  # facet values that exist, weighted as they occur
        {
            facet: [next(code.split(":", 1)[1] for code in codes if code.startswith(f"{facet}:"))]
            for facet in ("type", "country", "target")
        }
        for codes in popular
    ]
    locales = ["en", "fr", "es", "ar", "ru", "zh-hans"]
    ranks = {"typical": (20, 2000), "common": (0, 5)}

    def query(text_on: bool, facets_on: bool, sort="relevance", words="typical"):
        locale = rng.choice(locales)
        low, high = ranks[words]
        text = seeder.words[locale.split("-")[0]][rng.randint(low, high)] if text_on else ""
        filters = rng.choice(combos) if facets_on else {}
        return SearchQuery(text=text, filters=filters, language=locale, sort=sort)

    def searching(text_on: bool, facets_on: bool, sort="relevance", words="typical"):
        def make():
            built = query(text_on, facets_on, sort, words)
            return lambda: service.search(built)

        return make

    def suggesting():
        prefix = seeder.words["en"][rng.randint(0, 2000)][:3]
        return lambda: service.suggest(prefix, "en")

    from search.backends import database

    # A running server has long loaded every language's dictionaries in its database connections and
    # its own per-language labels: the first search in a language costs 150-200 ms more, once. Each
    # scenario's own warm-up draws five languages at random, so every language is warmed here first.
    for locale in locales:
        word = seeder.words[locale.split("-")[0]][rng.randint(*ranks["typical"])]
        for text, filters in ((word, {}), (word, rng.choice(combos)), ("", rng.choice(combos))):
            service.search(SearchQuery(text=text, filters=filters, language=locale))
    cached = database.FACET_CACHE_SECONDS
    database.FACET_CACHE_SECONDS = 0  # measure the work itself; the cache is measured apart below
    print(
        f"Queries ({args.queries} each, full service: hits, highlights, 9 facets with counts, labels; no cache; "
        f"estimated: the share of searches answered with an estimated total):"
    )
    timed("word + 3 facets (type, country, GBF target)", args.queries, searching(True, True))
    timed("3 facets, no text, by date", args.queries, searching(False, True, "date"))
    timed("word only (rank 20-2000 of 4000)", args.queries, searching(True, False))
    timed("very common word only (top 5)", max(20, args.queries // 5), searching(True, False, words="common"))
    timed("very common word + 3 facets", args.queries, searching(True, True, words="common"))
    timed("browse everything (no text, no filter)", max(20, args.queries // 5), searching(False, False))
    timed("suggestions (3-letter prefix)", args.queries, suggesting)
    database.FACET_CACHE_SECONDS = cached or 300
    if backend.name == "database":
        print("With facet counts cached until the index changes (the search page's default view):")
        timed("browse everything, counts cached", max(20, args.queries // 5), searching(False, False))
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        service.search(query(True, True))
    print(f"SQL queries for one search with three facets: {len(captured)}")


def main():
    args = parse_args()
    prepare_database()
    setup_django()
    rng = random.Random(args.seed)  # noqa: S311 - synthetic data
    from django.db import connection

    from search.service import get_backend

    backend = get_backend()
    if args.index_workers is not None:
        from django.conf import settings

        settings.SEARCH_INDEX_WORKERS = args.index_workers
    print(f"Database: {connection.settings_dict['NAME']} on PostgreSQL {connection.pg_version // 10000}")
    print(f"Backend: {backend.name}; load average {' / '.join(f'{load:.1f}' for load in os.getloadavg())}")
    seed(args, rng, backend)
    measure(args, rng, backend)
    print(f"Load average at the end: {' / '.join(f'{load:.1f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
