"""Notifications any app can raise: an event registered with its sentence, e-mail templates and recipients."""

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from workflows.notifications import events
from workflows.notifications.events import EventConflict, Link, raise_event, register_event
from workflows.notifications.models import Notification, OutboxEmail

pytestmark = pytest.mark.django_db

KEY = "checklist_done"


class Drill:
    """Something an app tells people about; the notifications app knows nothing of it."""

    def __init__(self, pk, title, people):
        self.pk, self.title, self.people = pk, title, people


def everyone_on(drill, **context):
    return drill.people


def drill_link(drill):
    return Link(title=drill.title, viewname="notifications:list")


@pytest.fixture
def checklist_event():
    event = register_event(
        KEY,
        label="Checklist done",
        message="Everyone ticked “%(title)s”.",
        template="checklist/email/checklist_done",
        recipients=everyone_on,
        describe=drill_link,
    )
    yield event
    events.unregister_event(KEY)


def test_an_app_raises_its_own_event(people, checklist_event, django_capture_on_commit_callbacks):
    drill = Drill(7, "Fire drill", [people.reviewer_a, people.reviewer_c, people.reviewer_a])
    with django_capture_on_commit_callbacks(execute=True):
        created = raise_event(KEY, drill, actor=people.editor, extra={"note": "fast", "empty": ""})

    assert [n.recipient for n in created] == [people.reviewer_a, people.reviewer_c]  # once per person
    notification = Notification.objects.get(recipient=people.reviewer_a, event=KEY)
    assert notification.message() == "Everyone ticked “Fire drill”."
    assert notification.get_event_display() == "Checklist done"  # the registry gives the field its choices
    assert notification.extra == {"note": "fast"}  # empty values are dropped
    assert notification.actor == people.editor and notification.url == reverse("notifications:list")
    email = OutboxEmail.objects.get(notification=notification)
    assert email.subject == "Checklist done: Fire drill"  # the app's own template
    sent = [message for message in mail.outbox if message.to == [people.reviewer_a.email]]
    assert sent and "Everyone ticked “Fire drill”." in sent[0].body


def test_explicit_recipients_replace_the_resolver(people, checklist_event):
    drill = Drill(7, "Fire drill", [people.reviewer_a])
    raise_event(KEY, drill, recipients=[people.editor])
    assert list(Notification.objects.filter(event=KEY).values_list("recipient", flat=True)) == [people.editor.pk]


def test_an_event_is_registered_once(checklist_event):
    same = register_event(
        KEY,
        label="Checklist done",
        message="Everyone ticked “%(title)s”.",
        template="checklist/email/checklist_done",
        recipients=everyone_on,
        describe=drill_link,
    )
    assert same == checklist_event  # the same registration again: harmless
    with pytest.raises(EventConflict, match=KEY):
        register_event(KEY, label="Something else", message="%(title)s", recipients=everyone_on)


def test_unknown_events_and_missing_recipients_are_refused(people, checklist_event):
    with pytest.raises(LookupError):
        raise_event("no_such_event", Drill(1, "x", [people.editor]))
    register_event("told_nobody", label="Told nobody", message="%(title)s")
    try:
        with pytest.raises(ImproperlyConfigured, match="no default recipients"):
            raise_event("told_nobody", Drill(1, "x", []))
    finally:
        events.unregister_event("told_nobody")
    assert not Notification.objects.exists()


def test_a_notification_of_an_event_no_longer_registered_still_reads(people):
    notification = Notification.objects.create(recipient=people.editor, event="retired_event", title="Old news")
    assert notification.message() == "Old news"
    assert notification.get_event_display() == "retired_event"


def test_the_review_registers_its_events_through_the_registry():
    from workflows.notifications.events import Event  # the name older code imports
    from workflows.review.events import Event as ReviewEvent

    assert Event is ReviewEvent
    registered = {event.key: event for event in events.registered_events()}
    for event in ReviewEvent:
        assert registered[event.value].template == f"notifications/email/{event.value}"
        assert registered[event.value].recipients is not None
