"""Every operation of the OpenAPI schema at /api/schema/, exercised by schemathesis with examples
generated from the schema (valid and invalid), against the portal's WSGI application and database.

No answer may be a server error; every answer must be documented (status code, content type) and its
body must match the documented schema. The API reads invalid optional parameters leniently (ignored,
with a warning), so the check that invalid data is refused with 4xx is left out on purpose.
The number of cases run per operation is printed at the end of the session (tests/api/conftest.py).
"""

from collections import Counter

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.records.factories import NeedFactory, OfferFactory, country, target

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    positive_data_acceptance,
]
CASES: Counter = Counter()


pytestmark = pytest.mark.django_db

# Loaded through the application itself when the module is collected (serving the schema needs no
# database); each case then calls the same application in the test's transaction.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def published(site_pages, django_capture_on_commit_callbacks):
    """A few published records, so that searches find something and every part of a result is shown."""
    with django_capture_on_commit_callbacks(execute=True):
        for record in (
            NeedFactory(title="Invasive species early warning", countries=[country("FR")], gbf_targets=[target(6)]),
            OfferFactory(title="Training on species distribution", countries=[country("KE")]),
        ):
            record.save_revision().publish()


@pytest.fixture
def connection_kept():
    """Requests through the bare WSGI application would close the test's database connection at
    their end (Django's test client disconnects the same handler for the same reason)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(published, connection_kept, case):
    CASES[f"{case.method.upper()} {case.path}"] += 1
    case.call_and_validate(checks=CHECKS)


@pytest.mark.parametrize("fmt", ["json", "yaml", "", "bogus", "%ff"])
@pytest.mark.parametrize("lang", ["en", "zh-hans", "", "xx"])
def test_the_schema_operation_answers_every_variant(client, fmt, lang):
    """The schema's own operation (schemathesis does not generate cases for it): documented formats
    answer 200, anything else a client error, never a server error."""
    response = client.get(f"/api/schema/?format={fmt}&lang={lang}")

    if fmt in ("json", "yaml", "") and lang in ("en", "zh-hans", ""):
        assert response.status_code == 200
        assert response["Content-Type"].split(";")[0] in {
            "application/vnd.oai.openapi",
            "application/vnd.oai.openapi+json",
            "application/yaml",
            "application/json",
        }
    else:
        assert response.status_code < 500
