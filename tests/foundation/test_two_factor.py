"""Two-factor sign-in: enforced for Administrators and Editors (when TWO_FACTOR_ENFORCED is on),
optional for everyone else, asked for on the admin, the workspace and account pages only."""

import subprocess
import sys
import time
from base64 import b32encode
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.accounts.two_factor import BACKUP_CODE_COUNT, new_backup_codes
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = "/en/accounts/two-factor/setup/"
VERIFY = "/en/accounts/two-factor/verify/"


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.TWO_FACTOR_ENFORCED = True


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def signed_in(user) -> Client:
    """Signed in with the password only, as the admin's login form does."""
    client = Client()
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def redirect_target(response) -> tuple[str, str]:
    assert response.status_code == 302, response.status_code
    location = urlparse(response["Location"])
    return location.path, parse_qs(location.query).get("next", [""])[0]


def test_an_editor_without_a_device_is_sent_to_enrolment_from_the_admin_and_the_workspace(editor):
    client = signed_in(editor)

    assert redirect_target(client.get("/admin/pages/")) == (SETUP, "/admin/pages/")
    assert redirect_target(client.get("/en/workspace/tasks/")) == (SETUP, "/en/workspace/tasks/")
    assert redirect_target(client.get("/en/accounts/profile/"))[0] == SETUP
    assert client.get("/en/").status_code == 200  # the public site never asks


def test_administrators_and_superusers_too(administrator, make_user):
    superuser = make_user("root", is_superuser=True, is_staff=True)

    assert redirect_target(signed_in(administrator).get("/admin/"))[0] == SETUP
    assert redirect_target(signed_in(superuser).get("/admin/"))[0] == SETUP


def test_it_is_optional_for_other_roles(reviewer, submitter):
    assert signed_in(submitter).get("/en/workspace/").status_code == 200
    assert signed_in(reviewer).get("/en/workspace/tasks/").status_code == 200


def test_enrolment_shows_a_qr_code_drawn_here_and_the_secret(editor):
    client = signed_in(editor)

    response = client.get(SETUP, {"next": "/admin/"})

    assert response.status_code == 200
    document = BeautifulSoup(response.content.decode(), "html.parser")
    svg = document.select_one("figure.qr svg.qr-code")
    assert svg is not None and svg.select_one("path") is not None  # inline SVG, no image from elsewhere
    assert document.select("img[src^=http]") == []
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    secret = document.select_one("code.secret").get_text().replace(" ", "")
    assert secret == b32encode(device.bin_key).decode().rstrip("=")
    # Reloading keeps the same secret until it is confirmed.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=editor).count() == 1


def test_enrolling_with_a_valid_code_opens_the_admin_and_gives_backup_codes(editor):
    client = signed_in(editor)
    client.get(SETUP, {"next": "/admin/"})
    device = TOTPDevice.objects.get(user=editor)

    response = client.post(SETUP, {"code": current_code(device), "next": "/admin/"})

    assert redirect_target(response) == (reverse("accounts:two_factor_backup_codes"), "/admin/")
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(response["Location"])
    codes = [
        item.get_text()
        for item in BeautifulSoup(codes_page.content.decode(), "html.parser").select(".backup-codes code")
    ]
    assert len(codes) == BACKUP_CODE_COUNT == StaticDevice.objects.get(user=editor).token_set.count()
    assert client.get(reverse("accounts:two_factor_backup_codes")).status_code == 302  # shown once
    assert client.get("/admin/").status_code == 200


def test_enrolling_with_a_wrong_code_is_refused(editor):
    client = signed_in(editor)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=editor)

    response = client.post(SETUP, {"code": wrong_code(device)})

    assert response.status_code == 200
    assert (
        "This code is not right"
        in BeautifulSoup(response.content.decode(), "html.parser").select_one("[role=alert]").get_text()
    )
    device.refresh_from_db()
    assert not device.confirmed
    assert redirect_target(client.get("/admin/"))[0] == SETUP


def test_an_enrolled_editor_with_a_valid_code_gets_in(editor):
    device = enrolled(editor)
    client = signed_in(editor)
    assert redirect_target(client.get("/admin/pages/")) == (VERIFY, "/admin/pages/")

    response = client.post(VERIFY, {"code": current_code(device), "next": "/admin/pages/"})

    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200
    assert client.get("/en/workspace/tasks/").status_code == 200


