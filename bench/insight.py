"""What the country profiles, dashboards and decision tracker cost on demo content, in process.

Migrates the database and loads the demo when it has no records yet, then requests each page through
Django's test client and prints, per page: the SQL queries and the time of a request computed afresh
(a new content version before each, so every cached figure is recomputed), and the same served from
the cache, as medians over N requests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chm_bench .venv/bin/python bench/insight.py --requests 20

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

PAGES = [
    ("countries", None, ""),
    ("country", "FR", ""),
    ("dashboard-reporting", None, ""),
    ("dashboard-reporting", None, "?target=GBF-T3&region=150"),
    ("dashboard-progress", None, ""),
    ("dashboard-activity", None, ""),
    ("dashboard-cooperation", None, ""),
    ("decision-tracker", None, ""),
    ("decision-tracker", None, "?q=restoration&status=active"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page and mode (default 20)")
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
    from django.urls import reverse

    from cms import content_version

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from content_types.records.models import RecordPage

    if not RecordPage.objects.exists():
        started = time.perf_counter()
        call_command("load_demo", scale=args.scale, verbosity=0)
        print(f"demo loaded in {time.perf_counter() - started:.0f} s")
    print(f"records: {RecordPage.objects.live().count()} live pages (every language)")

    client = Client()

    def timed(url, fresh: bool) -> tuple[float, int]:
        timings, queries = [], 0
        for _ in range(args.requests):
            if fresh:
                content_version.start_afresh()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(captured)
        return statistics.median(timings), queries

    for name, code, query in PAGES:
        url = reverse(f"insight:{name}", kwargs={"code": code} if code else None) + query
        client.get(url)  # warm-up: what a process reads once
        fresh_ms, fresh_queries = timed(url, fresh=True)
        cached_ms, cached_queries = timed(url, fresh=False)
        print(
            f"{url}\n    afresh: {fresh_queries} SQL queries, median {fresh_ms:.1f} ms; "
            f"from the cache: {cached_queries} SQL queries, median {cached_ms:.1f} ms"
        )


if __name__ == "__main__":
    main()
