"""``Authorization: Token <token>`` for API clients, and the per-client throttle."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiClient, hash_token

LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)  # at most one write per client and minute


class ApiClientAuthentication(BaseAuthentication):
    """The request is made by the client whose token it carries, in the name of its acting user."""

    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as “Authorization: Token <token>”."))
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid or has been revoked.")) from None
        client = ApiClient.objects.select_related("acting_user").filter(token_hash=hash_token(token)).first()
        if client is None or not client.is_active or not client.acting_user.is_active:
            raise exceptions.AuthenticationFailed(_("This token is not valid or has been revoked."))
        now = timezone.now()
        if client.last_used_at is None or now - client.last_used_at > LAST_USED_RESOLUTION:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
            client.last_used_at = now
        return (client.acting_user, client)

    def authenticate_header(self, request):
        return self.keyword  # a missing or refused token answers 401 with WWW-Authenticate


class IsApiClient(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, ApiClient)


class ApiClientRateThrottle(SimpleRateThrottle):
    """Requests per client (``API_PUSH_RATE``, default 60 a minute), whatever address they come from."""

    scope = "push"

    def get_rate(self):
        return getattr(settings, "API_PUSH_RATE", "60/minute")

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ApiClientTokenScheme(OpenApiAuthenticationExtension):
    """The token scheme in the OpenAPI schema."""

    target_class = ApiClientAuthentication
    name = "apiClientToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "“Token <token>”, as issued by the portal's administrators.",
        }
