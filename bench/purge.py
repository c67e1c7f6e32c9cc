"""Benchmark of "publish -> fresh page everywhere" behind the shared cache.

Runs the production topology on loopback: gunicorn under ``cms.settings.production`` (static files
built by ``scripts/build-static.sh``), deploy/varnish/default.vcl in varnishd in front of it, and a
Celery worker on Redis. Every URL that shows one record is cached (its address in every language and
its aliases, the records listing in every language with and without a query string, the home pages,
search, the events feed, the sitemap); then the record is published through Wagtail's own
publishing code, and each URL is polled through the cache until it answers with an object fetched
after the publish. Prints the publish's own duration and the time until every URL is fresh.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chm_purge_bench \\
        REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/purge.py --rounds 10

The database name must contain "bench"; it is created, migrated and given the demo content when
missing. ``--eager`` runs the purge in the publishing process after commit instead of in a worker.
"""

import argparse
import http.client
import http.server
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
VCL = BASE_DIR / "deploy" / "varnish" / "default.vcl"
POLL_INTERVAL = 0.02
FRESH_TIMEOUT = 30.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="Publishes to time (default 10).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
    parser.add_argument("--eager", action="store_true", help="Purge in the publishing process, without a worker.")
    parser.add_argument("--static-root", default=str(BASE_DIR / ".local" / "bench-static"), help="Built static files.")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None:
                sys.exit(f"{what} stopped: {process.stdout.read().decode() if process.stdout else ''}")
            time.sleep(0.1)
    sys.exit(f"{what} did not start on port {port}")


def environment(args, extra: dict) -> dict:
    from cms.settings import env

    values = {key: value for key, value in os.environ.items() if key not in env.VARIABLES}
    values["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), values.get("PATH", "")])
    values.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        DATABASE_URL=os.environ["DATABASE_URL"],
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(64),
        ALLOWED_HOSTS="localhost,127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=args.static_root,
        LOG_LEVEL="WARNING",
        TWO_FACTOR_ENFORCED="false",
    )
    if not args.eager:
        values["REDIS_URL"] = os.environ["REDIS_URL"]
    values.update(extra)
    return values


