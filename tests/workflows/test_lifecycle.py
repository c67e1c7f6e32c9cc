"""The submission's life beyond the happy path: withdrawal, grants, anonymity, working copies, the admin."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.functional import Promise
from viewflow.workflow import lock

from content_types.records.models import NeedPage
from workflows.permissions import State
from workflows.review import grants
from workflows.review.flows import SubmissionFlow, SubmissionTask
from workflows.review.models import AuditEntry, Submission

from .helpers import assign, decide, drive, need_data, open_task, review, screen

pytestmark = pytest.mark.django_db


def holds(user, submission, verb):
    return grants.holds(user, Submission.objects.get(pk=submission.pk).page, verb)


def test_grants_follow_the_state(people, draft):
    assert holds(people.submitter, draft, "change")  # its own draft

    drive(draft, State.SCREENING, people)
    assert not holds(people.submitter, draft, "change")  # frozen while under review

    screen(draft, people.editor)
    assign(draft, people.editor, [people.reviewer_a, people.reviewer_b])
    assert holds(people.reviewer_a, draft, "view") and holds(people.reviewer_b, draft, "view")
    assert not holds(people.reviewer_c, draft, "view")

    review(draft, people.reviewer_a)
    assert holds(people.reviewer_a, draft, "view")  # its review is in: it still reads what it reviewed
    review(draft, people.reviewer_b)

    decide(draft, people.editor, "revise")
    assert holds(people.submitter, draft, "change")  # in revision: it may change its record again
    assert holds(people.reviewer_a, draft, "view")  # the process goes on

    draft.refresh_from_db()
    assert draft.state == State.REVISION


def test_withdrawal_keeps_the_draft_and_closes_the_tasks(people, client_for, draft):
    submission = drive(draft, State.IN_REVIEW, people)
    client = client_for(people.submitter)

    response = client.post(reverse("workspace:withdraw", args=[submission.pk]), {"comment": "Data to update."})

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == State.DRAFT
    assert submission.page.specific.get_latest_revision_as_object().title == "Training in marine spatial planning"
    assert not SubmissionFlow.task_class.objects.filter(
        process__submissionprocess__submission=submission, status__in=["NEW", "ASSIGNED", "STARTED"]
    ).exists()
    assert submission.current_process().status == "CANCELED"
    assert not holds(people.reviewer_a, submission, "view")
    assert holds(people.submitter, submission, "change")
    entry = submission.audit_entries.last()
    assert entry.action == AuditEntry.Action.WITHDRAWN and entry.comment == "Data to update."

    # It can be submitted again: a new process starts at screening.
    client.post(reverse("workspace:submit", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.state == State.SCREENING and submission.processes.count() == 2
    assert open_task(submission, SubmissionFlow.screen)


def test_returned_at_screening_goes_back_to_screening(people, client_for, draft):
    drive(draft, State.SCREENING, people)
    screen(draft, people.editor, "return", "Add the target country.")
    draft.refresh_from_db()
    assert draft.state == State.REVISION and draft.round == 0

    client_for(people.submitter).post(reverse("workspace:edit", args=[draft.pk]), need_data(submit="1"))

    draft.refresh_from_db()
    assert draft.state == State.SCREENING
    assert open_task(draft, SubmissionFlow.screen)


def test_rejection_keeps_the_page_unpublished(people, draft):
    submission = drive(draft, State.REJECTED, people)
    page = NeedPage.objects.get(pk=submission.page_id)
    assert not page.live
    assert submission.current_process().status == "DONE"
    assert not holds(people.submitter, submission, "change")


@pytest.mark.parametrize(("anonymous", "names_shown"), [(True, False), (False, True)])
def test_history_respects_reviewer_anonymity(people, client_for, draft, anonymous, names_shown):
    drive(draft, State.SCREENING, people)
    screen(draft, people.editor)
    assign(draft, people.editor, [people.reviewer_a, people.reviewer_b], anonymous=anonymous)
    review(draft, people.reviewer_a)
    review(draft, people.reviewer_b)
    decide(draft, people.editor, "revise")
    url = reverse("workspace:history", args=[draft.pk])

    as_submitter = client_for(people.submitter).get(url).content.decode()
    assert ("Ada Quist" in as_submitter) == names_shown
    assert ("Reviewer 1" in as_submitter) != names_shown
    as_editor = client_for(people.editor).get(url).content.decode()
    assert "Ada Quist" in as_editor and "Bruno Lefèvre" in as_editor

    detail = client_for(people.submitter).get(reverse("workspace:submission", args=[draft.pk])).content.decode()
    assert ("Ada Quist" in detail) == names_shown


def test_recommendations_stay_hidden_from_the_submitter_until_the_decision(people, client_for, draft):
    submission = drive(draft, State.IN_REVIEW, people)
    review(submission, people.reviewer_a, recommendation="reject", comments="Weak case.")
    client = client_for(people.submitter)

    history = client.get(reverse("workspace:history", args=[submission.pk])).content.decode()
    detail = client.get(reverse("workspace:submission", args=[submission.pk])).content.decode()
    assert "Reject" not in history and "Weak case." not in detail


def test_a_published_record_is_revised_as_a_working_copy(people, client_for, draft):
    first = drive(draft, State.PUBLISHED, people)
    page = NeedPage.objects.get(pk=first.page_id)
    assert page.live and page.title == "Training in marine spatial planning"
    client = client_for(people.submitter)

    response = client.post(reverse("workspace:start_revision", args=[first.pk]))
    working = Submission.objects.get(page=page, is_revision_of_live=True)
    assert response.status_code == 302 and response.url == reverse("workspace:edit", args=[working.pk])
    assert working.state == State.DRAFT

    client.post(reverse("workspace:edit", args=[working.pk]), need_data(title="Training in MSP (2027 update)"))
    client.post(reverse("workspace:submit", args=[working.pk]))

    # Under review, the live version stays as it was.
    live = NeedPage.objects.get(pk=page.pk)
    assert live.live and live.title == "Training in marine spatial planning"
    assert client.get(live.url).status_code == 200

    screen(working, people.editor)
    assign(working, people.editor, [people.reviewer_a])
    review(working, people.reviewer_a, recommendation="accept")
    decide(working, people.editor, "publish")

    live = NeedPage.objects.get(pk=page.pk)
    assert live.title == "Training in MSP (2027 update)" and live.live
    assert Submission.objects.get(pk=working.pk).state == State.PUBLISHED
    # Only one revision of a record may be under way at a time.
    client.post(reverse("workspace:start_revision", args=[working.pk]))
    response = client.post(reverse("workspace:start_revision", args=[working.pk]), follow=True)
    assert "already under way" in response.content.decode()


def test_editors_get_a_link_to_the_admin_and_the_admin_cannot_publish_around_the_flow(people, client_for, draft):
    submission = drive(draft, State.SCREENING, people)
    editor = client_for(people.editor)
    admin_url = reverse("wagtailadmin_pages:edit", args=[submission.page_id])
    assert admin_url in editor.get(reverse("workspace:submission", args=[submission.pk])).content.decode()

    body = editor.get(admin_url).content.decode()
    assert editor.get(admin_url).status_code == 200
    assert 'name="action-publish"' not in body

    page = submission.page.specific
    response = editor.post(admin_url, {"title": page.title, "slug": page.slug, "action-publish": "1"})
    assert response.status_code == 302
    assert not NeedPage.objects.get(pk=page.pk).live
    assert Submission.objects.get(pk=submission.pk).state == State.SCREENING


def test_every_node_is_annotated_and_every_human_step_permissioned():
    flow = SubmissionFlow.instance
    assert isinstance(SubmissionFlow.lock_impl, lock.SelectForUpdateLock)
    for node in flow.nodes():
        assert isinstance(node.task_title, Promise), f"{node.name} has no translatable annotation"
    human = [node for node in flow.nodes() if node.task_type == "HUMAN"]
    assert {node.name for node in human} == {"screen", "assign_reviewers", "review", "decide", "revise"}
    for node in human:
        assert isinstance(node, SubmissionTask) and node._owner_permission.startswith("review.")


def test_the_permissions_page_is_current():
    call_command("render_permissions", "--check")


def test_a_go_live_date_set_in_the_admin_schedules_the_publication(people, draft, django_capture_on_commit_callbacks):
    """An editor gave the record a future go-live date: the decision schedules it through Wagtail."""
    import datetime

    from django.utils import timezone

    drive(draft, State.DECISION, people)
    page = draft.page.specific.get_latest_revision_as_object()
    page.go_live_at = timezone.now() + datetime.timedelta(days=3)
    page.save()
    page.save_revision(user=people.editor)

    with django_capture_on_commit_callbacks(execute=True):
        decide(draft, people.editor, "publish")

    page = NeedPage.objects.get(pk=draft.page_id)
    assert not page.live
    assert page.get_latest_revision().approved_go_live_at is not None
    assert Submission.objects.get(pk=draft.pk).state == State.PUBLISHED
    assert "scheduled to go live" in draft.audit_entries.last().comment

    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(days=4)):
        call_command("publish_scheduled")
    assert NeedPage.objects.get(pk=draft.page_id).live


def test_wagtails_own_moderation_is_off_for_records(people, client_for, draft):
    """Two engines never disagree: records have no Wagtail workflow, so the admin offers no moderation."""
    submission = drive(draft, State.SCREENING, people)
    page = submission.page.specific
    assert page.get_workflow() is None
    body = client_for(people.editor).get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'name="action-submit"' not in body and 'name="action-publish"' not in body
