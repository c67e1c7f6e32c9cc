"""schemathesis over the open API's operations (/api/v1/) with content of every kind published, so that
every part of an item's representation is generated and checked against the schema.

tests/api/test_schemathesis.py runs the same checks over the whole /api/schema/ with a few records;
this module adds events, networks, news, a translation, a tombstone and an award cycle with published
results (beside one whose results are not published), so that answers carry every field. No answer
may be a server error or differ from what the schema documents, and a request the schema calls valid
must be accepted.
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

from tests.awards.factories import make_cycle, make_result
from tests.events.factories import EventFactory
from tests.networks.factories import NetworkFactory
from tests.records.factories import ExpertProfileFactory, NeedFactory, OrganisationFactory, country, target

MAX_EXAMPLES = 20
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

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application()).include(
    path_regex="^/api/v1/"
)


@pytest.fixture
def content(site_pages, django_capture_on_commit_callbacks):
    from wagtail.models import Locale

    with django_capture_on_commit_callbacks(execute=True):
        need = NeedFactory(title="Early warning", countries=[country("FR")], gbf_targets=[target(3)])
        need.save_revision().publish()
        for page in (OrganisationFactory(), ExpertProfileFactory(), EventFactory(), NetworkFactory()):
            page.save_revision().publish()
        french = need.copy_for_translation(Locale.objects.get(language_code="fr"), copy_parents=True)
        french.save_revision().publish()
        gone = NeedFactory()
        gone.save_revision().publish()
        gone.unpublish()
        make_result(make_cycle(site_pages["awards"], slug="decided", offset_days=-200), published=True)
        make_result(make_cycle(site_pages["awards"], slug="undecided", offset_days=-200), published=False)


@pytest.fixture
def connection_kept():
    """Requests through the bare WSGI application would close the test's database connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def _report_cases(request):
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter and CASES:
        reporter.write_line(
            "schemathesis /api/v1/ cases: "
            + ", ".join(f"{operation} {count}" for operation, count in sorted(CASES.items()))
            + f" (total {sum(CASES.values())})"
        )


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_v1_operation_answers_as_documented(content, connection_kept, case):
    CASES[f"{case.method.upper()} {case.path}"] += 1
    case.call_and_validate(checks=CHECKS)
