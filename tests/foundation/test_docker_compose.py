"""The production topology in docker-compose.yml: its services, health checks, volumes, no secrets."""

import json
import os
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from tests.deploy.environment import BUILD_COMMAND, SERVE_COMMAND

PROJECT_DIR = Path(settings.BASE_DIR)
COMPOSE_FILE = PROJECT_DIR / "docker-compose.yml"
SERVICES = ["proxy", "web", "worker", "beat", "postgres", "elasticsearch", "redis"]
# Variables whose value is a secret: the compose file may only refer to them (${NAME}).
SECRET_NAMES = [
    "SECRET_KEY",
    "POSTGRES_PASSWORD",
    "DEEPL_API_KEY",
    "EMAIL_HOST_PASSWORD",
    "ELASTIC_PASSWORD",
    "AWS_SECRET_ACCESS_KEY",
]


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


def test_defines_the_services(compose):
    assert set(SERVICES) <= set(compose.get("services", {}))


@pytest.mark.parametrize("service", SERVICES)
def test_service_has_a_healthcheck(compose, service):
    healthcheck = compose["services"][service].get("healthcheck")
    if service in ("worker", "beat") and not healthcheck:
        pytest.skip(f"{service} has no healthcheck (allowed: Celery's ping is slow and optional)")

    assert healthcheck, f"{service} has no healthcheck"
    assert not healthcheck.get("disable"), f"{service} disables its healthcheck"
    assert healthcheck.get("test"), f"{service}'s healthcheck has no test"


def test_web_and_worker_run_the_portal(compose):
    web, worker, beat = compose["services"]["web"], compose["services"]["worker"], compose["services"]["beat"]

    assert "gunicorn" in (PROJECT_DIR / "scripts" / "serve.sh").read_text(encoding="utf-8")
    assert "celery" in str(worker.get("command", "")) and "worker" in str(worker.get("command", ""))
    assert "beat" in str(beat.get("command", "")) and "--beat" not in str(worker.get("command", ""))
    assert not beat.get("deploy", {}).get("replicas", 1) > 1, "two schedulers would send every task twice"
    for service in (web, worker, beat):
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


# --- the image and compose run the tested commands (tests/deploy/test_production_build.py) -----


def test_web_runs_the_tested_serve_script(compose):
    assert compose["services"]["web"]["command"] == SERVE_COMMAND


def test_the_image_builds_with_the_tested_script_and_serves_with_the_other():
    dockerfile = (PROJECT_DIR / "Dockerfile").read_text(encoding="utf-8")
    runs = " ".join(re.findall(r"^RUN ((?:[^\n]*\\\n)*[^\n]*)", dockerfile, re.MULTILINE))
    cmd = re.findall(r"^CMD (.*)$", dockerfile, re.MULTILINE)

    assert " ".join(BUILD_COMMAND) in runs, runs
    assert "collectstatic" not in dockerfile, "static files are built by the script only"
    assert [json.loads(line) for line in cmd] == [SERVE_COMMAND]


@pytest.mark.parametrize("command", [BUILD_COMMAND, SERVE_COMMAND])
def test_the_scripts_are_executable_shell_scripts(command):
    script = PROJECT_DIR / command[0]

    assert os.access(script, os.X_OK), f"{command[0]} is not executable (git update-index --chmod=+x)"
    assert script.read_text(encoding="utf-8").startswith("#!/bin/sh\n")
