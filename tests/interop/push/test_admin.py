"""API clients in the admin: only Administrators issue and revoke them; the token is shown once."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from content_types.vocabularies.models import Country
from interop.push.models import ApiClient, hash_token

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def issue_in_admin(browser, acting_user, **extra):
    data = {
        "name": "National portal of France",
        "scope_country": Country.objects.get(code="FR").pk,
        "scope_organisation": "",
        "acting_user": acting_user.pk,
        **extra,
    }
    return browser.post(reverse("push_apiclient:add"), data)


def test_administrator_issues_a_client_and_sees_its_token_once(site_pages, administrator, submitter):
    browser = signed_in(administrator)
    response = issue_in_admin(browser, submitter)
    assert response.status_code == 200, response.content[:2000]
    token = re.search(r'<code id="api-token">([^<]+)</code>', response.content.decode()).group(1)
    client = ApiClient.objects.get()
    assert client.token_hash == hash_token(token)
    assert client.issued_by == administrator
    assert client.is_active
    edit = browser.get(reverse("push_apiclient:edit", args=[client.pk])).content.decode()
    listing = browser.get(reverse("push_apiclient:index")).content.decode()
    assert token not in edit and token not in listing
    assert client.token_prefix in listing


def test_a_client_needs_one_scope(site_pages, administrator, submitter):
    browser = signed_in(administrator)
    response = issue_in_admin(browser, submitter, scope_country="")
    assert response.status_code == 400 or b"Choose either a country or an organisation" in response.content
    assert not ApiClient.objects.exists()


def test_administrator_revokes_a_client(site_pages, administrator, submitter):
    browser = signed_in(administrator)
    issue_in_admin(browser, submitter)
    client = ApiClient.objects.get()
    assert browser.get(reverse("push_apiclient:revoke", args=[client.pk])).status_code == 200
    response = browser.post(reverse("push_apiclient:revoke", args=[client.pk]))
    assert response.status_code == 302
    client.refresh_from_db()
    assert not client.is_active and client.revoked_at is not None


def test_editors_cannot_see_issue_or_revoke_clients(site_pages, administrator, editor, submitter):
    issue_in_admin(signed_in(administrator), submitter)
    client = ApiClient.objects.get()
    browser = signed_in(editor)
    for url in (reverse("push_apiclient:index"), reverse("push_apiclient:add")):
        assert browser.get(url).status_code in (302, 403)
    assert issue_in_admin(browser, submitter).status_code in (302, 403)
    assert browser.post(reverse("push_apiclient:revoke", args=[client.pk])).status_code in (302, 403)
    assert ApiClient.objects.count() == 1
    client.refresh_from_db()
    assert client.is_active


def test_the_issuing_administrator_is_the_default_acting_user(site_pages, administrator):
    form = signed_in(administrator).get(reverse("push_apiclient:add")).context["form"]
    assert form.initial["acting_user"] == administrator.pk
