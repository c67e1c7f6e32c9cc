"""A request body larger than REQUEST_MAX_BODY_SIZE is refused (413) before it is read; the proxy
in front says the same limit."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from wagtail.documents import get_document_model

pytestmark = pytest.mark.django_db

NGINX_CONF = Path(settings.BASE_DIR) / "deploy" / "nginx" / "portal.conf"


def test_the_proxy_and_the_portal_share_the_limit():
    match = re.search(r"client_max_body_size\s+(\d+)m;", NGINX_CONF.read_text())
    assert match, "the proxy sets no body size limit"
    assert int(match.group(1)) * 1024 * 1024 == settings.REQUEST_MAX_BODY_SIZE
    # Ten attachments of the largest size fit, with room for the form's other fields.
    assert settings.REQUEST_MAX_BODY_SIZE >= settings.UPLOAD_MAX_FILES * settings.WAGTAILDOCS_MAX_UPLOAD_SIZE


@override_settings(REQUEST_MAX_BODY_SIZE=1000)
def test_a_declared_body_above_the_limit_is_refused_unread(client, site_pages):
    url = reverse("workspace:create", args=["need"])
    response = client.generic("POST", url, b"x" * 2000, content_type="application/octet-stream")

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "larger than 1000\xa0bytes" in response.content.decode()
    assert not get_document_model().objects.exists()


@override_settings(REQUEST_MAX_BODY_SIZE=1000)
def test_api_clients_get_problem_details(client):
    response = client.generic("POST", "/api/search/", b"x" * 2000, content_type="application/json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 413 and body["title"] == "Request too large"
    assert "larger than 1000\xa0bytes" in body["detail"]


def test_a_content_length_that_is_not_a_number_is_a_bad_request(client):
    response = client.get("/api/search/", CONTENT_LENGTH="lots")

    assert response.status_code == 400
    assert response.json()["detail"] == "The request's Content-Length is not a number."


@override_settings(REQUEST_MAX_BODY_SIZE=1000)
def test_requests_within_the_limit_pass(client, site_pages):
    assert client.get("/en/search/", {"q": "x" * 100}).status_code == 200
    assert client.post("/api/search/", b"{}", content_type="application/json").status_code == 405
