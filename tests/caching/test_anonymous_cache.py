"""Anonymous pages are publicly cacheable with an ETag; anything personal is private."""

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_section_page_is_public_with_etag(client, site_pages):
    response = client.get("/en/news/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "s-maxage=300" in response["Cache-Control"]
    assert not response.cookies
    etag = response["ETag"]
    assert client.get("/en/news/", headers={"if-none-match": etag}).status_code == 304


def test_signed_in_pages_are_private(client, site_pages, editor):
    client.force_login(editor)
    response = client.get("/en/news/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_pages_that_set_a_cookie_are_private(client, site_pages):
    response = client.get("/en/accounts/login/")
    assert "csrftoken" in response.cookies
    assert "public" not in response["Cache-Control"]


def test_errors_are_not_cached_publicly(client, site_pages):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "public" not in response["Cache-Control"]
