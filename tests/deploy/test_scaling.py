"""More than one web server: uploaded files where every container sees them (an S3-compatible bucket,
or the shared media volume), sessions in the database behind the cache, and the proxy of
docker-compose.yml in front of two web replicas, forwarding the visitor's address and scheme."""

import http.client
import http.server
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils.module_loading import import_string

from cms.settings import env
from tests.conftest import PASSWORD

from .environment import ROOT, production_environment, random_secret_key

NGINX_CONFIG = ROOT / "deploy" / "nginx" / "portal.conf"
BUCKET = {
    "AWS_STORAGE_BUCKET_NAME": "chm-media",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
    "AWS_S3_REGION_NAME": "eu-west-3",
    "AWS_ACCESS_KEY_ID": "portal-key",
    "AWS_SECRET_ACCESS_KEY": "portal-secret",
}


# --- uploaded files ----------------------------------------------------------------------------


def test_without_a_bucket_uploads_go_to_the_media_folder(monkeypatch):
    for name in BUCKET:
        monkeypatch.delenv(name, raising=False)

    assert env.media_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert env.rendition_storage() == {"BACKEND": "cms.uploads.renditions.RenditionFileSystemStorage"}


def test_a_bucket_selects_private_s3_compatible_storage(monkeypatch):
    for name, value in BUCKET.items():
        monkeypatch.setenv(name, value)

    config = env.media_storage()
    storage = import_string(config["BACKEND"])(**config["OPTIONS"])

    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    renditions = env.rendition_storage()
    assert renditions == {**config, "BACKEND": "cms.uploads.renditions_s3.RenditionS3Storage"}
    rendition_storage = import_string(renditions["BACKEND"])(**renditions["OPTIONS"])
    assert re.fullmatch(
        r"images/a\.width-20\.[\w-]{22}\.png", rendition_storage.generate_filename("images/a.width-20.png")
    )
    assert (storage.bucket_name, storage.endpoint_url, storage.region_name) == (
        "chm-media",
        "https://s3.example.org",
        "eu-west-3",
    )
    assert (storage.access_key, storage.secret_key) == ("portal-key", "portal-secret")
    assert storage.file_overwrite is False  # two uploads named alike never replace each other
    assert storage.default_acl is None  # the bucket's own, private, policy
    # Addresses are signed and expire (signing needs no network); path-style for S3-compatible services.
    url = storage.url("documents/report.pdf")
    assert url.startswith("https://s3.example.org/chm-media/documents/report.pdf?")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=" in url


