"""Per-client throttling of the open API: a token client by its client, a signed-in person by account,
anyone else by address. Counts live in the shared cache, which fails open (cms/resilience/cache.py):
a cache that is down lets requests through rather than refusing everybody."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ApiClientRateThrottle(SimpleRateThrottle):
    scope = "interop-api"

    def get_rate(self):
        # Read at each request (not at import), so that the deployment's setting always applies.
        return getattr(settings, "INTEROP_API_THROTTLE_RATE", "600/minute")

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        client = getattr(request.auth, "client_id", None) or getattr(getattr(request.auth, "client", None), "pk", None)
        if client is not None:
            ident = f"client:{client}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"address:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
