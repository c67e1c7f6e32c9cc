"""Benchmark of the public pages: CPU time and queries per request, at 1x and 10x demo content.

For each scale it builds (or reuses) a PostgreSQL database filled by ``load_demo --scale N``, then
requests every public page type in-process with Django's test client under production-like settings
(DEBUG off, cached template loader, the shared Redis cache when ``REDIS_URL`` is set) and measures the
CPU time of each request (``time.process_time``: the web process's work, database waits excluded),
median and p90 over N requests, and the number of SQL queries. No HTTP cache sits in front: every
request renders its page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chm_bench REDIS_URL=redis://127.0.0.1:6379/5 \
        .venv/bin/python bench/pages.py --scales 1,10

The database of scale N is ``<name of DATABASE_URL>_x<N>`` (``chm_bench_x1``, ``chm_bench_x10``); the
name must contain "bench". Each scale runs in its own process (one database per process).
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

LISTING_SIZES = (10, 100)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10", help="Demo content scales, comma-separated (default 1,10).")
    parser.add_argument("--requests", type=int, default=30, help="Timed requests per page (default 30).")
    parser.add_argument("--warmup", type=int, default=3, help="Untimed requests per page first (default 3).")
    parser.add_argument("--only", default="", help="Only the pages whose name contains this text.")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="Empty the shared cache before every measured request (routes, cards, fragments: a page's "
        "first request after a deploy or a publication), instead of measuring the steady state.",
    )
    parser.add_argument(
        "--after-edit",
        action="store_true",
        help="Retire what an edit to the page (to one of its items, for a listing) retires before every measured "
        "request: the page's own content rendered again, the rest of the site kept (its first request after "
        "an editor published it), instead of the steady state.",
    )
    parser.add_argument("--json", action="store_true", help="Print the rows as JSON lines instead of a table.")
    parser.add_argument("--worker", type=float, help=argparse.SUPPRESS)
    return parser.parse_args()


def scale_label(scale: float) -> str:
    return f"x{scale:g}".replace(".", "_")


def scale_database_url(scale: float) -> str:
    url = os.environ.get("DATABASE_URL", "")
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not parsed.scheme.startswith("postgres") or "bench" not in name:
        sys.exit("DATABASE_URL must name a PostgreSQL database whose name contains 'bench'.")
    return urlunparse(parsed._replace(path=f"/{name}_{scale_label(scale)}"))


def progress(message: str) -> None:
    """A line on stderr: the table goes to stdout."""
    print(message, file=sys.stderr, flush=True)


# --- the worker: one scale, one database ---------------------------------------------------------
def prepare_database(scale: float) -> None:
    """Create, migrate and fill the scale's database unless a finished build is recorded on it (as
    the database's comment: a build that was cut off is resumed, the demo builders being idempotent).

    An existing database is migrated first in every case: one built by older code gets the tables
    and columns the code measured now expects."""
    import psycopg
    from django.core.management import call_command

    parsed = urlparse(os.environ["DATABASE_URL"])
    name = parsed.path.lstrip("/")
    admin = urlunparse(parsed._replace(path="/postgres"))
    done = f"demo content at scale {scale:g}"
    with psycopg.connect(admin, autocommit=True) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if row is None:
            progress(f"Creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False, stdout=io.StringIO())
    progress(f"Migrated {name} in {time.monotonic() - started:.1f} s")
    if row is not None and row[0] == done:
        return
    progress(f"Loading demo content at scale {scale:g} into {name}")
    started, cpu = time.monotonic(), time.process_time()
    load_demo_content(scale)
    progress(
        f"Demo content at scale {scale:g} loaded in {time.monotonic() - started:.0f} s "
        f"({time.process_time() - cpu:.0f} s CPU in this process)"
    )
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"COMMENT ON DATABASE \"{name}\" IS '{done}'")


def load_demo_content(scale: float) -> None:
    """``load_demo --scale N`` itself: one transaction, the index work deferred to one pass at the
    end, the aliases created in bulk. Demo users get a fast password hash."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("load_demo", scale=scale, verbosity=0, stdout=io.StringIO())  # stdout carries the rows


def page_urls() -> list[tuple[str, str, int | None, object]]:
    """(name, path, items per page, the page an edit to which ``--after-edit`` plays: the page itself, one
    of a listing's items, None for the home and search pages) for every public page type, in English."""
    from wagtail.models import Locale

    from content_types.events.models import EventIndexPage, EventPage
    from content_types.networks.models import NetworkIndexPage, NetworkPage
    from content_types.news.models import NewsArticlePage, NewsIndexPage
    from content_types.records.models.index import RecordIndexPage, record_types

    english = Locale.objects.get(language_code="en")

    def first(model, **filters):
        return model.objects.live().public().filter(locale=english, alias_of__isnull=True, **filters).first()

    home = Locale.objects.get(language_code="en")
    urls = [("home", f"/{home.language_code}/", None, None)]
    for name, model, item_model in (
        ("records listing", RecordIndexPage, record_types()[0]),
        ("events listing", EventIndexPage, EventPage),
        ("networks listing", NetworkIndexPage, NetworkPage),
        ("news listing", NewsIndexPage, NewsArticlePage),
    ):
        index = first(model)
        item = first(item_model)
        for size in LISTING_SIZES:
            urls.append((name, f"{index.url}?per_page={size}", size, item))
    for model in record_types():
        record = first(model)
        if record is not None:
            urls.append((f"record: {model._meta.model_name.removesuffix('page')}", record.url, None, record))
    for name, model in (("event page", EventPage), ("network page", NetworkPage), ("news page", NewsArticlePage)):
        page = first(model)
        if page is not None:
            urls.append((name, page.url, None, page))
    for size in LISTING_SIZES:
        urls.append(("search", f"/{english.language_code}/search/?q=biodiversity&per_page={size}", size, None))
    return urls


