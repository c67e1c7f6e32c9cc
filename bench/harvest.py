"""Harvest throughput between two portals on this machine: a peer served by gunicorn, this portal's
``manage.py harvest`` against it. Prints records per second (and progress lines while it runs).

    .venv/bin/python bench/harvest.py --records 10000
    .venv/bin/python bench/harvest.py --records 300 --extrapolate 10000
    .venv/bin/python bench/harvest.py --records 200 --profile   # where the time goes

The harvest authenticates with a token the peer issues (an API client there), as a real federation
would, so the peer's anonymous per-address limit does not apply; ``--anonymous`` harvests without it.

Databases (PostgreSQL, names containing ``bench``, emptied of records): ``<base>_peer`` and ``<base>``
from ``DATABASE_URL`` (default ``chm_bench_harvest``). Each is created, migrated and given the site
structure when missing.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run_peer(env: dict, *args: str) -> dict:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "tests.interop.harvest.peer", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(result.stderr[-3000:])
    print(f"  {args[0]}: {time.perf_counter() - started:.1f} s", flush=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--french", type=float, default=0.3, help="share of records translated into French")
    parser.add_argument("--batch", type=int, default=500, help="records published per peer command")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--extrapolate", type=int, default=0, help="also print the time this rate gives for N records")
    parser.add_argument(
        "--profile", action="store_true", help="run the harvest under cProfile; print the top functions"
    )
    parser.add_argument("--anonymous", action="store_true", help="harvest without the peer's API token")
    options = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chm_bench_harvest")
    if "bench" not in base.rsplit("/", 1)[-1]:
        raise SystemExit("DATABASE_URL's database name must contain 'bench' (its records are deleted).")
    common = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "INTEROP_API_THROTTLE_RATE": "1000000/minute",
    }
    peer_env = {**common, "DATABASE_URL": base + "_peer"}
    local_env = {**common, "DATABASE_URL": base}

    print("preparing the two databases", flush=True)
    run_peer(peer_env, "prepare")
    run_peer(local_env, "prepare")
    print(f"publishing {options.records} records on the peer", flush=True)
    done = 0
    while done < options.records:
        count = min(options.batch, options.records - done)
        run_peer(peer_env, "publish", str(count), "--start", str(done), "--french", str(int(count * options.french)))
        done += count

    token = None if options.anonymous else run_peer(peer_env, "issue-token", "Bench harvester")["token"]

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cms.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--no-control-socket"],
        cwd=ROOT,
        env=peer_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if requests.get(f"{url}/api/v1/changes/", timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        how = "anonymously" if token is None else "as an API client of the peer (token)"
        print(f"harvesting {url} (gunicorn, 2 workers) into {base.rsplit('/', 1)[-1]} {how}", flush=True)
        profile = Path(tempfile.mkdtemp()) / "harvest.prof"
        started = time.perf_counter()
        result = subprocess.run(
            [
                sys.executable,
                *(["-m", "cProfile", "-o", str(profile)] if options.profile else []),
                "manage.py",
                "harvest",
                url,
                "--name",
                "Bench peer",
                "--page-size",
                str(options.page_size),
            ],
            cwd=ROOT,
            env={**local_env, **({"HARVEST_TOKEN": token} if token else {})},
        )
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    if result.returncode:
        raise SystemExit("the harvest failed")
    rate = options.records / elapsed
    print(f"records: {options.records}")
    print(f"harvest wall time: {elapsed:.1f} s")
    print(f"throughput: {rate:.1f} records/s (import, translations, aliases in every language, indexing)")
    if options.profile:
        import pstats

        stats = pstats.Stats(str(profile))
        stats.sort_stats("cumulative").print_stats(40)
        profile.unlink()
    if options.extrapolate:
        estimate = options.extrapolate / rate
        print(
            f"EXTRAPOLATED (not measured) for {options.extrapolate} records at this rate: "
            f"{estimate:.0f} s ({estimate / 60:.1f} min)"
        )


if __name__ == "__main__":
    main()
