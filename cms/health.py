"""Probes for container health checks and load balancers, answered before host validation and HTTPS
redirects so that a probe from inside the container needs no public host name.

* ``/healthz`` — liveness: the process answers and reaches its database (``ok``, or 503).
* ``/readyz`` — readiness: each dependency's state as JSON, checked now with short timeouts. The
  answer is 503 only when a *required* one (``READINESS_REQUIRED``, by default the database) is down:
  the portal keeps serving without Redis, the broker, Elasticsearch or SMTP (it degrades), so taking
  every web server out of the pool for one of those would turn a degradation into an outage.
"""

import json
import smtplib
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection
from django.http import HttpResponse

PROBE_TIMEOUT = 2.0  # seconds, per dependency

UP, DOWN, NOT_CONFIGURED = "up", "down", "not configured"


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": UP}


def check_cache() -> dict:
    """Redis answers a PING (the fail-open cache would hide an outage: ask Redis itself)."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return {"status": UP, "backend": "local memory"}
    cache._cache.get_client(write=True).ping()
    return {"status": UP, "backend": "redis"}


def check_broker() -> dict:
    from celery import current_app

    if current_app.conf.task_always_eager:
        return {"status": NOT_CONFIGURED, "detail": "tasks run in the web process"}
    with current_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=PROBE_TIMEOUT)
    return {"status": UP}


def check_search() -> dict:
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if not url:
        return {"status": NOT_CONFIGURED, "detail": "search uses the database"}
    from elasticsearch import Elasticsearch

    client = Elasticsearch(url, request_timeout=PROBE_TIMEOUT, max_retries=0)
    try:
        client.info()
    finally:
        client.close()
    return {"status": UP}


def check_smtp() -> dict:
    if settings.EMAIL_BACKEND != "django.core.mail.backends.smtp.EmailBackend":
        return {"status": NOT_CONFIGURED, "detail": settings.EMAIL_BACKEND.rsplit(".", 2)[-2]}
    smtp_class = smtplib.SMTP_SSL if settings.EMAIL_USE_SSL else smtplib.SMTP
    with smtp_class(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=PROBE_TIMEOUT) as server:
        server.noop()
    return {"status": UP}


def outbox_backlog() -> dict:
    """E-mails waiting in the outbox, and those given up on (kept, with their last error)."""
    from workflows.notifications.models import OutboxEmail
    from workflows.notifications.outbox import MAX_ATTEMPTS

    unsent = OutboxEmail.objects.unsent()
    return {"unsent": unsent.count(), "given_up": unsent.filter(attempts__gte=MAX_ATTEMPTS).count()}


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "search": check_search,
    "smtp": check_smtp,
}


def _run(check) -> dict:
    try:
        return check()
    except Exception as error:  # noqa: BLE001 - any failure means down; the class name says which
        return {"status": DOWN, "error": type(error).__name__}


def readiness() -> tuple[int, dict]:
    """The status code and the report: every dependency checked now."""
    required = set(getattr(settings, "READINESS_REQUIRED", ["database"]))
    # The database and the cache belong to this thread's connections; the others are checked side by side.
    results = {"database": _run(check_database), "cache": _run(check_cache)}
    others = [name for name in CHECKS if name not in results]
    with ThreadPoolExecutor(max_workers=len(others)) as pool:
        for name, result in zip(others, pool.map(lambda name: _run(CHECKS[name]), others), strict=True):
            results[name] = result
    for name, result in results.items():
        result["required"] = name in required
    failed_required = any(result["status"] == DOWN and result["required"] for result in results.values())
    degraded = any(result["status"] == DOWN for result in results.values())
    report = {"status": "unavailable" if failed_required else "degraded" if degraded else "ok", "checks": results}
    if results["database"]["status"] == UP:
        report["outbox"] = outbox_backlog()
    return (503 if failed_required else 200), report


class HealthCheckMiddleware:
    liveness_path = "/healthz"
    readiness_path = "/readyz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == self.liveness_path:
            return self.liveness()
        if request.path == self.readiness_path:
            status, report = readiness()
            response = HttpResponse(json.dumps(report), status=status, content_type="application/json")
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)

    @staticmethod
    def liveness():
        try:
            check_database()
        except Exception:  # noqa: BLE001 - any database failure means not healthy
            return HttpResponse("database unavailable", status=503, content_type="text/plain")
        return HttpResponse("ok", content_type="text/plain")