def test_an_enrolled_editor_with_a_wrong_code_does_not(editor):
    device = enrolled(editor)
    client = signed_in(editor)

    response = client.post(VERIFY, {"code": wrong_code(device), "next": "/admin/"})

    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    assert redirect_target(client.get("/admin/"))[0] == VERIFY


def test_a_code_cannot_be_used_twice(editor):
    device = enrolled(editor)
    code = current_code(device)
    first = signed_in(editor)
    assert first.post(VERIFY, {"code": code}).status_code == 302

    second = signed_in(editor)
    response = second.post(VERIFY, {"code": code})

    assert response.status_code == 200
    assert redirect_target(second.get("/admin/"))[0] == VERIFY


def test_a_backup_code_works_once(editor):
    enrolled(editor)
    code = new_backup_codes(editor)[0]
    client = signed_in(editor)

    response = client.post(VERIFY, {"code": code.upper(), "next": "/admin/"})

    assert response.status_code == 302 and client.get("/admin/").status_code == 200
    other = signed_in(editor)
    assert other.post(VERIFY, {"code": code}).status_code == 200  # used up


def test_the_public_login_goes_to_the_code_next(editor):
    enrolled(editor)
    client = Client()

    response = client.post("/en/accounts/login/", {"username": editor.username, "password": PASSWORD, "next": "/en/"})

    assert redirect_target(response) == (VERIFY, "/en/")


def test_a_reviewer_who_enrolled_is_asked_for_a_code_too(reviewer):
    enrolled(reviewer)

    assert redirect_target(signed_in(reviewer).get("/en/workspace/tasks/"))[0] == VERIFY


def test_nobody_removes_two_factor_with_the_password_alone(reviewer):
    enrolled(reviewer)
    client = signed_in(reviewer)

    response = client.post(reverse("accounts:two_factor_remove"))

    assert redirect_target(response)[0] == VERIFY
    assert TOTPDevice.objects.filter(user=reviewer).exists()


def test_an_editor_cannot_turn_it_off_but_a_reviewer_can(editor, reviewer):
    for user in (editor, reviewer):
        device = enrolled(user)
        client = signed_in(user)
        client.post(VERIFY, {"code": current_code(device)})
        client.post(reverse("accounts:two_factor_remove"))

    assert TOTPDevice.objects.filter(user=editor).exists()
    assert not TOTPDevice.objects.filter(user=reviewer).exists()


def test_verify_sends_nowhere_outside_the_portal(editor):
    device = enrolled(editor)
    client = signed_in(editor)

    response = client.post(VERIFY, {"code": current_code(device), "next": "https://evil.example.org/"})

    assert response.status_code == 302 and not response["Location"].startswith("https://evil")


def test_with_enforcement_off_the_demo_editor_uses_the_admin_with_a_password(settings, editor):
    settings.TWO_FACTOR_ENFORCED = False

    assert signed_in(editor).get("/admin/").status_code == 200


@pytest.mark.slow
def test_production_enforces_and_development_does_not():
    """Read in fresh processes: the value each settings module gives when the variable is unset."""
    import os
    import secrets

    from cms.settings import env

    base_env = {key: value for key, value in os.environ.items() if key not in env.VARIABLES}
    base_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    script = "from django.conf import settings; print(settings.TWO_FACTOR_ENFORCED)"
    values = {}
    for module in ("cms.settings.production", "cms.settings.dev"):
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {script}"],
            env={
                **base_env,
                "DJANGO_SETTINGS_MODULE": module,
                "SECRET_KEY": secrets.token_urlsafe(60),
                "ALLOWED_HOSTS": "portal.example.org",
            },
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        values[module] = result.stdout.strip().splitlines()[-1]

    assert values == {"cms.settings.production": "True", "cms.settings.dev": "False"}


def test_the_admin_account_page_leads_to_the_two_factor_settings(settings, editor):
    settings.TWO_FACTOR_ENFORCED = False
    client = signed_in(editor)

    page = BeautifulSoup(client.get("/admin/account/").content.decode(), "html.parser")

    link = page.find("a", string="Two-factor sign-in")
    assert link is not None and client.get(link["href"]).status_code == 200
