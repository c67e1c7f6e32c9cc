"""Notifications: in-site list, e-mails in the recipient's language sent after commit, reminders once a day."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from workflows.notifications import outbox as notification_outbox
from workflows.notifications.events import Event
from workflows.notifications.models import Notification
from workflows.permissions import State
from workflows.review.models import ReviewAssignment
from workflows.review.tasks import send_review_reminders

from .helpers import drive

pytestmark = pytest.mark.django_db


def test_nothing_is_mailed_before_the_transaction_commits(people, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        drive(draft, State.SCREENING, people)
    assert mail.outbox == []
    assert Notification.objects.filter(event=Event.SUBMISSION_RECEIVED, recipient=people.submitter).exists()
    for callback in callbacks:
        callback()
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[people.submitter.email].startswith("Submission received")
    assert subjects[people.editor.email].startswith("To screen")
    assert subjects[people.national_editor.email].startswith("To screen")
    assert people.other_national_editor.email not in subjects  # Kenya's editor is not concerned


def test_each_event_is_told_to_the_right_people(people, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        drive(draft, State.REVISION, people)
    events = set(Notification.objects.values_list("recipient__username", "event"))
    assert (people.reviewer_a.username, Event.REVIEW_ASSIGNED) in events
    assert (people.editor.username, Event.REVIEWS_COMPLETE) in events
    assert (people.submitter.username, Event.DECISION) in events
    decision_mail = [m for m in mail.outbox if m.to == [people.submitter.email] and "Decision" in m.subject]
    assert "Request revisions" in decision_mail[0].subject
    assert "See the reviews." in decision_mail[0].body  # the editor's comment to the submitter


def test_emails_are_rendered_in_the_recipients_language(people, draft, django_capture_on_commit_callbacks):
    """reviewer_b reads French: its e-mail is rendered under ``translation.override("fr")``."""
    languages = {}
    real_render = notification_outbox.render_to_string

    def spy(template_name, context=None, *args, **kwargs):
        languages.setdefault(context["recipient"].username, set()).add(translation.get_language())
        return real_render(template_name, context, *args, **kwargs)

    with (
        mock.patch.object(notification_outbox, "render_to_string", side_effect=spy),
        django_capture_on_commit_callbacks(execute=True),
    ):
        drive(draft, State.IN_REVIEW, people)

    assert languages[people.reviewer_b.username] == {"fr"}
    assert languages[people.reviewer_a.username] == {"en"}
    notification = Notification.objects.filter(recipient=people.reviewer_b).first()
    assert notification.url.startswith("/fr/")  # the link opens the workspace in French too


@pytest.mark.parametrize("event", Event.values)
def test_every_email_template_is_translatable(event):
    for part in ("subject", "body"):
        template = engines["django"].get_template(f"notifications/email/{event}_{part}.txt")
        source = template.template.source
        assert "{% load i18n %}" in source
        assert "{% blocktranslate" in source or "{% translate" in source


def test_the_list_marks_read(people, client_for, draft):
    drive(draft, State.SCREENING, people)
    client = client_for(people.submitter)
    notification = Notification.objects.get(recipient=people.submitter)

    body = client.get(reverse("notifications:list")).content.decode()
    assert "was received" in body and "1 unread notification" in body

    response = client.post(reverse("notifications:mark_read", args=[notification.pk]), {"follow": "1"})
    assert response.status_code == 302 and response.url == notification.url
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "0 unread notifications" in client.get(reverse("notifications:list")).content.decode()


def test_overdue_reviews_are_reminded_once_a_day(people, draft, django_capture_on_commit_callbacks):
    submission = drive(draft, State.IN_REVIEW, people)
    ReviewAssignment.objects.filter(submission=submission).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert send_review_reminders() == 2
        assert send_review_reminders() == 0  # same day: nothing more
    reminders = [m for m in mail.outbox if "overdue" in m.subject or "retard" in m.subject]
    assert len(reminders) == 2

    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        assert send_review_reminders() == 2  # a new day, still overdue

    # A review that is in, or not yet due, is never reminded.
    ReviewAssignment.objects.filter(reviewer=people.reviewer_a).update(submitted_at=timezone.now())
    ReviewAssignment.objects.filter(reviewer=people.reviewer_b).update(
        due_date=timezone.localdate() + datetime.timedelta(days=3)
    )
    day_after = timezone.now() + datetime.timedelta(days=2)
    with mock.patch("django.utils.timezone.now", return_value=day_after):
        assert send_review_reminders() == 0


def test_reminders_are_scheduled_with_celery_beat(settings):
    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "workflows.review.tasks.send_review_reminders" in entries


def test_a_french_reviewer_gets_a_french_e_mail(people, draft, django_capture_on_commit_callbacks):
    with translation.override("fr"):
        if translation.gettext("Review requested: %(title)s") == "Review requested: %(title)s":
            pytest.skip("The French catalogue is not compiled: run manage.py compile_catalogues")
    with django_capture_on_commit_callbacks(execute=True):
        drive(draft, State.IN_REVIEW, people)
    to_bruno = [message for message in mail.outbox if message.to == [people.reviewer_b.email]]
    to_ada = [message for message in mail.outbox if message.to == [people.reviewer_a.email]]
    assert to_bruno[0].subject == "Évaluation demandée : Training in marine spatial planning"
    assert to_ada[0].subject == "Review requested: Training in marine spatial planning"
