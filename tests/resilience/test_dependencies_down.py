"""Redis (cache and broker), Elasticsearch and SMTP all unreachable at once, each at a closed loopback
port: the public site, signing in and the review keep working; what could not be done waits, and is
done when the dependencies are back.

Transactional, so that the after-commit work (indexing, e-mails) runs as it does in production.
"""

import datetime
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.records.factories import NeedFactory
from tests.workflows.helpers import open_task
from workflows.notifications.models import OutboxEmail
from workflows.notifications.tasks import send_due_emails
from workflows.permissions import State
from workflows.review.flows import SubmissionFlow
from workflows.review.models import Submission

from .conftest import celery_broker, redis_cache_settings, smtp_settings

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in(path: str, username: str) -> Client:
    """A client signed in through the real form at ``path``."""
    client = Client()
    response = client.post(path, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_the_portal_works_with_redis_elasticsearch_and_smtp_down(people, draft, settings, closed_port, smtp_server):
    record = NeedFactory(title="Coral reef monitoring need")
    record.save_revision().publish()  # indexed in the database while everything is up

    with celery_broker(f"redis://127.0.0.1:{closed_port}/0"):
        redis_cache_settings(settings, f"redis://127.0.0.1:{closed_port}/0")
        settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port}"
        smtp_settings(settings, closed_port)
        visitor = Client()

        # The public site.
        for path in ("/en/", "/fr/", "/en/records/", record.url, "/en/news/", "/sitemap.xml"):
            assert visitor.get(path).status_code == 200, path

        # Search, with its notice, on the page and in the API.
        page = visitor.get("/en/search/", {"q": "coral"})
        assert page.status_code == 200
        document = BeautifulSoup(page.content.decode(), "html.parser")
        assert document.select_one(".search-notice") is not None
        assert "Coral reef monitoring need" in document.get_text()
        api = visitor.get("/api/search/", {"q": "coral"})
        assert api.status_code == 200 and api.json()["notice"] and api.json()["total"] == 1

        # Signing in, on the public form and in the admin.
        submitter = sign_in("/en/accounts/login/", people.submitter.username)
        assert submitter.get(reverse("workspace:home")).status_code == 200
        editor = sign_in("/admin/login/", people.editor.username)
        assert editor.get("/admin/").status_code == 200

        # The review: the submitter submits, the editor screens; both transitions commit.
        response = submitter.post(reverse("workspace:submit", args=[draft.pk]))
        assert response.status_code == 302
        screening = open_task(draft, SubmissionFlow.screen)
        response = editor.post(
            reverse("workspace:task", kwargs={"task_pk": screening.pk}), {"outcome": "review", "comment": "In scope."}
        )
        assert response.status_code == 302
        assert Submission.objects.get(pk=draft.pk).state == State.ASSIGNMENT

        # Their e-mails wait in the outbox: the broker could not take them.
        waiting = OutboxEmail.objects.unsent()
        assert waiting.filter(recipient=people.submitter.email).exists()
        assert smtp_server.messages == []

        # Readiness names what is down, and the portal stays in service.
        readiness = visitor.get("/readyz")
        assert readiness.status_code == 200
        report = readiness.json()
        assert report["status"] == "degraded"
        assert {name for name, check in report["checks"].items() if check["status"] == "down"} == {
            "cache",
            "broker",
            "search",
            "smtp",
        }
        assert report["outbox"]["unsent"] == waiting.count()

    # The broker is back, the mail server not yet: the sweep tries, records why it failed.
    assert send_due_emails() == 0
    for email in OutboxEmail.objects.all():
        assert email.sent_at is None and email.attempts == 1
        assert email.last_error.startswith("ConnectionRefusedError")

    # The mail server is back: everything goes, once.
    smtp_settings(settings, smtp_server.port)
    two_minutes_later = timezone.now() + datetime.timedelta(minutes=2)
    with mock.patch("django.utils.timezone.now", return_value=two_minutes_later):
        sent = send_due_emails()
    assert sent == OutboxEmail.objects.count() > 0
    assert not OutboxEmail.objects.unsent().exists()
    assert people.submitter.email in {envelope.rcpt_tos[0] for envelope in smtp_server.messages}
