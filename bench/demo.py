"""Benchmark of a newcomer's first minutes: ``load_demo`` on a fresh SQLite database, and optionally a
whole ``make run`` on a fresh clone until the portal answers 200.

Works in a temporary ``git clone`` of this repository (its committed state), so the database and files
of the working copy are left alone; the clone borrows this checkout's ``.venv`` (no download: the
installation step of ``make run`` then only checks it), and is deleted at the end.

    .venv/bin/python bench/demo.py               # migrate (timed), then load_demo (timed)
    .venv/bin/python bench/demo.py --make-run    # and a fresh `make run` until GET / answers 200
    .venv/bin/python bench/demo.py --scale 0.2   # a smaller demo
    .venv/bin/python bench/demo.py --ref main    # another commit or branch, to compare

Prints wall time and CPU seconds (user + system of the commands run) of each step, and the machine's
load average before and after: on a busy machine wall time grows while CPU seconds stay put.
"""

import argparse
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 900  # seconds to wait for `make run` to answer


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min; {os.cpu_count()} CPUs)"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def clean_environment() -> dict:
    """The embedded defaults, as a newcomer has them: no database, broker or search server named."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "DJANGO_SETTINGS_MODULE", "SITE_URL"}
    }
    environment["PYTHONUNBUFFERED"] = "1"
    return environment


def timed(label: str, command: list[str], cwd: Path, log) -> tuple[float, float]:
    """Run ``command`` to its end; its wall time and CPU seconds."""
    cpu, started = children_cpu(), time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=clean_environment(), stdout=log, stderr=subprocess.STDOUT)
    wall, used = time.monotonic() - started, children_cpu() - cpu
    if result.returncode:
        sys.exit(f"{label} failed (exit {result.returncode}); see {log.name}")
    print(f"{label:<28} wall {wall:7.1f} s   CPU {used:7.1f} s", flush=True)
    return wall, used


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def make_run(clone: Path, log) -> float:
    """Wall time of `make run` in ``clone`` until its home page answers 200; the server is then stopped."""
    for path in clone.glob("db.sqlite3*"):
        path.unlink()
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    process = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=clone,
        env=clean_environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        while not answers(url):
            if process.poll() is not None:
                sys.exit(f"make run stopped (exit {process.returncode}); see {log.name}")
            if time.monotonic() - started > READY_TIMEOUT:
                sys.exit(f"make run did not answer within {READY_TIMEOUT} s; see {log.name}")
            time.sleep(0.5)
        wall = time.monotonic() - started
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    print(f"{'make run until 200':<28} wall {wall:7.1f} s", flush=True)
    return wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="load_demo --scale (default 1)")
    parser.add_argument("--make-run", action="store_true", help="also time a whole fresh `make run`")
    parser.add_argument("--ref", default="HEAD", help="commit or branch to clone (default: this checkout's HEAD)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary clone and its logs")
    options = parser.parse_args()

    venv = BASE_DIR / ".venv"
    if not (venv / "bin" / "python").exists():
        sys.exit("No .venv here: run `make install` first.")
    workdir = Path(tempfile.mkdtemp(prefix="chm-bench-demo-"))
    clone = workdir / "portal"
    print(f"load average before: {load_average()}", flush=True)
    try:
        subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(BASE_DIR), str(clone)], check=True)
        ref = subprocess.run(
            ["git", "rev-parse", "--verify", f"{options.ref}^{{commit}}"],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        subprocess.run(["git", "checkout", "--quiet", ref], cwd=clone, check=True)
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=clone, capture_output=True, text=True, check=True
        ).stdout.strip()
        print(f"fresh clone at {commit}", flush=True)
        (clone / ".venv").symlink_to(venv)
        python = str(clone / ".venv" / "bin" / "python")
        with open(workdir / "commands.log", "w") as log:
            timed("migrate", [python, "manage.py", "migrate", "--no-input"], clone, log)
            timed("compile_catalogues", [python, "manage.py", "compile_catalogues"], clone, log)
            timed(
                f"load_demo (scale {options.scale:g})",
                [python, "manage.py", "load_demo", "--scale", str(options.scale)],
                clone,
                log,
            )
        if options.make_run:
            with open(workdir / "make-run.log", "w") as log:
                make_run(clone, log)
        print(f"load average after: {load_average()}", flush=True)
    finally:
        if options.keep:
            print(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
