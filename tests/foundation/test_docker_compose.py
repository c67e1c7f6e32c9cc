"""The production topology in docker-compose.yml: its services, health checks, volumes, no secrets."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

COMPOSE_FILE = Path(settings.BASE_DIR) / "docker-compose.yml"
SERVICES = ["web", "worker", "postgres", "elasticsearch", "redis"]
# Variables whose value is a secret: the compose file may only refer to them (${NAME}).
SECRET_NAMES = ["SECRET_KEY", "POSTGRES_PASSWORD", "DEEPL_API_KEY", "EMAIL_HOST_PASSWORD", "ELASTIC_PASSWORD"]


@pytest.fixture(scope="module")
def compose_text() -> str:
    if not COMPOSE_FILE.exists():
        pytest.skip("docker-compose.yml does not exist yet")
    return COMPOSE_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def compose(compose_text) -> dict:
    document = yaml.safe_load(compose_text)
    assert isinstance(document, dict), "docker-compose.yml is not a mapping"
    return document


def test_defines_the_five_services(compose):
    assert set(SERVICES) <= set(compose.get("services", {}))


@pytest.mark.parametrize("service", SERVICES)
def test_service_has_a_healthcheck(compose, service):
    healthcheck = compose["services"][service].get("healthcheck")
    if service == "worker" and not healthcheck:
        pytest.skip("the worker has no healthcheck (allowed: Celery's ping is slow and optional)")

    assert healthcheck, f"{service} has no healthcheck"
    assert not healthcheck.get("disable"), f"{service} disables its healthcheck"
    assert healthcheck.get("test"), f"{service}'s healthcheck has no test"


def test_web_and_worker_run_the_portal(compose):
    web, worker = compose["services"]["web"], compose["services"]["worker"]

    assert "gunicorn" in str(web.get("command", ""))
    assert "celery" in str(worker.get("command", ""))
    for service in (web, worker):
        environment = service.get("environment", {})
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) for item in environment)
        assert environment.get("DJANGO_SETTINGS_MODULE") == "cms.settings.production"


def test_web_waits_for_healthy_dependencies(compose):
    depends_on = compose["services"]["web"].get("depends_on", {})

    assert isinstance(depends_on, dict), "depends_on should wait for service_healthy"
    for dependency in ("postgres", "redis", "elasticsearch"):
        assert depends_on.get(dependency, {}).get("condition") == "service_healthy", dependency


def test_data_lives_in_named_volumes(compose):
    named = set(compose.get("volumes") or {})
    assert named, "no named volumes"

    for service in ("postgres", "elasticsearch", "redis"):
        mounts = compose["services"][service].get("volumes", [])
        sources = {str(mount).split(":", 1)[0] if isinstance(mount, str) else mount.get("source") for mount in mounts}
        assert sources & named, f"{service} keeps its data outside a named volume"
    for service_name, service in compose["services"].items():
        for mount in service.get("volumes", []):
            source = str(mount).split(":", 1)[0] if isinstance(mount, str) else mount.get("source", "")
            if not source.startswith((".", "/", "~")):
                assert source in named, f"{service_name} mounts undeclared volume {source}"


def test_no_literal_secrets(compose_text):
    for name in SECRET_NAMES:
        for match in re.finditer(rf"^\s*-?\s*{name}\s*[:=]\s*(.*)$", compose_text, re.MULTILINE):
            value = match.group(1).strip().strip("'\"")
            assert value == "" or value.startswith("${"), f"{name} has a literal value in docker-compose.yml"
    assert not re.search(r"postgres://[^:@/\s]+:(?!\$\{)[^@\s]+@", compose_text), "a literal database password"
