"""The review seen from the Wagtail admin: the lock and its panel, and the doors it closes.

While a submission is open, its record is locked in the admin (Wagtail's own lock mechanism), and
every admin door that would change what is reviewed refuses without changing anything.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from content_types.records.models import NeedPage, RecordIndexPage
from tests.records.factories import NeedFactory
from tests.records.test_admin import need_data as admin_need_data
from workflows.permissions import State
from workflows.review import services
from workflows.review.locks import ReviewLock, annotate_open_submission, open_submission_of

from .helpers import assign, drive, new_need, refreshed

pytestmark = pytest.mark.django_db


def edit_url(page_id) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page_id])


def latest_revision_id(page_id):
    return Page.objects.values_list("latest_revision_id", flat=True).get(pk=page_id)


def admin_edit(client, submission, **fields):
    """What the admin's edit form posts for the record, with ``fields`` changed."""
    page = submission.page.specific
    data = admin_need_data(title=page.title, slug=page.slug, **fields)
    return client.post(edit_url(page.pk), data)


def in_review_with_an_overdue_review(people, draft):
    drive(draft, State.ASSIGNMENT, people)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assign(draft, people.editor, [people.reviewer_a, people.reviewer_b], due=yesterday)
    return refreshed(draft), yesterday


def test_the_edit_view_shows_the_state_round_due_dates_and_the_submission(people, client_for, draft):
    submission, yesterday = in_review_with_an_overdue_review(people, draft)

    body = client_for(people.editor).get(edit_url(submission.page_id)).content.decode()

    assert "Locked by the review" in body
    assert "In review, review round 1" in body
    assert "request revisions at the decision" in body
    assert f'<time datetime="{yesterday.isoformat()}">' in body and "overdue" in body
    assert "Ada Quist" in body  # the secretariat editor reads the reviewers' names, as in the workspace
    assert reverse("workspace:submission", args=[submission.pk]) in body
    assert 'name="action-publish"' not in body and "Page locked" in body


def test_an_editor_of_another_country_cannot_open_the_record(people, client_for, draft):
    """A national editor of another country is refused the page: the matrix gives it no role on it."""
    submission, _ = in_review_with_an_overdue_review(people, draft)

    response = client_for(people.other_national_editor).get(edit_url(submission.page_id))

    assert response.status_code in (302, 403)
    body = response.content.decode()
    assert submission.page.title not in body and "Ada Quist" not in body
    assert reverse("workspace:submission", args=[submission.pk]) not in body


def test_the_decision_due_date_is_shown_while_the_decision_waits(people, client_for, draft):
    submission = drive(draft, State.DECISION, people)
    body = client_for(people.editor).get(edit_url(submission.page_id)).content.decode()
    due = timezone.localdate() + datetime.timedelta(days=14)
    assert "Awaiting decision, review round 1" in body
    assert "Decision due" in body and f'<time datetime="{due.isoformat()}">' in body
    assert "Review submitted" in body


@pytest.mark.parametrize(
    "state", [State.DRAFT, State.SCREENING, State.ASSIGNMENT, State.IN_REVIEW, State.DECISION, State.REVISION]
)
def test_saving_and_publishing_in_the_admin_are_refused_while_the_submission_is_open(
    state, people, client_for, draft, administrator
):
    submission = drive(draft, state, people)
    page_id = submission.page_id
    assert isinstance(NeedPage.objects.get(pk=page_id).get_lock(), ReviewLock)
    before = latest_revision_id(page_id)

    for user in (people.editor, administrator):  # the review's lock binds superusers too
        client = client_for(user)
        for action in ({}, {"action-publish": "1"}):
            response = admin_edit(client, submission, summary="Changed behind the reviewers' backs", **action)
            if state == State.DRAFT:
                # Nobody but its submitter reads an unsubmitted draft: the admin does not even open it.
                assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
                continue
            assert response.status_code == 302 and response.url == edit_url(page_id)
            messages = client.get(response.url).content.decode()
            assert "cannot be changed or published in the admin" in messages

    page = NeedPage.objects.get(pk=page_id)
    assert latest_revision_id(page_id) == before and not page.live
    assert "Changed behind" not in page.get_latest_revision_as_object().summary
    assert refreshed(submission).state == state


def test_reverting_copying_and_bulk_actions_are_refused_while_locked(people, client_for, draft, administrator):
    submission = drive(draft, State.IN_REVIEW, people)
    page = submission.page.specific
    first_revision = page.revisions.order_by("pk").first()
    before = latest_revision_id(page.pk)
    client = client_for(administrator)

    revert = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, first_revision.pk])
    response = client.post(revert, admin_need_data(title=page.title, slug=page.slug, summary="Reverted"))
    assert response.status_code == 302 and response.url == edit_url(page.pk)

    copy = client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {"new_title": "Copy", "new_slug": "copy", "new_parent_page": page.get_parent().pk, "publish_copies": "on"},
    )
    assert copy.status_code == 302 and not NeedPage.objects.filter(slug="copy").exists()

    for action in ("publish", "delete"):
        url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", action)) + f"?id={page.pk}"
        response = client.post(url, {})
        assert response.status_code == 302
    assert NeedPage.objects.filter(pk=page.pk, live=False).exists()
    assert latest_revision_id(page.pk) == before


