"""Notification e-mails go through an outbox: written with the transition, sent after commit, kept and
retried while the mail server is down, sent when it is back — and never the cause of an error page."""

import datetime
import logging
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from workflows.notifications.events import Event
from workflows.notifications.models import Notification, OutboxEmail
from workflows.notifications.outbox import MAX_ATTEMPTS, retry_delay
from workflows.notifications.tasks import send_due_emails
from workflows.permissions import State
from workflows.review.models import Submission

from .conftest import smtp_settings

pytestmark = pytest.mark.django_db


def later(minutes: int):
    """Patch the clock ``minutes`` ahead (the outbox reads it through ``django.utils.timezone``)."""
    return mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(minutes=minutes))


def test_a_transition_succeeds_with_smtp_down_and_its_emails_wait_in_the_outbox(
    people, draft, client_for, settings, closed_port, smtp_server, django_capture_on_commit_callbacks, caplog
):
    smtp_settings(settings, closed_port)
    submitter = client_for(people.submitter)

    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response = submitter.post(reverse("workspace:submit", args=[draft.pk]))

    assert response.status_code == 302
    assert Submission.objects.get(pk=draft.pk).state == State.SCREENING
    # The in-site notifications are there as always.
    assert Notification.objects.filter(recipient=people.submitter, event=Event.SUBMISSION_RECEIVED).exists()
    # Each e-mail is in the outbox, unsent, with the refusal recorded and a next attempt planned.
    emails = OutboxEmail.objects.filter(recipient__in=[people.submitter.email, people.editor.email])
    assert emails.count() == 2
    for email in emails:
        assert email.sent_at is None
        assert email.attempts == 1
        assert email.last_error.startswith("ConnectionRefusedError")
        assert email.next_attempt_at > timezone.now()
    assert "not sent (attempt 1 of" in caplog.text

    # The mail server comes back: the periodic sweep sends them once their delay has passed.
    smtp_settings(settings, smtp_server.port)
    assert send_due_emails() == 0  # not due yet: nothing is hammered
    with later(minutes=2):
        sent = send_due_emails()
    assert sent == OutboxEmail.objects.count()
    received = {envelope.rcpt_tos[0]: envelope.content.decode() for envelope in smtp_server.messages}
    assert "Submission received" in received[people.submitter.email]
    assert people.editor.email in received
    assert not OutboxEmail.objects.unsent().exists()
    notification = Notification.objects.get(recipient=people.submitter, event=Event.SUBMISSION_RECEIVED)
    assert notification.emailed_at is not None

    with later(minutes=60):
        assert send_due_emails() == 0  # sent once, never again
    assert len(smtp_server.messages) == sent


def test_the_email_is_written_in_the_transaction_and_sent_after_commit(
    people, draft, client_for, settings, smtp_server, django_capture_on_commit_callbacks
):
    smtp_settings(settings, smtp_server.port)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for(people.submitter).post(reverse("workspace:submit", args=[draft.pk]))
    email = OutboxEmail.objects.get(recipient=people.submitter.email)
    assert email.subject.startswith("Submission received") and email.language == "en"
    assert smtp_server.messages == []  # nothing leaves before the commit

    for callback in callbacks:
        callback()
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1 and email.last_error == ""
    assert people.submitter.email in {envelope.rcpt_tos[0] for envelope in smtp_server.messages}


def test_a_recipient_without_an_address_gets_no_email_but_its_notification(people, draft, client_for):
    people.submitter.email = ""
    people.submitter.save()

    client_for(people.submitter).post(reverse("workspace:submit", args=[draft.pk]))

    assert Notification.objects.filter(recipient=people.submitter).exists()
    assert not OutboxEmail.objects.filter(notification__recipient=people.submitter).exists()


def test_delays_grow_to_six_hours():
    minutes = [retry_delay(attempts).total_seconds() / 60 for attempts in range(1, 13)]

    assert minutes[:4] == [1, 2, 4, 8]
    assert minutes == sorted(minutes)
    assert max(minutes) == 360


def test_after_the_last_attempt_the_email_is_kept_but_no_longer_tried(db, settings, closed_port, caplog):
    smtp_settings(settings, closed_port)
    email = OutboxEmail.objects.create(
        recipient="someone@example.org", subject="Hello", body="Body", language="en", attempts=MAX_ATTEMPTS - 1
    )

    with caplog.at_level(logging.ERROR):
        assert send_due_emails() == 0

    email.refresh_from_db()
    assert email.attempts == MAX_ATTEMPTS and email.sent_at is None and email.last_error
    assert f"attempt {MAX_ATTEMPTS} of {MAX_ATTEMPTS}" in caplog.text  # logged as an error, for a person
    with later(minutes=24 * 60):
        assert send_due_emails() == 0
    assert OutboxEmail.objects.get(pk=email.pk).attempts == MAX_ATTEMPTS  # kept, not tried again


def test_the_sweep_is_scheduled_with_celery_beat(settings):
    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "workflows.notifications.tasks.send_due_emails" in entries
