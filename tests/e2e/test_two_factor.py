"""An Editor's first sign-in with two-factor sign-in enforced, in a real browser: the admin sends it to
enrolment, it scans (here: reads) the secret, types the app's code, keeps its backup codes, and lands in
the admin."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def authenticator_code(secret: str) -> str:
    """What an authenticator app shows for ``secret`` (base32, as printed on the page) now."""
    padded = secret + "=" * (-len(secret) % 8)
    totp = TOTP(b32decode(padded))
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_an_editor_enrols_on_first_sign_in_and_reaches_the_admin(live_site, page, settings, editor, tmp_path):
    settings.TWO_FACTOR_ENFORCED = True

    page.goto(f"{live_site.url}/admin/login/")
    page.get_by_label(re.compile("Username", re.I)).fill(editor.username)
    page.get_by_label(re.compile("Password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()

    page.wait_for_url(re.compile(r"/en/accounts/two-factor/setup/\?next=%2Fadmin%2F"))
    qr = page.locator("figure.qr svg")
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 150 and box["height"] >= 150  # big enough to scan
    page.screenshot(path=str(tmp_path / "two-factor-setup.png"), full_page=True)
    secret = page.locator("code.secret").inner_text().replace(" ", "")

    page.get_by_label("Type the six-digit code the app shows").fill(authenticator_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    page.wait_for_url(re.compile(r"/en/accounts/two-factor/backup-codes/"))
    assert page.locator(".backup-codes code").count() == 10
    page.get_by_role("link", name="I have kept them: continue").click()

    page.wait_for_url(re.compile(r"/admin/$"))
    assert page.locator("body.wagtail-dashboard, main").first.is_visible()