def measure(client, path: str, requests: int, warmup: int, cold: bool = False, edited=None) -> dict:
    """``edited``: a page whose edit is played before each measured request (``--after-edit``)."""
    from django.core.cache import cache
    from django.db import connection

    from cms import content_version

    def forget():
        # Outside the timing: only the request is measured.
        if cold:
            cache.clear()
        elif edited is not None:
            # What publishing this page retires (its own tags, its kind's listings and facets), or
            # everything for a page whose change concerns more than itself.
            tags = content_version.page_change_tags(edited)
            if tags:
                content_version.changed(*tags)
            else:
                content_version.bump()

    for _ in range(warmup):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        if response.status_code != 200:
            progress(f"    {path} answered {response.status_code}; not measured")
            return {"median": float("nan"), "p90": float("nan"), "queries": -1, "kb": 0.0}
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    forget()
    with connection.execute_wrapper(count):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    times = []
    for _ in range(requests):
        forget()
        started = time.process_time()
        client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        times.append((time.process_time() - started) * 1000)
    times.sort()
    return {
        "median": statistics.median(times),
        "p90": times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))],
        "queries": len(queries),
        "kb": len(response.content) / 1024,
    }


def worker(scale: float, args) -> None:
    os.environ["DATABASE_URL"] = scale_database_url(scale)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django
    from django.conf import settings

    # Each scale's database numbers its pages alike: its cache entries (routes, cards, fragments, the
    # content version itself) are kept apart from the other scales' in the shared Redis.
    settings.CACHES["default"]["KEY_PREFIX"] = urlparse(os.environ["DATABASE_URL"]).path.lstrip("/")
    django.setup()
    # Production-like: no debug (templates compiled once by the cached loader, no query log).
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    for engine in settings.TEMPLATES:
        engine.setdefault("OPTIONS", {})["debug"] = False
    prepare_database(scale)

    from django.test import Client

    client = Client()
    urls = page_urls()
    for name, path, size, item in urls:
        if args.only and args.only not in name:
            continue
        progress(f"  {scale_label(scale)} {name} {'' if size is None else size}".rstrip())
        row = {"scale": scale_label(scale), "page": name, "per_page": size, "path": path}
        edited = item if args.after_edit else None
        row.update(measure(client, path, args.requests, args.warmup, args.cold, edited))
        print(json.dumps(row), flush=True)


# --- the driver ------------------------------------------------------------------------------
def print_table(rows: list[dict]) -> None:
    header = f"{'page':<26} {'per page':>8} {'scale':>6} {'median ms':>10} {'p90 ms':>8} {'queries':>8} {'KB':>7}"
    print(header)
    print("-" * len(header))
    rows = sorted(rows, key=lambda row: (row["order"], row["per_page"] or 0, float(row["scale"][1:])))
    for row in rows:
        per_page = "" if row["per_page"] is None else str(row["per_page"])
        print(
            f"{row['page']:<26} {per_page:>8} {row['scale']:>6} {row['median']:>10.1f} {row['p90']:>8.1f} "
            f"{row['queries']:>8} {row['kb']:>7.1f}"
        )


def main():
    args = parse_args()
    if args.worker is not None:
        worker(args.worker, args)
        return
    rows, order = [], {}
    for raw in args.scales.split(","):
        scale = float(raw)
        scale_database_url(scale)  # refuse early
        progress(f"Scale {scale:g}")
        command = [sys.executable, __file__, "--worker", str(scale), "--requests", str(args.requests)]
        command += ["--warmup", str(args.warmup), "--only", args.only] + (["--cold"] if args.cold else [])
        command += ["--after-edit"] if args.after_edit else []
        result = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603
        if result.returncode:
            progress(f"Scale {scale:g} stopped with status {result.returncode}; its rows so far follow")
        for line in result.stdout.splitlines():
            if not line.startswith("{"):
                progress(f"  (not a row) {line}")
                continue
            row = json.loads(line)
            row["order"] = order.setdefault(row["page"], len(order))
            rows.append(row)
    if args.cold:
        progress("Each request after the shared cache was emptied (--cold).")
    elif args.after_edit:
        progress("Each request after an edit to the page, or to one item of a listing (--after-edit).")
    else:
        progress("Steady state: the shared cache kept between requests (--cold empties it before each).")
    if args.json:
        for row in rows:
            print(json.dumps(row))
    else:
        print_table(rows)


if __name__ == "__main__":
    main()
