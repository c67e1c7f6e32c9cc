"""Other people's ids: a 404 for what one may not see, whoever guesses, and no hint in any list."""

import pytest
from django.test import Client
from django.urls import reverse

from workflows.notifications.models import Notification
from workflows.permissions import State
from workflows.review.flows import SubmissionFlow

from .helpers import drive, need_data, new_need, open_task

pytestmark = pytest.mark.django_db


def test_visitors_are_sent_to_sign_in(draft):
    for url in (
        reverse("workspace:home"),
        reverse("workspace:tasks"),
        reverse("workspace:submission", args=[draft.pk]),
        reverse("notifications:list"),
    ):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_someone_elses_draft_is_a_404_everywhere(people, client_for, draft):
    client = client_for(people.other_submitter)
    for name in ("submission", "edit", "history", "withdraw"):
        assert client.get(reverse(f"workspace:{name}", args=[draft.pk])).status_code == 404
    for name in ("submit", "start_revision"):
        assert client.post(reverse(f"workspace:{name}", args=[draft.pk])).status_code == 404
    response = client.post(reverse("workspace:edit", args=[draft.pk]), need_data(title="Mine now"))
    assert response.status_code == 404
    assert "Training in marine spatial planning" not in client.get(reverse("workspace:home")).content.decode()


def test_a_reviewers_task_is_invisible_to_the_other_reviewer(people, client_for, draft):
    submission = drive(draft, State.IN_REVIEW, people)
    task_a = open_task(submission, SubmissionFlow.review, owner=people.reviewer_a)

    client_b = client_for(people.reviewer_b)
    assert client_b.get(reverse("workspace:task", args=[task_a.pk])).status_code == 404
    response = client_b.post(
        reverse("workspace:task", args=[task_a.pk]), {"recommendation": "reject", "comments_to_submitter": "No."}
    )
    assert response.status_code == 404
    task_a.refresh_from_db()
    assert task_a.status == "ASSIGNED"
    for name in ("task_claim", "task_release"):
        assert client_b.post(reverse(f"workspace:{name}", args=[task_a.pk])).status_code == 404


def test_national_editors_see_only_their_countrys_submissions(people, client_for):
    french = drive(new_need(people.submitter), State.SCREENING, people)
    kenyan = drive(new_need(people.other_submitter, title="Kenyan need"), State.SCREENING, people)
    french_task = open_task(french, SubmissionFlow.screen)
    kenyan_task = open_task(kenyan, SubmissionFlow.screen)

    client = client_for(people.national_editor)
    inbox = client.get(reverse("workspace:tasks")).content.decode()
    assert reverse("workspace:task", args=[french_task.pk]) in inbox
    assert reverse("workspace:task", args=[kenyan_task.pk]) not in inbox
    assert client.get(reverse("workspace:submission", args=[kenyan.pk])).status_code == 404
    assert client.get(reverse("workspace:task", args=[kenyan_task.pk])).status_code == 404

    secretariat = client_for(people.editor).get(reverse("workspace:tasks")).content.decode()
    assert reverse("workspace:task", args=[kenyan_task.pk]) in secretariat


def test_a_claimed_task_is_not_done_by_a_colleague(people, client_for, draft):
    submission = drive(draft, State.SCREENING, people)
    task = open_task(submission, SubmissionFlow.screen)
    url = reverse("workspace:task", args=[task.pk])
    assert client_for(people.editor).post(reverse("workspace:task_claim", args=[task.pk])).status_code == 302

    colleague = client_for(people.national_editor)
    page = colleague.get(url).content.decode()
    assert "has taken this task" in page and 'name="outcome"' not in page
    response = colleague.post(url, {"outcome": "reject", "comment": "No."}, follow=True)
    assert "assigned to someone else" in response.content.decode() or "not yours" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == State.SCREENING

    # Given back, the colleague may do it.
    client_for(people.editor).post(reverse("workspace:task_release", args=[task.pk]))
    colleague.post(url, {"outcome": "review"})
    submission.refresh_from_db()
    assert submission.state == State.ASSIGNMENT


def test_a_step_cannot_be_done_twice(people, client_for, draft):
    submission = drive(draft, State.SCREENING, people)
    url = reverse("workspace:task", args=[open_task(submission, SubmissionFlow.screen).pk])
    client = client_for(people.editor)
    client.post(url, {"outcome": "review"})

    response = client.post(url, {"outcome": "reject", "comment": "Again."}, follow=True)

    assert response.status_code == 200
    assert "already done" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == State.ASSIGNMENT and submission.screenings.count() == 1


def test_submitting_twice_is_refused_clearly(people, client_for, draft):
    client = client_for(people.submitter)
    client.post(reverse("workspace:submit", args=[draft.pk]))
    response = client.post(reverse("workspace:submit", args=[draft.pk]), follow=True)
    assert "already submitted" in response.content.decode()
    assert draft.processes.count() == 1


def test_someone_elses_notification_is_a_404(people, client_for, draft):
    drive(draft, State.SCREENING, people)
    theirs = Notification.objects.filter(recipient=people.submitter).first()
    client = client_for(people.other_submitter)
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert theirs.title not in client.get(reverse("notifications:list")).content.decode()


def test_attachment_of_a_submission_one_cannot_see_is_a_404(people, client_for, draft):
    url = reverse("workspace:attachment", args=[draft.pk, 1])
    assert client_for(people.editor).get(url).status_code == 404  # a draft is its submitter's alone
    assert client_for(people.submitter).get(url).status_code == 404  # no such attachment on it
