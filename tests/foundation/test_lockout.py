"""Sign-in throttling: failures count per user name *and* address together, the address comes from a
trusted proxy's header only, and a person who is paused is told why and until when."""

import pytest
from axes.models import AccessAttempt
from bs4 import BeautifulSoup
from django.test import Client

from cms.accounts.addresses import client_address
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 3
PAUSED = "Too many failed sign-in attempts with this user name from your address"
PUBLIC_LOGIN = "/en/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def throttling(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.TRUSTED_PROXIES = []


def attempt(username, password, *, address="198.51.100.7", forwarded=None, path=PUBLIC_LOGIN):
    """A fresh browser posting the sign-in form; returns its response and whether it is now signed in."""
    client = Client()
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    response = client.post(path, {"username": username, "password": password}, **extra)
    return response, "_auth_user_id" in client.session


def fail(username, times=LIMIT, **where):
    for _ in range(times):
        attempt(username, "not-the-password", **where)


def alert_text(response) -> str:
    document = BeautifulSoup(response.content.decode(), "html.parser")
    return " ".join(element.get_text(" ", strip=True) for element in document.select("[role=alert], .error"))


def test_the_pair_is_paused_and_told_why_and_until_when(submitter):
    fail(submitter.username)

    response, signed_in = attempt(submitter.username, PASSWORD)  # even the right password

    assert not signed_in
    assert response.status_code == 429
    message = alert_text(response)
    assert PAUSED in message
    assert "try again in 60 minutes, at" in message and "(UTC)" in message
    # The form is still there, with what was typed.
    document = BeautifulSoup(response.content.decode(), "html.parser")
    assert document.select_one("input[name=username]")["value"] == submitter.username


def test_another_person_at_the_same_address_still_signs_in(submitter, editor):
    fail(submitter.username)

    _response, signed_in = attempt(editor.username, PASSWORD)

    assert signed_in


def test_the_same_person_from_another_address_still_signs_in(submitter):
    fail(submitter.username, address="198.51.100.7")

    _response, signed_in = attempt(submitter.username, PASSWORD, address="203.0.113.20")

    assert signed_in


def test_below_the_limit_the_right_password_works_and_clears_the_count(submitter):
    fail(submitter.username, times=LIMIT - 1)

    _response, signed_in = attempt(submitter.username, PASSWORD)
    fail(submitter.username, times=LIMIT - 1)
    _response, again = attempt(submitter.username, PASSWORD)

    assert signed_in and again


def test_a_forged_forwarded_for_from_an_untrusted_client_is_ignored(submitter):
    """An attacker cannot dodge the count by claiming a new address in each request."""
    for number in range(LIMIT):
        attempt(submitter.username, "wrong", address="198.51.100.7", forwarded=f"192.0.2.{number + 1}")

    response, signed_in = attempt(submitter.username, PASSWORD, address="198.51.100.7", forwarded="192.0.2.99")

    assert not signed_in and response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_behind_a_trusted_proxy_the_forwarded_client_address_counts(settings, submitter):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    proxy = {"address": "10.0.0.2"}
    fail(submitter.username, forwarded="203.0.113.5", **proxy)

    locked, locked_in = attempt(submitter.username, PASSWORD, forwarded="203.0.113.5", **proxy)
    _response, elsewhere = attempt(submitter.username, PASSWORD, forwarded="203.0.113.6", **proxy)
    # What the client wrote itself, left of what the proxy appended, is not believed.
    _response, spoofed = attempt(submitter.username, PASSWORD, forwarded="203.0.113.6, 203.0.113.5", **proxy)

    assert not locked_in and locked.status_code == 429
    assert elsewhere  # every visitor shares the proxy's address; only the pair is paused
    assert not spoofed


def test_the_admin_login_shows_the_message_too(editor):
    fail(editor.username, path=ADMIN_LOGIN)

    response, signed_in = attempt(editor.username, PASSWORD, path=ADMIN_LOGIN)

    assert not signed_in and response.status_code == 429
    assert PAUSED in alert_text(response)


class FakeRequest:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], "198.51.100.7", "192.0.2.1", "198.51.100.7"),  # no proxy trusted: the header is ignored
        (["10.0.0.2"], "198.51.100.7", "192.0.2.1", "198.51.100.7"),  # not from the proxy
        (["10.0.0.2"], "10.0.0.2", "192.0.2.1", "192.0.2.1"),
        (["10.0.0.0/24"], "10.0.0.2", "192.0.2.9, 192.0.2.1, 10.0.0.3", "192.0.2.1"),  # two proxies
        (["10.0.0.2"], "10.0.0.2", "not-an-address", "10.0.0.2"),
        (["10.0.0.2"], "10.0.0.2", None, "10.0.0.2"),
        (["2001:db8::/32"], "2001:db8::1", "2001:db8::5, 2a00:1450::1", "2a00:1450::1"),
    ],
)
def test_client_address(settings, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted

    assert client_address(FakeRequest(remote, forwarded)) == expected


def test_the_message_is_translated(submitter):
    from django.utils import translation

    with translation.override("fr"):
        if translation.gettext(
            "Too many failed sign-in attempts with this user name from your address. Ask an administrator to unlock it."
        ).startswith("Too many"):
            pytest.skip("The French catalogue is not compiled: run manage.py compile_catalogues")
    fail(submitter.username, path="/fr/accounts/login/")

    response, signed_in = attempt(submitter.username, PASSWORD, path="/fr/accounts/login/")

    assert not signed_in and response.status_code == 429
    message = alert_text(response)
    assert "Trop de tentatives de connexion ont échoué avec ce nom d'utilisateur depuis votre adresse" in message
    assert "réessayez dans 60 minutes" in message
    assert PAUSED not in message
