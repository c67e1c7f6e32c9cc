"""Fixtures of the write API tests: a client issued for France, its token, and a need to push."""

import pytest
from rest_framework.test import APIClient

from cms.accounts import roles
from content_types.vocabularies.models import Country
from interop.push.models import ApiClient


def need_body(**overrides) -> dict:
    body = {
        "type": "need",
        "language": "en",
        "title": "Training in marine spatial planning",
        "summary": "Help with mapping marine ecosystems for spatial planning.",
        "body": "Two weeks of training.\n\nFor ten people.",
        "targets": ["GBF-T3"],
        "fields": {"needed": "A trainer and data.", "support_kind": "training", "urgency": "high"},
    }
    body.update(overrides)
    return body


@pytest.fixture
def service_user(make_user):
    return make_user("portal-fr-service", roles.SUBMITTER)


def issue(name, acting_user, **scope) -> tuple[ApiClient, str]:
    client = ApiClient(name=name, acting_user=acting_user, **scope)
    token = client.issue_token()
    client.save()
    return client, token


@pytest.fixture
def france_client(site_pages, service_user):
    return issue("National portal of France", service_user, scope_country=Country.objects.get(code="FR"))


@pytest.fixture
def api(france_client):
    """An API client sending France's token."""
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Token {france_client[1]}")
    return http


def post(http, body, key="key-1", **headers):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return http.post("/api/v1/submissions/", body, format="json", **extra, **headers)
