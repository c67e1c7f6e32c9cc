"""Latency of the open API's filtered list page on demo content, in process (no network, no server).

Migrates the database and loads the demo when it has no records yet (``load_demo --if-empty``), then
requests ``/api/v1/records/?type=need&country=FR&page_size=50`` (and a few other shapes) through
Django's test client, after a warm-up, and prints p50/p95 in milliseconds, the number of items and of
SQL queries of one request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chm_bench .venv/bin/python bench/api.py --requests 200

The database must be PostgreSQL.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("INTEROP_API_THROTTLE_RATE", "1000000/minute")

SHAPES = [
    "/api/v1/records/?type=need&country=FR&page_size=50",
    "/api/v1/records/?page_size=100",
    "/api/v1/records/?target=GBF-T3&page_size=50",
    "/api/v1/changes/?page_size=100",
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per shape (default 200)")
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale when the demo is loaded")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from content_types.records.models import RecordPage

    if not RecordPage.objects.exists():
        started = time.perf_counter()
        call_command("load_demo", scale=args.scale, verbosity=0)
        print(f"demo loaded in {time.perf_counter() - started:.0f} s")
    print(f"records: {RecordPage.objects.live().count()} live pages (every language)")

    client = Client()
    for url in SHAPES:
        for _ in range(5):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        items = len(response.json()["results"])
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        print(
            f"{url}\n    items {items}, SQL queries {len(queries)}, "
            f"p50 {percentile(timings, 0.5):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms, "
            f"mean {statistics.mean(timings):.1f} ms over {args.requests} requests"
        )


if __name__ == "__main__":
    main()