def test_amazon_s3_needs_no_endpoint_and_may_use_the_machines_credentials(monkeypatch):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "chm-media")
    for name in ("AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)

    options = env.media_storage()["OPTIONS"]

    assert options["endpoint_url"] is None and options["addressing_style"] is None
    assert options["access_key"] is None and options["secret_key"] is None  # boto3's own chain decides


def _production_default_storage(**values) -> list:
    code = (
        "import json; from django.core.files.storage import storages; s = storages['default']; "
        "print(json.dumps([type(s).__module__ + '.' + type(s).__name__, getattr(s, 'bucket_name', None)]))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=production_environment(SECRET_KEY=random_secret_key(), ALLOWED_HOSTS="portal.example.org", **values),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_production_settings_store_uploads_in_the_bucket_when_one_is_named():
    assert _production_default_storage(**BUCKET) == ["storages.backends.s3.S3Storage", "chm-media"]


# --- sessions ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_session_outlives_the_cache_that_holds_it(settings, editor):
    """Signed in through one web container, still signed in through another whose cache is cold."""
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    first = Client()
    assert first.post("/admin/login/", {"username": editor.username, "password": PASSWORD}).status_code == 302
    assert Session.objects.filter(session_key=first.session.session_key).exists()

    cache.clear()
    second = Client()
    second.cookies = first.cookies

    assert second.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_forged_session_cookie_signs_nobody_in(editor):
    visitor = Client()
    visitor.cookies["sessionid"] = "not-a-session-the-portal-gave"

    response = visitor.get("/admin/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- the compose topology ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]


def test_two_web_containers_serve_behind_the_proxy(services):
    web, proxy, cache = services["web"], services["proxy"], services["varnish"]

    assert web["deploy"]["replicas"] >= 2
    assert "ports" not in web, "web replicas are reached through the proxy only"
    assert "ports" not in proxy, "the proxy is reached through the cache only"
    assert proxy["image"].startswith("nginx:")
    assert [str(port).split(":")[-1] for port in cache["ports"]] == ["80"]
    assert cache["depends_on"]["proxy"]["condition"] == "service_healthy"
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    assert web["environment"]["FORWARDED_ALLOW_IPS"] == "*"


def test_the_proxy_runs_the_tested_configuration_and_reads_media_only(services):
    mounts = services["proxy"]["volumes"]

    assert f"./{NGINX_CONFIG.relative_to(ROOT)}:/etc/nginx/conf.d/default.conf:ro" in mounts
    assert "media:/srv/media:ro" in mounts


def test_every_app_container_shares_the_uploaded_files(services):
    for name in ("web", "worker"):
        assert "media:/app/media" in services[name]["volumes"], name


# --- the proxy's configuration --------------------------------------------------------------------


def test_the_proxy_configuration_forwards_the_visitor_and_hides_private_files():
    text = NGINX_CONFIG.read_text(encoding="utf-8")
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())

    assert code.count("{") == code.count("}")
    assert "set $portal http://web:8000;" in code and "proxy_pass $portal;" in code
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in code
    assert "proxy_set_header X-Forwarded-Proto $forwarded_proto;" in code
    assert "proxy_set_header Host $host;" in code
    assert "alias /srv/media/images/;" in code
    assert "location /media/ {\n        return 404;\n    }" in code


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _EchoHeaders(http.server.BaseHTTPRequestHandler):
    """A stand-in for a web replica: answers with the request line and headers it received."""

    def do_GET(self):  # noqa: N802 - the name http.server calls
        body = json.dumps({"path": self.path, "headers": dict(self.headers.items())}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


RENDITION_TOKEN = "Zq3-vX9_kLm2Np4Rs6Tu8w"


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the proxy configuration no longer has {old!r}"
    return text.replace(old, new)


@pytest.fixture
def proxy(tmp_path):
    """deploy/nginx/portal.conf in a real nginx on loopback, in front of a header-echoing replica."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        pytest.skip("nginx is not installed (scripts/ensure-nginx.sh installs Debian's)")
    replica = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _EchoHeaders)
    threading.Thread(target=replica.serve_forever, daemon=True).start()
    port = _free_port()
    media = tmp_path / "media"
    (media / "images").mkdir(parents=True)
    (media / "documents").mkdir()
    (media / "images" / "river.fill-80x80.png").write_bytes(b"rendition")
    (media / "images" / f"river.fill-80x80.{RENDITION_TOKEN}.png").write_bytes(b"tokened rendition")
    (media / "documents" / "restricted.pdf").write_bytes(b"restricted")

    config = NGINX_CONFIG.read_text(encoding="utf-8")
    config = _replace_once(config, "listen 80 default_server;", f"listen 127.0.0.1:{port} default_server;")
    config = _replace_once(config, "http://web:8000;", f"http://127.0.0.1:{replica.server_address[1]};")
    config = _replace_once(config, "alias /srv/media/images/;", f"alias {media}/images/;")
    (tmp_path / "portal.conf").write_text(config, encoding="utf-8")
    temp_paths = "\n".join(
        f"    {kind}_temp_path {tmp_path}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"user root root;\npid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n    access_log off;\n{temp_paths}\n    include {tmp_path}/portal.conf;\n}}\n",
        encoding="utf-8",
    )
    command = [nginx, "-e", "stderr", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                threading.Event().wait(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        replica.shutdown()
        replica.server_close()


def _get(port: int, path: str, **headers) -> tuple[int, bytes]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        client.request("GET", path, headers={"Host": "portal.example.org", **headers})
        response = client.getresponse()
        return response.status, response.read()
    finally:
        client.close()


@pytest.mark.slow
def test_the_proxy_forwards_address_and_scheme_to_the_web_replicas(proxy):
    status, body = _get(proxy, "/en/records/?type=need", **{"X-Forwarded-For": "203.0.113.7"})
    seen = json.loads(body)

    assert status == 200
    assert seen["path"] == "/en/records/?type=need"
    assert seen["headers"]["Host"] == "portal.example.org"
    # The proxy appends the address it saw; a value the client sent stays to its left, untrusted.
    assert seen["headers"]["X-Forwarded-For"] == "203.0.113.7, 127.0.0.1"
    assert seen["headers"]["X-Real-IP"] == "127.0.0.1"
    assert seen["headers"]["X-Forwarded-Proto"] == "http"

    seen = json.loads(_get(proxy, "/en/", **{"X-Forwarded-Proto": "https"})[1])
    assert seen["headers"]["X-Forwarded-Proto"] == "https"  # from a TLS-terminating proxy in front
    seen = json.loads(_get(proxy, "/en/", **{"X-Forwarded-Proto": "gopher"})[1])
    assert seen["headers"]["X-Forwarded-Proto"] == "http"


@pytest.mark.slow
def test_the_proxy_tags_each_rendition_with_its_token_for_the_cache(proxy):
    client = http.client.HTTPConnection("127.0.0.1", proxy, timeout=10)
    try:
        client.request("GET", f"/media/images/river.fill-80x80.{RENDITION_TOKEN}.png")
        response = client.getresponse()
        assert (response.status, response.read()) == (200, b"tokened rendition")
        assert response.getheader("xkey") == f"rendition-{RENDITION_TOKEN}"
    finally:
        client.close()


@pytest.mark.slow
def test_the_proxy_serves_renditions_but_no_other_uploaded_file(proxy):
    assert _get(proxy, "/media/images/river.fill-80x80.png") == (200, b"rendition")
    assert _get(proxy, "/media/documents/restricted.pdf")[0] == 404
    assert _get(proxy, "/media/images/../documents/restricted.pdf")[0] in (400, 404)
    assert _get(proxy, "/proxy-healthz") == (200, b"ok\n")
