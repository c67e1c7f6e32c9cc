"""``/healthz`` is liveness (the process and its database); ``/readyz`` tells each dependency's truth."""

import pytest

from .conftest import REDIS_TEST_URL, celery_broker, needs_redis, redis_cache_settings, smtp_settings

pytestmark = pytest.mark.django_db


def readiness(client):
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.status_code, response.json()


def test_in_the_embedded_configuration_everything_is_up_or_not_configured(client):
    status, report = readiness(client)

    assert status == 200 and report["status"] == "ok"
    checks = report["checks"]
    assert checks["database"] == {"status": "up", "required": True}
    assert checks["cache"]["status"] == "up" and checks["cache"]["backend"] == "local memory"
    assert checks["broker"]["status"] == "not configured"
    assert checks["search"]["status"] == "not configured"
    assert checks["smtp"]["status"] == "not configured"
    assert report["outbox"] == {"unsent": 0, "given_up": 0}


def test_each_dependency_down_is_named_and_the_portal_is_still_ready(client, settings, closed_port):
    unreachable = f"127.0.0.1:{closed_port}"
    redis_cache_settings(settings, f"redis://{unreachable}/0")
    settings.ELASTICSEARCH_URL = f"http://{unreachable}"
    smtp_settings(settings, closed_port)

    with celery_broker(f"redis://{unreachable}/0"):
        status, report = readiness(client)

    assert status == 200 and report["status"] == "degraded"  # it serves, without them
    checks = report["checks"]
    assert checks["database"]["status"] == "up"
    for name in ("cache", "broker", "search", "smtp"):
        assert checks[name]["status"] == "down", name
        assert checks[name]["required"] is False
        assert checks[name]["error"]  # the kind of failure, never an address or a password
        assert unreachable not in checks[name]["error"]


def test_a_required_dependency_down_makes_it_not_ready(client, settings, closed_port):
    settings.READINESS_REQUIRED = ["database", "cache"]
    redis_cache_settings(settings, f"redis://127.0.0.1:{closed_port}/0")

    status, report = readiness(client)

    assert status == 503 and report["status"] == "unavailable"
    assert report["checks"]["cache"] == {"status": "down", "required": True, "error": "ConnectionError"}


def test_liveness_stays_ok_while_the_other_dependencies_are_down(client, settings, closed_port):
    redis_cache_settings(settings, f"redis://127.0.0.1:{closed_port}/0")
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port}"

    response = client.get("/healthz")

    assert response.status_code == 200 and response.content == b"ok"


def test_probes_need_no_allowed_host(client, settings):
    settings.ALLOWED_HOSTS = ["portal.example.org"]

    assert client.get("/healthz", HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.5:8000").status_code == 200


@needs_redis
def test_with_redis_and_smtp_up_they_are_reported_up(client, settings, smtp_server):
    redis_cache_settings(settings, REDIS_TEST_URL)
    smtp_settings(settings, smtp_server.port)

    with celery_broker(REDIS_TEST_URL):
        status, report = readiness(client)

    assert status == 200 and report["status"] == "ok"
    for name in ("database", "cache", "broker", "smtp"):
        assert report["checks"][name]["status"] == "up", name
    assert report["checks"]["cache"]["backend"] == "redis"
