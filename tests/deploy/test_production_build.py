"""The production build, run as the image runs it: ``scripts/build-static.sh`` collects the static files
under ``cms.settings.production`` (hashed names, compressed copies, no dangling reference), then
``scripts/serve.sh`` starts gunicorn with DEBUG off, which must serve the home page, a published
record, a static file under its hashed name and the admin's login.

The build runs once per test session, shared by the xdist workers.
"""

import fcntl
import gzip
import http.client
import json
import os
import posixpath
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from .environment import BUILD_COMMAND, ROOT, SERVE_COMMAND, production_environment, random_secret_key

pytestmark = pytest.mark.slow

HOST = "portal.example.org"
STATIC_TAG = re.compile(r"""\{%\s*static\s+(['"])(?P<path>[^'"]+)\1""")
HASHED = r"\.[0-9a-f]{12}\."
# import x from "./x.js", export {x} from "../x.js", import "./x.js", import("./x.js")
MODULE_IMPORT = re.compile(
    r"""(?:\b(?:import|export)\s[^;'"]*?\bfrom\s*|\bimport\s*\(?\s*)["'](?P<path>\.{1,2}/[^"'\s]+)["']"""
)
SERVER_START_SECONDS = 30
LICENCE_NAMES = ("LICENSE", "LICENCE", "COPYING")


@dataclass
class StaticBuild:
    root: Path
    returncode: int
    output: str
    seconds: float

    @property
    def manifest(self) -> dict:
        return json.loads((self.root / "staticfiles.json").read_text(encoding="utf-8"))["paths"]


def _shared_folder(tmp_path_factory) -> Path:
    """A folder every xdist worker of this session sees (each worker's own base is inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def static_build(tmp_path_factory) -> StaticBuild:
    """``scripts/build-static.sh`` under production settings into a temporary STATIC_ROOT, once."""
    shared = _shared_folder(tmp_path_factory)
    root = shared / "production-static"
    record = shared / "production-static.json"
    with open(shared / "production-static.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the first worker builds, the others wait and reuse it
        if not record.exists():
            environment = production_environment(
                SECRET_KEY=random_secret_key(), ALLOWED_HOSTS=HOST, STATIC_ROOT=str(root)
            )
            started = time.monotonic()
            result = subprocess.run(
                BUILD_COMMAND, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
            )
            seconds = time.monotonic() - started
            output = result.stdout + result.stderr
            record.write_text(json.dumps({"returncode": result.returncode, "output": output, "seconds": seconds}))
        outcome = json.loads(record.read_text())
    return StaticBuild(root=root, **outcome)


@pytest.fixture
def built(static_build) -> StaticBuild:
    assert static_build.returncode == 0, static_build.output[-3000:]
    return static_build


def test_the_build_collects_every_file_under_a_hashed_name_with_a_compressed_copy(built):
    manifest = built.manifest

    assert re.fullmatch(rf"css/portal{HASHED}css", manifest["css/portal.css"])
    assert re.fullmatch(rf"vendor/leaflet/leaflet{HASHED}js", manifest["vendor/leaflet/leaflet.js"])
    assert "wagtailadmin/css/core.css" in manifest
    hashed_css = built.root / manifest["css/portal.css"]
    assert gzip.decompress((built.root / f"{manifest['css/portal.css']}.gz").read_bytes()) == hashed_css.read_bytes()
    assert "static files copied" in built.output


def test_the_build_ships_no_front_end_the_portal_never_serves(built):
    """viewflow's bundled Material front end (its fonts, Dash, Plotly) stays out of the image."""
    assert not [name for name in built.manifest if name.startswith("viewflow/")]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("vendor/widget/widget.css", "@font-face { src: url(fonts/widget.woff2) format('woff2'); }"),
        ("vendor/widget/widget.css", "@import 'theme.css';"),
        ("vendor/widget/widget.js", "var widget = {};\n//# sourceMappingURL=widget.js.map\n"),
    ],
)
def test_the_production_storage_refuses_any_dangling_reference(settings, tmp_path, name, content):
    """Whatever is vendored next: a file naming one the build lacks fails the build, not a page."""
    from cms.settings.base import STORAGES as PRODUCTION_STORAGES

    source = tmp_path / "static"
    (source / name).parent.mkdir(parents=True)
    (source / name).write_text(content, encoding="utf-8")
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": PRODUCTION_STORAGES["staticfiles"]}

    with pytest.raises(ValueError, match="could not be found"):
        call_command("collectstatic", interactive=False, verbosity=0)


def test_no_script_imports_a_module_the_build_does_not_have(built):
    """collectstatic checks CSS references and source maps; relative ES module imports are checked here."""
    manifest = built.manifest
    dangling = []
    for name in manifest:
        if name.endswith((".js", ".mjs")):
            for match in MODULE_IMPORT.finditer((built.root / name).read_text(encoding="utf-8", errors="replace")):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), match["path"]))
                if target not in manifest:
                    dangling.append(f"{name} imports {match['path']}")
    assert not dangling, dangling


