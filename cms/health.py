"""A liveness endpoint for container health checks, answered before host validation and HTTPS
redirects so that a probe from inside the container needs no public host name."""

from django.db import connection
from django.http import HttpResponse


class HealthCheckMiddleware:
    path = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != self.path:
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception:  # noqa: BLE001 - any database failure means not healthy
            return HttpResponse("database unavailable", status=503, content_type="text/plain")
        return HttpResponse("ok", content_type="text/plain")
