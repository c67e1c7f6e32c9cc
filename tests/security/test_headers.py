"""Every response carries the Content-Security-Policy (no inline script), the Permissions-Policy and
the other browser security headers: public pages, sign-in, the admin, the API and the error pages."""

import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from tests.records.factories import NeedFactory, records_index

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_protected(response, *, framing="'none'"):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["script-src"][0] == "'self'"
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == [framing]
    assert policy["report-uri"] == ["/csp-report/"]
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def nonces(response) -> list[str]:
    return re.findall(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])


def test_public_home_page(client, site_pages):
    response = client.get("/en/")

    assert response.status_code == 200
    assert_protected(response)
    assert nonces(response) == []  # a public page needs no nonce, so a shared cache may keep it


def test_records_listing_with_its_map(client, site_pages):
    NeedFactory(parent=records_index("en"), title="Need with a place")

    response = client.get("/en/records/")

    assert response.status_code == 200
    assert_protected(response)
    assert nonces(response) == []


def test_public_sign_in_page(client, site_pages):
    response = client.get("/en/accounts/login/")

    assert response.status_code == 200
    assert_protected(response)


def test_admin_sign_in_page(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    # The admin may frame itself: the editor's preview panel.
    assert_protected(response, framing="'self'")
    assert response.headers["X-Frame-Options"] == "DENY"


def test_admin_dashboard(client, administrator):
    client.force_login(administrator)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert_protected(response, framing="'self'")


def test_the_search_api(client, site_pages):
    response = client.get("/api/search/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert_protected(response)


def test_the_not_found_page(client, site_pages):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert_protected(response)


def test_the_server_error_page(settings):
    settings.ROOT_URLCONF = "tests.security.urls"
    client = Client(raise_request_exception=False)

    response = client.get("/broken/")

    assert response.status_code == 500
    assert_protected(response)
    # Its styles are inline, which the policy allows for styles only.
    assert "'unsafe-inline'" in directives(response)["style-src"]


def test_the_page_editor_nonce_covers_exactly_wagtails_initialisers(client, administrator, site_pages):
    need = NeedFactory(parent=records_index("en"), title="Need edited in the admin")
    client.force_login(administrator)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[need.pk]))

    assert response.status_code == 200
    assert_protected(response, framing="'self'")
    [nonce] = nonces(response)
    document = BeautifulSoup(response.content.decode(), "html.parser")
    inline = [script for script in document.find_all("script") if not script.get("src")]
    executable = [script for script in inline if script.get("type", "text/javascript") == "text/javascript"]
    # The record editor has inline panels and date inputs, each initialised inline by Wagtail.
    assert any("new InlinePanel(" in script.string for script in executable)
    assert any("initDateChooser(" in script.string for script in executable)
    assert all(script.get("nonce") == nonce for script in executable)
    # Data blocks stay data: no nonce on them.
    assert all(script.get("nonce") is None for script in inline if script not in executable)


def test_a_fresh_nonce_for_each_admin_response(client, administrator, site_pages):
    need = NeedFactory(parent=records_index("en"), title="Need edited twice")
    client.force_login(administrator)
    url = reverse("wagtailadmin_pages:edit", args=[need.pk])

    first, second = nonces(client.get(url)), nonces(client.get(url))

    assert len(first) == len(second) == 1 and first != second


def test_a_script_injected_into_an_admin_page_gets_no_nonce(client, administrator, site_pages):
    """A record whose title holds a script is escaped by Wagtail anyway; were it ever printed raw,
    the middleware would not bless it, because it is not one of Wagtail's initialisers."""
    from cms.security.admin_scripts import with_nonces

    html = (
        '<script>initDateChooser("id_start", {"dayOfWeekStart": 1});</script>'
        '<script>initDateChooser("id_start", {"dayOfWeekStart": 1}); alert(1);</script>'
        '<script>initDateChooser("id_start", alert(1));</script>'
        '<script>(function() { var panel = new InlinePanel(JSON.parse("{}")); alert(1); })();</script>'
        '<script>new PageChooser("id_page", {"modelNames": ["wagtailcore.page"]});</script>'
        '<script>new PageChooser("id_page", {"modelNames": window.name});</script>'
        '<script src="/static/x.js"></script>'
        '<script type="application/json">{"a": 1}</script>'
    )

    rewritten, given = with_nonces(html, "N0nce")

    assert given == 2
    blessed = re.findall(r'<script nonce="N0nce">(.*?)</script>', rewritten)
    assert blessed == [
        'initDateChooser("id_start", {"dayOfWeekStart": 1});',
        'new PageChooser("id_page", {"modelNames": ["wagtailcore.page"]});',
    ]


def test_public_pages_are_never_rewritten(client, site_pages):
    """Only /admin/ responses are read for initialisers: a public page is sent as the template made it."""
    response = client.get("/en/")

    assert "nonce=" not in response.content.decode()
