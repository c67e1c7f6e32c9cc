"""Per-client throttling of the open API: an API client sending its token (interop/push) is counted
by its client at the clients' own rate, a signed-in person by account and anyone else by address, at
the anonymous rate. Counts live in the shared cache, which fails open (cms/resilience/cache.py): a
cache that is down lets requests through rather than refusing everybody."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from interop.push.models import ApiClient


class ApiClientRateThrottle(SimpleRateThrottle):
    scope = "interop-api"

    def __init__(self):
        # The rate depends on who asks: chosen in allow_request, not at construction.
        pass

    def rate_for(self, request) -> str:
        # Read at each request (not at import), so that the deployment's setting always applies.
        if isinstance(request.auth, ApiClient):
            return getattr(settings, "INTEROP_API_CLIENT_THROTTLE_RATE", "6000/minute")
        return getattr(settings, "INTEROP_API_THROTTLE_RATE", "600/minute")

    def allow_request(self, request, view):
        self.rate = self.rate_for(request)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiClient):
            ident = f"client:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"address:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
