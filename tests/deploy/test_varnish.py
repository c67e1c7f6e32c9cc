"""The shared cache of docker-compose.yml: deploy/varnish/default.vcl in a real varnishd on loopback,
in front of the portal's live test server. Anonymous pages are served from the cache; publishing
purges, after commit, everything that shows the change; signed-in visitors and strangers' purges
get nothing from it. Without varnishd these tests skip (scripts/ensure-varnish.sh installs it)."""

import http.client
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from .environment import ROOT

VCL = ROOT / "deploy" / "varnish" / "default.vcl"
COMPOSE = ROOT / "docker-compose.yml"


# --- the compose wiring ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_the_cache_runs_the_tested_configuration_in_front_of_the_proxy(compose):
    cache = compose["services"]["varnish"]

    assert cache["image"].startswith("varnish:")
    assert f"./{VCL.relative_to(ROOT)}:/etc/varnish/default.vcl:ro" in cache["volumes"]
    assert 'backend portal {\n    .host = "proxy";\n    .port = "80";' in VCL.read_text(encoding="utf-8")


def test_every_app_container_purges_the_cache_and_believes_only_the_proxies(compose):
    """The purge rule of the cache and the portal's trusted proxies name the same addresses, which
    leave out the network's gateway (the host, and published ports, reach the containers through it)."""
    import ipaddress

    network = compose["networks"]["default"]["ipam"]["config"][0]
    containers = ipaddress.ip_network(network["ip_range"])
    assert containers.subnet_of(ipaddress.ip_network(network["subnet"]))
    assert ipaddress.ip_address(network["gateway"]) not in containers

    acl = re.search(r"acl purgers \{(.*?)\}", VCL.read_text(encoding="utf-8"), flags=re.DOTALL).group(1)
    assert f'"{containers.network_address}"/{containers.prefixlen};' in acl
    for name in ("web", "worker", "beat"):
        environment = compose["services"][name]["environment"]
        assert environment["FRONTEND_CACHE_PURGE_URL"] == "http://varnish:80", name
        assert environment["TRUSTED_PROXIES"] == str(containers), name


# --- a real varnishd ------------------------------------------------------------------------------


def _varnishd() -> str | None:
    return shutil.which("varnishd") or ("/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_varnish(workdir: Path, backend_port: int, *, purge_from_loopback: bool = True):
    """deploy/varnish/default.vcl in varnishd on loopback, its backend the given port. Returns
    (port, process)."""
    varnishd = _varnishd()
    if varnishd is None:
        pytest.skip("varnishd is not installed (scripts/ensure-varnish.sh installs Debian's)")
    config = VCL.read_text(encoding="utf-8")
    config = config.replace(
        '.host = "proxy";\n    .port = "80";', f'.host = "127.0.0.1";\n    .port = "{backend_port}";'
    )
    assert f'.port = "{backend_port}"' in config
    if not purge_from_loopback:
        assert config.count('    "localhost";\n') == 1
        config = config.replace('    "localhost";\n', "")
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "default.vcl").write_text(config, encoding="utf-8")
    port = _free_port()
    command = [
        varnishd,
        "-F",
        "-j",
        "none",
        "-n",
        str(workdir / "state"),
        "-a",
        f"127.0.0.1:{port}",
        "-T",
        "none",
        "-f",
        str(workdir / "default.vcl"),
        "-s",
        "malloc,32m",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return port, process
        except OSError:
            if process.poll() is not None:
                raise AssertionError(process.stdout.read().decode()) from None
            time.sleep(0.05)
    process.kill()
    raise AssertionError("varnishd did not start")


def stop_varnish(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def request(port: int, method: str, path: str, **headers) -> tuple[int, dict, str]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        client.request(method, path, headers={"Host": "localhost", **headers})
        response = client.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, {name.lower(): value for name, value in response.getheaders()}, body
    finally:
        client.close()


@pytest.fixture
def cache(live_server, tmp_path, settings):
    """Varnish on loopback in front of the live server; the portal purges it."""
    from tests.conftest import build_site_structure

    build_site_structure()
    backend_port = int(live_server.url.rsplit(":", 1)[1])
    port, process = start_varnish(tmp_path / "varnish", backend_port)
    settings.FRONTEND_CACHE_PURGE_URLS = [f"http://127.0.0.1:{port}/"]
    try:
        yield port
    finally:
        stop_varnish(process)


def _publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_purges_the_cached_page_and_its_listing(cache):
    from tests.records.factories import NeedFactory, records_index

    need = NeedFactory(title="Seed bank survey")
    index_path = records_index("en").url + "?type=need"

    for path in (need.url, index_path):
        first = request(cache, "GET", path)
        second = request(cache, "GET", path)
        assert first[0] == second[0] == 200, path
        assert (first[1]["x-cache"], second[1]["x-cache"]) == ("MISS", "HIT"), path
        assert "Seed bank survey" in second[2]
        assert "xkey" not in second[1] and "surrogate-key" not in second[1]  # the tags stay in the cache

    _publish(need, title="Seed vault survey")  # autocommit: the purge is sent once the publish is saved

    for path in (need.url, index_path):
        status, headers, body = request(cache, "GET", path)
        assert status == 200
        assert headers["x-cache"] == "MISS", path
        assert "Seed vault survey" in body and "Seed bank survey" not in body, path
        assert request(cache, "GET", path)[1]["x-cache"] == "HIT"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_signed_in_visitor_is_never_served_from_the_cache_and_a_token_cookie_is_ignored(cache, editor, client):
    from tests.records.factories import NeedFactory

    need = NeedFactory(title="Seed bank survey")
    client.force_login(editor)
    session = client.cookies["sessionid"].value

    for _ in range(2):
        status, headers, _body = request(cache, "GET", need.url, Cookie=f"sessionid={session}")
        assert status == 200
        assert headers["x-cache"] == "MISS"
        assert "private" in headers["cache-control"]

    # The signed-in visits were not stored for anyone; a visitor with only a CSRF token is anonymous.
    assert request(cache, "GET", need.url, Cookie="csrftoken=abc")[1]["x-cache"] == "MISS"
    assert request(cache, "GET", need.url, Cookie="csrftoken=def")[1]["x-cache"] == "HIT"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_clients_cannot_purge_or_name_tags(cache):
    from tests.records.factories import NeedFactory

    need = NeedFactory(title="Seed bank survey")
    request(cache, "GET", need.url)

    assert request(cache, "PURGE", "/")[0] == 400  # from an allowed address, but no tags named
    assert request(cache, "BAN", "/")[0] == 405
    assert request(cache, "GET", need.url, **{"xkey-purge": f"page-{need.pk}"})[1]["x-cache"] == "HIT"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_purge_from_outside_the_allowed_addresses_is_refused(live_server, tmp_path):
    from tests.conftest import build_site_structure
    from tests.records.factories import NeedFactory

    build_site_structure()
    need = NeedFactory(title="Seed bank survey")
    port, process = start_varnish(
        tmp_path / "varnish", int(live_server.url.rsplit(":", 1)[1]), purge_from_loopback=False
    )
    try:
        request(port, "GET", need.url)
        status, _headers, _body = request(port, "PURGE", "/", **{"xkey-purge": f"page-{need.pk}"})

        assert status == 405
        assert request(port, "GET", need.url)[1]["x-cache"] == "HIT"
    finally:
        stop_varnish(process)
