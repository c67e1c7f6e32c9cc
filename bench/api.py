"""Latency of the open API on demo content: a filtered list page (records of one country and one GBF
target, 50 a page), a detail, and a few other shapes — in process (Django's test client, no network)
and over HTTP (gunicorn on loopback, production settings, started by this script).

Migrates the database and loads the demo when it has no records yet (``load_demo --scale``), then,
per shape, prints the items and SQL queries of one request and p50/p95 in milliseconds over N
requests after a warm-up: in process with the item cache warm (the steady state: items are kept
under the content version) and cold (every item built, as after any publication), and over HTTP
(warm). One more line gives the cost of one more item (cold: 100 items minus 10 items, over 90).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chm_bench REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/api.py --requests 100

The database must be PostgreSQL. ``--no-http`` skips the server; ``--workers N`` gunicorn workers.
"""

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("INTEROP_API_THROTTLE_RATE", "1000000/minute")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summary(timings: list[float]) -> str:
    return (
        f"p50 {percentile(timings, 0.5):6.1f} ms, p95 {percentile(timings, 0.95):6.1f} ms, "
        f"mean {statistics.mean(timings):6.1f} ms"
    )


def busiest_filter() -> tuple[str, str]:
    """The (country, GBF target) pair that classifies the most live English records of the demo."""
    from collections import Counter

    from content_types.records.models import RecordPage

    pairs: Counter = Counter()
    pages = (
        RecordPage.objects.live()
        .filter(alias_of__isnull=True, locale__language_code="en")
        .prefetch_related("countries", "gbf_targets")
    )
    for page in pages:
        for country in page.countries.all():
            for target in page.gbf_targets.all():
                pairs[(country.code, target.code)] += 1
    (country, target), _count = pairs.most_common(1)[0]
    return country, target


def deep_positions(country: str, target: str) -> tuple[tuple[str, str], str]:
    """Cursors half-way through the unfiltered and the filtered list (``cursor=…``), and the time half
    of the records changed since (ISO 8601): pages a harvester reaches, not only the first."""
    from datetime import UTC
    from urllib.parse import urlencode

    from content_types.records.models import RecordPage
    from interop.api import selectors

    def position(query: str):
        """The item half-way through the list ``query`` selects (walked with the API's own selectors)."""
        from django.http import QueryDict

        params = QueryDict(query)
        if hasattr(selectors, "items"):
            queryset = selectors.items(RecordPage, params, kind="record", warnings=[])
        else:  # the selectors before list pages were walked along an index
            originals = selectors.public_originals(RecordPage)
            queryset = selectors.apply_filters(originals, params, kind="record", warnings=[])
        return selectors.after_cursor(queryset, None)[max(0, queryset.count() // 2 - 1)]

    cursors = []
    for query in ("", f"country={country}&target={target}"):
        cursors.append(urlencode({"cursor": selectors.cursor_after(position(query))}))
    row = position("")
    since = row.modified.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return tuple(cursors), since


class QueryCounter:
    """Counts the SQL statements run while active (``connection.execute_wrapper``: independent of
    DEBUG and of the query log, which Django empties at the start of every request)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def in_process(client, url: str, requests: int, cached: bool) -> tuple[int, int, list[float]]:
    """(items, queries of one request, timings) through the test client; ``cached`` False: no item cache."""
    from unittest import mock

    from django.db import connection

    from cms import content_version

    patch = mock.patch.object(content_version, "current", lambda: None) if not cached else nullcontext()
    # Items are kept under the base version (``versions``): off as well without the cache.
    base_patch = mock.patch.object(content_version, "versions", lambda tags=(): None) if not cached else nullcontext()
    with patch, base_patch:
        for _ in range(3):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            response = client.get(url)
        data = response.json()
        items = len(data["results"]) if "results" in data else 1
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
    return items, counter.count, timings


def start_server(workers: int):
    """gunicorn on a free loopback port under the production settings; (process, base address)."""
    import requests

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cms.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers)],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if requests.get(f"{url}/api/v1/vocabularies/languages/", timeout=2).ok:
                return server, url
        except requests.RequestException:
            time.sleep(0.5)
        if server.poll() is not None:
            break
    server.terminate()
    raise SystemExit("gunicorn did not answer: " + (server.stderr.read() or b"").decode()[-2000:])


def over_http(session, base: str, url: str, requests: int) -> list[float]:
    for _ in range(3):
        response = session.get(base + url, timeout=60)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        session.get(base + url, timeout=60).raise_for_status()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=100, help="timed requests per shape and mode (default 100)")
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale when the demo is loaded (default 1)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--no-http", action="store_true", help="in process only")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    # Production-like in process too: no debug (no query log, templates compiled once).
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    for engine in settings.TEMPLATES:
        engine.setdefault("OPTIONS", {})["debug"] = False
    call_command("migrate", verbosity=0)
    from content_types.records.models import RecordPage

    if not RecordPage.objects.exists():
        started = time.perf_counter()
        call_command("load_demo", scale=args.scale, verbosity=0)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum would make them later
        print(f"demo loaded in {time.perf_counter() - started:.0f} s")
    print(f"records: {RecordPage.objects.live().count()} live pages (every language)")
    country, target = busiest_filter()
    identifier = (
        RecordPage.objects.live().filter(alias_of__isnull=True).exclude(identifier="").order_by("pk")[0].identifier
    )
    middle, since = deep_positions(country, target)
    shapes = [
        ("filtered list", f"/api/v1/records/?country={country}&target={target}&page_size=50"),
        ("filtered, deep page", f"/api/v1/records/?country={country}&target={target}&page_size=50&{middle[1]}"),
        ("detail", f"/api/v1/records/{identifier}/?language=fr"),
        ("list of 10", "/api/v1/records/?page_size=10"),
        ("list of 100", "/api/v1/records/?page_size=100"),
        ("list, deep page", f"/api/v1/records/?page_size=50&{middle[0]}"),
        ("list, modified_since", f"/api/v1/records/?page_size=50&modified_since={since}"),
        ("changes", "/api/v1/changes/?page_size=100"),
        ("changes, since", f"/api/v1/changes/?page_size=100&since={since}"),
    ]

    client = Client()
    cold_p50 = {}
    for name, url in shapes:
        items, queries, warm = in_process(client, url, args.requests, cached=True)
        _items, cold_queries, cold = in_process(client, url, args.requests, cached=False)
        cold_p50[name] = (items, percentile(cold, 0.5))
        print(f"{name}: {url}")
        print(f"    items {items}, SQL queries {queries} (item cache warm), {cold_queries} (cold)")
        print(f"    in process, warm: {summary(warm)}")
        print(f"    in process, cold: {summary(cold)}")
    (small, small_ms), (large, large_ms) = cold_p50["list of 10"], cold_p50["list of 100"]
    if large > small:
        print(f"cost per item (cold, {small} → {large} items, p50): {(large_ms - small_ms) / (large - small):.2f} ms")

    if args.no_http:
        return
    import requests

    server, base = start_server(args.workers)
    try:
        session = requests.Session()
        print(f"over HTTP: gunicorn, {args.workers} workers, production settings, {base}")
        for name, url in shapes:
            print(f"    {name}: {summary(over_http(session, base, url, args.requests))}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
