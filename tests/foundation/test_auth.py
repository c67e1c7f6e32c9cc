"""Signing in: the Wagtail admin for editors, the public login form for everyone."""

import pytest
from bs4 import BeautifulSoup

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_editor_signs_in_to_the_admin(client, editor):
    response = client.post("/admin/login/", {"username": editor.username, "password": PASSWORD})

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_admin_login_refuses_a_wrong_password(client, editor):
    response = client.post("/admin/login/", {"username": editor.username, "password": "not-the-password"})

    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to the login page


def test_public_login_signs_in_and_follows_next(client, submitter):
    response = client.post(
        "/en/accounts/login/", {"username": submitter.username, "password": PASSWORD, "next": "/en/news/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/news/"
    assert str(submitter.pk) == client.session["_auth_user_id"]


def test_public_login_with_a_wrong_password_keeps_the_username(client, submitter):
    response = client.post("/en/accounts/login/", {"username": submitter.username, "password": "wrong"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    document = BeautifulSoup(response.content.decode(), "html.parser")
    error = document.select_one("[role=alert]")
    assert error is not None
    assert "The user name or password is not right" in error.get_text()
    assert document.select_one("input[name=username]")["value"] == submitter.username
    assert document.select_one("input[name=password]").get("value") in (None, "")


def test_public_login_error_on_the_french_page(client, submitter):
    response = client.post("/fr/accounts/login/", {"username": submitter.username, "password": "wrong"})

    assert response.status_code == 200
    document = BeautifulSoup(response.content.decode(), "html.parser")
    assert document.html["lang"] == "fr"
    assert document.select_one("[role=alert]") is not None
