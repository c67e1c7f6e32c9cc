"""The violation report endpoint: takes both report formats, logs them, and refuses floods, big
bodies and garbage with problem details instead of an error page."""

import json
import logging

import pytest
from django.core.cache import cache
from django.test import Client

from cms.security import reports

URL = "/csp-report/"
REPORT = {
    "csp-report": {
        "document-uri": "https://portal.example.org/en/",
        "blocked-uri": "inline",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'",
    }
}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def post(body, *, content_type="application/csp-report", address="198.51.100.7"):
    client = Client(enforce_csrf_checks=True)  # browsers send no token: the view must not need one
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(URL, data, content_type=content_type, REMOTE_ADDR=address)


def test_a_report_uri_report_is_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="cms.security.csp"):
        response = post(REPORT)

    assert response.status_code == 204
    [record] = caplog.records
    assert '"blocked-uri": "inline"' in record.getMessage()
    assert '"document-uri": "https://portal.example.org/en/"' in record.getMessage()
    assert "original-policy" not in record.getMessage()  # only the fields worth keeping


def test_a_reporting_api_report_is_logged(caplog):
    body = [
        {
            "type": "csp-violation",
            "body": {
                "documentURL": "https://portal.example.org/admin/",
                "blockedURL": "eval",
                "effectiveDirective": "script-src",
            },
        }
    ]
    with caplog.at_level(logging.WARNING, logger="cms.security.csp"):
        response = post(body, content_type="application/reports+json")

    assert response.status_code == 204
    assert '"effective-directive": "script-src"' in caplog.records[0].getMessage()


@pytest.mark.parametrize("body", [b"not json", b"\xff\xfe", b"[1, 2]", b'{"csp-report": "x"}', b"{}"])
def test_garbage_gets_problem_details(body):
    response = post(body)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400


def test_a_large_body_is_refused_unread():
    padding = "x" * (reports.MAX_BODY + 1)
    response = post({"csp-report": {**REPORT["csp-report"], "script-sample": padding}})

    assert response.status_code == 413
    assert response.json()["title"] == "Report too large"


def test_only_post_is_accepted():
    assert Client().get(URL).status_code == 405


def test_a_flood_from_one_address_is_refused_and_others_still_report():
    answers = [post(REPORT).status_code for _ in range(reports.REPORTS_PER_MINUTE + 2)]

    assert answers[: reports.REPORTS_PER_MINUTE] == [204] * reports.REPORTS_PER_MINUTE
    assert answers[-1] == 429
    assert post(REPORT, address="203.0.113.9").status_code == 204


def test_the_report_carries_the_policy_too():
    """Even the endpoint's own answers are covered (a problem document is not a page, but still)."""
    response = post(b"nope")

    assert "default-src 'self'" in response["Content-Security-Policy"]