def _project_template_folders() -> list[Path]:
    folders = [ROOT / "templates"]
    for config in apps.get_app_configs():
        folder = Path(config.path) / "templates"
        if folder.is_dir() and ROOT in folder.parents and ".venv" not in folder.parts:
            folders.append(folder)
    return folders


def test_every_static_file_a_template_names_is_built(built):
    """A ``{% static %}`` of a file the build does not have would answer 500 under production settings."""
    manifest = built.manifest
    named = {}
    for folder in _project_template_folders():
        for template in folder.rglob("*.html"):
            for match in STATIC_TAG.finditer(template.read_text(encoding="utf-8")):
                named.setdefault(match["path"], template.relative_to(ROOT))

    assert "css/portal.css" in named
    missing = {path: str(template) for path, template in named.items() if path not in manifest}
    assert not missing, missing


def test_every_vendored_package_keeps_its_licence_and_is_listed():
    vendor = ROOT / "cms" / "static" / "vendor"
    readme = (vendor / "README.txt").read_text(encoding="utf-8")
    packages = [folder for folder in sorted(vendor.iterdir()) if folder.is_dir()]

    assert packages
    for folder in packages:
        licences = [path for path in folder.iterdir() if path.name.upper().startswith(LICENCE_NAMES)]
        assert licences, f"cms/static/vendor/{folder.name} has no licence file"
        assert folder.name.lower() in readme.lower(), f"cms/static/vendor/README.txt does not describe {folder.name}"


# --- gunicorn under production settings -------------------------------------------------------


def _database_url() -> str:
    database = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("serving under production settings needs the tests on PostgreSQL (DATABASE_URL)")
    credentials = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = database["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{database['PORT'] or 5432}/{database['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A gunicorn started by ``scripts/serve.sh``; ``get`` speaks HTTP to it without following redirects."""

    def __init__(self, port: int, process: subprocess.Popen, log: Path):
        self.port, self.process, self.log = port, process, log

    def get(self, path: str, **headers) -> tuple[http.client.HTTPResponse, bytes]:
        request_headers = {"Host": HOST, "X-Forwarded-Proto": "https", **headers}
        request_headers = {name: value for name, value in request_headers.items() if value is not None}
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            client.request("GET", path, headers=request_headers)
            response = client.getresponse()
            return response, response.read()
        finally:
            client.close()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]


@pytest.fixture
def gunicorn(built, tmp_path) -> Server:
    """The web container's command, on a free loopback port, against this test's database."""
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    environment = production_environment(
        SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS=HOST,
        STATIC_ROOT=str(built.root),
        MEDIA_ROOT=str(tmp_path / "media"),
        DATABASE_URL=_database_url(),
        WEB_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        LOG_LEVEL="WARNING",
    )
    with open(log, "wb") as output:
        process = subprocess.Popen(
            SERVE_COMMAND, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(port, process, log)
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            assert process.poll() is None, f"gunicorn exited with {process.returncode}:\n{server.output()}"
            try:
                if server.get("/healthz")[0].status == 200:
                    break
            except OSError:
                pass
            late = time.monotonic() > deadline
            assert not late, f"gunicorn did not answer in {SERVER_START_SECONDS} s:\n{server.output()}"
            time.sleep(0.2)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gunicorn_serves_the_portal_under_production_settings(gunicorn, built, site_pages):
    from tests.records.factories import NeedFactory

    record = NeedFactory(title="Mangrove restoration support", slug="mangrove-restoration-support", live=False)
    record.save_revision().publish()

    response, body = gunicorn.get("/en/")
    html = body.decode()
    assert response.status == 200, gunicorn.output()
    assert f'href="/static/{built.manifest["css/portal.css"]}"' in html  # the manifest's hashed name
    assert 'lang="en"' in html

    response, body = gunicorn.get(record.url)
    assert response.status == 200, gunicorn.output()
    assert "Mangrove restoration support" in body.decode()

    hashed = built.manifest["css/portal.css"]
    response, body = gunicorn.get(f"/static/{hashed}", **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(body) == (built.root / hashed).read_bytes()
    assert "immutable" in response.getheader("Cache-Control")

    # The icon browsers ask for at the root, whatever the page links: the built file, not a 404.
    response, _ = gunicorn.get("/favicon.ico")
    assert response.status == 301
    assert response.getheader("Location") == f"/static/{built.manifest['img/favicon.ico']}"
    response, body = gunicorn.get(f"/static/{built.manifest['img/favicon.ico']}")
    assert response.status == 200 and body[:4] == b"\x00\x00\x01\x00"  # an ICO file

    response, body = gunicorn.get("/admin/login/")
    html = body.decode()
    assert response.status == 200, gunicorn.output()
    assert 'name="username"' in html and 'name="password"' in html
    assert re.search(rf'/static/wagtailadmin/[^"]+{HASHED}(css|js)', html)

    # DEBUG is off: a missing page is the portal's 404, without Django's technical page.
    response, body = gunicorn.get("/en/no-such-page/")
    assert response.status == 404
    assert b"DEBUG = True" not in body
    # Plain HTTP is sent to HTTPS (SECURE_SSL_REDIRECT), unless the proxy says the visitor used it.
    response, _ = gunicorn.get("/en/", **{"X-Forwarded-Proto": None})
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/en/"