def test_a_live_record_under_revision_cannot_be_unpublished_or_moved(people, client_for, draft):
    published = drive(draft, State.PUBLISHED, people)
    services.start_revision_of_live(published.pk, people.submitter)
    page = NeedPage.objects.get(pk=published.page_id)
    client = client_for(people.editor)

    assert isinstance(page.get_lock(), ReviewLock)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")  # Wagtail: not permitted
    french_records = RecordIndexPage.objects.get(locale__language_code="fr")
    # The published record has an alias there under the same slug, which Wagtail would refuse first.
    Page.objects.get(alias_of=page, locale=french_records.locale).delete()
    response = client.post(reverse("wagtailadmin_pages:move_confirm", args=[page.pk, french_records.pk]))
    # The working copy is its submitter's draft: the editor may not even open the record meanwhile.
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")

    page.refresh_from_db()
    assert page.live and page.get_parent().pk != french_records.pk


@pytest.mark.parametrize("state", [State.PUBLISHED, State.REJECTED])
def test_the_lock_is_released_once_the_review_is_decided(state, people, client_for, draft):
    submission = drive(draft, state, people)
    page = NeedPage.objects.get(pk=submission.page_id)
    assert page.get_lock() is None
    before = latest_revision_id(page.pk)

    response = admin_edit(client_for(people.editor), submission, summary="Curated after the decision")

    assert response.status_code == 302
    assert latest_revision_id(page.pk) != before
    assert NeedPage.objects.get(pk=page.pk).get_latest_revision_as_object().summary == "Curated after the decision"


def test_the_explorer_shows_the_review_state(people, client_for, draft):
    submission = drive(draft, State.SCREENING, people)
    parent = submission.page.get_parent()
    client = client_for(people.editor)
    for query in ("", "?q=marine"):
        body = client.get(reverse("wagtailadmin_explore", args=[parent.pk]) + query).content.decode()
        assert "draft · Screening" in body


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_the_explorer_reads_every_rows_review_lock_in_one_query(who, people, client_for, draft, django_user_model):
    """``RecordPage.get_lock`` answers from the listing's own query: no query per row for the lock."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = drive(draft, State.SCREENING, people)
    parent = first.page.get_parent()
    if who == "superuser":
        user = django_user_model.objects.create_superuser("explorer-root", "root@example.org", "x-password-x")
    else:
        user = people.editor
    client = client_for(user)
    url = reverse("wagtailadmin_explore", args=[parent.pk])

    def submission_queries():
        client.get(url)  # warm the per-request caches of the first call
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).content.decode()
        return [query["sql"] for query in queries if '"review_submission"' in query["sql"]], body

    few, _ = submission_queries()
    for index in range(4):
        more = new_need(people.submitter, title=f"Locked row {index}")
        drive(more, State.SCREENING, people)
        NeedFactory(title=f"Published row {index}")  # live: the listing asks whether it may unpublish
    many, body = submission_queries()
    assert body.count("draft · Screening") == 5
    assert len(many) == len(few), (len(few), len(many))

    # The lock the listing reads is the one a single page finds by itself.
    rows = list(annotate_open_submission(NeedPage.objects.child_of(parent).filter(live=False)).order_by("pk"))
    assert len(rows) == 5
    with django_assert_no_queries():
        locks = [row.get_lock() for row in rows]
    assert all(isinstance(lock, ReviewLock) for lock in locks)
    assert [lock.submission.pk for lock in locks] == [
        NeedPage.objects.get(pk=row.pk).get_lock().submission.pk for row in rows
    ]
    assert {lock.submission.state for lock in locks} == {State.SCREENING}


def django_assert_no_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    class _NoQueries(CaptureQueriesContext):
        def __exit__(self, *exc):
            super().__exit__(*exc)
            assert len(self) == 0, [query["sql"] for query in self.captured_queries]

    return _NoQueries(connection)


def test_a_listed_page_without_an_open_submission_has_no_review_lock(people, draft):
    drive(draft, State.PUBLISHED, people)
    row = annotate_open_submission(NeedPage.objects.filter(pk=draft.page_id)).get()
    with django_assert_no_queries():
        assert open_submission_of(row) is None
    assert row.get_lock() is None  # Wagtail's own locks are still asked for
