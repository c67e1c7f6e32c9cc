"""The headers under production settings, from gunicorn: what a deployed portal really sends."""

import pytest

from tests.deploy.test_production_build import built, gunicorn, static_build  # noqa: F401 - fixtures

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_gunicorn_sends_the_policy_on_pages_and_the_admin(gunicorn, site_pages):  # noqa: F811
    response, _body = gunicorn.get("/en/")
    assert response.status == 200, gunicorn.output()
    policy = response.getheader("Content-Security-Policy")
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert "camera=()" in response.getheader("Permissions-Policy")
    assert response.getheader("Referrer-Policy") == "same-origin"
    assert response.getheader("X-Content-Type-Options") == "nosniff"

    response, _body = gunicorn.get("/admin/login/")
    assert response.status == 200, gunicorn.output()
    assert "frame-ancestors 'self'" in response.getheader("Content-Security-Policy")