def prepare(args, env_values: dict) -> None:
    url = urlparse(os.environ.get("DATABASE_URL", ""))
    if not url.scheme.startswith("postgres") or "bench" not in url.path:
        sys.exit("DATABASE_URL must name a PostgreSQL database whose name contains 'bench'.")
    if not args.eager and not os.environ.get("REDIS_URL"):
        sys.exit("REDIS_URL must point at a Redis database for the broker (or pass --eager).")
    admin = url._replace(path="/postgres").geturl()
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        name = url.path.lstrip("/")
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    manage = [sys.executable, "manage.py"]
    eager = {key: value for key, value in env_values.items() if key != "REDIS_URL"}  # index as it goes
    for command in (["migrate", "--no-input"], ["load_demo", "--if-empty"]):
        subprocess.run(manage + command, cwd=BASE_DIR, env=eager, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    if not (Path(args.static_root) / "staticfiles.json").exists():
        print("Building static files...", flush=True)
        build = [str(BASE_DIR / "scripts" / "build-static.sh")]
        subprocess.run(build, cwd=BASE_DIR, env=env_values, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


class PurgeClock(http.server.ThreadingHTTPServer):
    """A second purge address on loopback, after the cache's: notes when each purge has reached it."""

    def __init__(self):
        self.arrivals: list[float] = []
        super().__init__(("127.0.0.1", 0), _PurgeClockHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class _PurgeClockHandler(http.server.BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 - the name http.server calls
        self.server.arrivals.append(time.perf_counter())
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def start_services(args, env_values: dict, workdir: Path, purge_urls: str) -> tuple[int, list]:
    processes = []
    web_port = free_port()
    web = subprocess.Popen(  # noqa: S603
        [str(BASE_DIR / "scripts" / "serve.sh")],
        cwd=BASE_DIR,
        env={**env_values, "WEB_BIND": f"127.0.0.1:{web_port}", "WEB_CONCURRENCY": str(args.workers)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    processes.append(web)
    wait_for_port(web_port, web, "gunicorn")

    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not Path(varnishd).exists():
        sys.exit("varnishd is not installed (scripts/ensure-varnish.sh installs it).")
    config = VCL.read_text(encoding="utf-8").replace(
        '.host = "proxy";\n    .port = "80";', f'.host = "127.0.0.1";\n    .port = "{web_port}";'
    )
    (workdir / "default.vcl").write_text(config, encoding="utf-8")
    cache_port = free_port()
    cache = subprocess.Popen(  # noqa: S603
        [varnishd, "-F", "-j", "none", "-n", str(workdir / "state"), "-a", f"127.0.0.1:{cache_port}"]
        + ["-T", "none", "-f", str(workdir / "default.vcl"), "-s", "malloc,64m"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    processes.append(cache)
    wait_for_port(cache_port, cache, "varnishd")

    if not args.eager:
        # Tasks left in the queue by an earlier run would delay the purges measured here.
        celery = [sys.executable, "-m", "celery", "-A", "cms"]
        subprocess.run(celery + ["purge", "-f"], cwd=BASE_DIR, env=env_values, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        worker = subprocess.Popen(  # noqa: S603
            celery + ["worker", "--concurrency=2", "--loglevel=WARNING"],
            cwd=BASE_DIR,
            env={**env_values, "FRONTEND_CACHE_PURGE_URL": purge_urls.format(cache_port=cache_port)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(worker)
    return cache_port, processes


def fetch(port: int, path: str) -> tuple[int, str, str]:
    """(status, cached object's id, X-Cache) of ``path`` through the cache."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        client.request("GET", path, headers={"Host": "localhost"})
        response = client.getresponse()
        response.read()
        ids = (response.getheader("X-Varnish") or "").split()
        return response.status, ids[-1] if ids else "", response.getheader("X-Cache") or ""
    finally:
        client.close()


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by process ``pid`` and its live descendants (gunicorn's workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def affected_paths(record) -> list[str]:
    from wagtail.models import Locale, Page

    from content_types.events.models import EventIndexPage
    from content_types.records.models import RecordIndexPage

    paths = [page.url for page in record.get_translations(inclusive=True).live()]
    paths += [page.url for page in Page.objects.filter(alias_of=record).live()]
    for index in RecordIndexPage.objects.live():
        paths += [index.url, index.url + "?page=1", index.url + "?sort=title"]
    for locale in Locale.objects.all():
        paths.append(f"/{locale.language_code.lower()}/")
    word = record.title.split()[0]
    paths += [f"/en/search/?q={word}", f"/api/search/?q={word}", "/sitemap.xml"]
    from interop.api.kinds import identifier_of

    paths += ["/api/v1/records/", f"/api/v1/records/{identifier_of(record)}/"]
    paths += [index.url + "calendar/" for index in EventIndexPage.objects.live()]
    return sorted({path for path in paths if path})


def warm(port: int, paths: list[str]) -> dict[str, str]:
    """Cache every path; returns the id of the cached object each one is served from."""
    objects = {}
    for path in paths:
        fetch(port, path)
        status, object_id, hit = fetch(port, path)
        if status != 200 or hit != "HIT":
            sys.exit(f"{path} is not served from the cache ({status}, {hit}).")
        objects[path] = object_id
    return objects


def until_fresh(port: int, path: str, stale_object: str, since: float) -> float:
    while time.perf_counter() - since < FRESH_TIMEOUT:
        status, object_id, _hit = fetch(port, path)
        if status == 200 and object_id != stale_object:
            return time.perf_counter() - since
        time.sleep(POLL_INTERVAL)
    return float("inf")


def main() -> None:
    args = parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
    workdir = Path(tempfile.mkdtemp(prefix="chm-purge-bench-"))
    env_values = environment(args, {})
    prepare(args, env_values)
    clock = PurgeClock()
    threading.Thread(target=clock.serve_forever, daemon=True).start()
    purge_urls = "http://127.0.0.1:{cache_port}/," + clock.url
    cache_port, processes = start_services(args, env_values, workdir, purge_urls)
    try:
        os.environ.update({**env_values, "FRONTEND_CACHE_PURGE_URL": purge_urls.format(cache_port=cache_port)})
        import django

        django.setup()
        from django.db import connection, transaction
        from django.test.utils import CaptureQueriesContext

        from content_types.records.models import RecordPage

        record = (
            RecordPage.objects.live().filter(locale__language_code="en", alias_of__isnull=True).order_by("pk").first()
        ).specific
        paths = affected_paths(record)
        print(f"Record {record.pk} ({type(record).__name__}); {len(paths)} URLs show it.", flush=True)
        publish_times, purged_times, after_commit, page_times, fresh_times, slowest = [], [], [], [], [], {}
        publish_cpu, publish_queries, render_cpu, page_rerender, all_rerender = [], [], [], [], []
        web = processes[0]
        pool = ThreadPoolExecutor(max_workers=len(paths))
        for round_number in range(args.rounds + 1):
            objects = warm(cache_port, paths)
            record.title = f"{record.title.split(' ~')[0]} ~{round_number}"
            clock.arrivals.clear()
            web_cpu = tree_cpu_seconds(web.pid)
            start, cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries, transaction.atomic():
                record.save_revision().publish()
            published, cpu = time.perf_counter() - start, time.process_time() - cpu
            # The record's own page first, alone, as its next visitor asks for it; then all the others at once.
            first = until_fresh(cache_port, record.url, objects[record.url], start)
            others = [path for path in paths if path != record.url]
            stale = [objects[path] for path in others]
            durations = [first] + list(
                pool.map(until_fresh, [cache_port] * len(others), others, stale, [start] * len(others))
            )
            durations_by_path = dict(zip([record.url, *others], durations, strict=True))
            if round_number == 0:
                continue  # the first round warms the processes
            publish_times.append(published)
            publish_cpu.append(cpu)
            publish_queries.append(len(queries))
            render_cpu.append(tree_cpu_seconds(web.pid) - web_cpu)
            purged = clock.arrivals[0] - start if clock.arrivals else float("inf")
            purged_times.append(purged)
            page_rerender.append(first - purged)
            all_rerender.append(max(durations) - purged)
            after_commit.append(clock.arrivals[0] - start - published if clock.arrivals else float("inf"))
            page_times.append(first)
            fresh_times.append(max(durations))
            for path, duration in durations_by_path.items():
                slowest[path] = max(slowest.get(path, 0.0), duration)
        pool.shutdown()
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(workdir, ignore_errors=True)

    def figures(values):
        values = sorted(values)
        p90 = values[min(len(values) - 1, int(round(0.9 * (len(values) - 1))))]
        median = statistics.median(values)
        return f"median {median * 1000:7.1f} ms   p90 {p90 * 1000:7.1f} ms   max {values[-1] * 1000:7.1f} ms"

    mode = "eager (in the publishing process)" if args.eager else "Celery worker on Redis"
    print(f"Purge: {mode}; {args.rounds} publishes; {len(paths)} URLs polled through Varnish.")
    print(f"publish (transaction, purge queued)     {figures(publish_times)}")
    print("1. the purge (commit -> the cache is told):")
    print(f"publish -> purge has reached the cache {figures(purged_times)}")
    print(f"  of which after the commit            {figures(after_commit)}")
    print("2. the first requests after it, rendered afresh by gunicorn (purge reached -> fresh):")
    print(f"  the record's page                    {figures(page_rerender)}")
    print(f"  every URL (all asked at once)        {figures(all_rerender)}")
    print("1 + 2, from the start of the publish:")
    print(f"publish -> the record's page fresh     {figures(page_times)}")
    print(f"publish -> every URL fresh (all asked) {figures(fresh_times)}")
    print(f"CPU of the publish (publishing process) {figures(publish_cpu)}")
    print(f"  and its queries: median {statistics.median(publish_queries):.0f}")
    print(f"CPU of gunicorn until all fresh        {figures(render_cpu)}  ({args.workers} workers)")
    print(f"(load average over the last minute: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    never = [path for path, duration in slowest.items() if duration == float("inf")]
    if never:
        print(f"Never fresh within {FRESH_TIMEOUT:.0f} s: {', '.join(never)}")
    worst = sorted(slowest.items(), key=lambda item: item[1], reverse=True)[:3]
    print("slowest URLs: " + ", ".join(f"{path} {duration * 1000:.0f} ms" for path, duration in worst))


if __name__ == "__main__":
    main()
