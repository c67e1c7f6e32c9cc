"""A reviewer who sent its review still reads the submission and its own review until the process
ends (published, rejected, withdrawn), never another reviewer's review nor a confidential comment."""

import pytest
from django.urls import reverse

from workflows.permissions import Action, Role, State, allowed, roles_for
from workflows.review import grants, services
from workflows.review.models import Submission

from .helpers import assign, decide, drive, new_need, review, screen

pytestmark = pytest.mark.django_db

MINE = "The budget table needs the staff costs."
THEIRS = "Please cite the regional action plan."
MY_SECRET = "Between us: the applicant overstates its capacity."
THEIR_SECRET = "I know this team; I have a conflict to declare."


def detail(client, submission):
    return client.get(reverse("workspace:submission", args=[submission.pk]))


def holds_view(user, submission):
    return grants.holds(user, Submission.objects.get(pk=submission.pk).page, "view")


@pytest.fixture
def reviewed(people, draft):
    """Reviewer A has sent its review; reviewer B's is still open."""
    submission = drive(draft, State.IN_REVIEW, people)
    review(submission, people.reviewer_a, comments=MINE, confidential=MY_SECRET)
    return Submission.objects.get(pk=submission.pk)


def test_after_sending_a_reviewer_reads_the_submission_and_its_own_review(people, client_for, reviewed):
    client = client_for(people.reviewer_a)

    response = detail(client, reviewed)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Training in marine spatial planning" in body and "Two weeks of training" in body
    assert "Your review" in body and MINE in body
    assert MY_SECRET not in body  # confidential comments are the editors' alone, even one's own
    assert roles_for(people.reviewer_a, reviewed) == {Role.PAST_REVIEWER}
    assert allowed(people.reviewer_a, reviewed, Action.VIEW_OWN_REVIEW)
    assert not allowed(people.reviewer_a, reviewed, Action.VIEW_REVIEWS)
    assert not allowed(people.reviewer_a, reviewed, Action.VIEW_CONFIDENTIAL)
    assert holds_view(people.reviewer_a, reviewed)
    inbox = client.get(reverse("workspace:tasks")).content.decode()
    assert "Reviews you sent" in inbox and reverse("workspace:submission", args=[reviewed.pk]) in inbox


def test_it_never_reads_another_reviewers_review(people, client_for, reviewed):
    review(reviewed, people.reviewer_b, comments=THEIRS, confidential=THEIR_SECRET)

    for reviewer, own, others in (
        (people.reviewer_a, MINE, [THEIRS, THEIR_SECRET, MY_SECRET]),
        (people.reviewer_b, THEIRS, [MINE, MY_SECRET, THEIR_SECRET]),
    ):
        body = detail(client_for(reviewer), reviewed).content.decode()
        assert own in body
        for text in others:
            assert text not in body
        assert "Ada Quist" not in body and "Bruno Lefèvre" not in body  # no reviewer names either
    # The editors read everything, as before.
    editor = detail(client_for(people.editor), reviewed).content.decode()
    assert all(text in editor for text in (MINE, THEIRS, MY_SECRET, THEIR_SECRET))


def test_a_reviewer_still_in_review_does_not_read_the_one_already_sent(people, client_for, reviewed):
    body = detail(client_for(people.reviewer_b), reviewed).content.decode()
    assert MINE not in body and "Your review" not in body
    assert roles_for(people.reviewer_b, reviewed) == {Role.REVIEWER}


def test_its_history_and_other_submissions_stay_closed(people, client_for, reviewed):
    client = client_for(people.reviewer_a)
    other = drive(new_need(people.other_submitter, title="Kenyan need"), State.ASSIGNMENT, people)
    assign(other, people.editor, [people.reviewer_b, people.reviewer_c])
    review(other, people.reviewer_b)

    assert client.get(reverse("workspace:history", args=[reviewed.pk])).status_code == 403
    assert client.get(reverse("workspace:edit", args=[reviewed.pk])).status_code == 403
    assert client.get(reverse("workspace:withdraw", args=[reviewed.pk])).status_code == 403
    # Another submission reviewed by someone else, and the same submission seen by a reviewer nobody named.
    assert detail(client, Submission.objects.get(pk=other.pk)).status_code == 404
    assert detail(client_for(people.reviewer_c), reviewed).status_code == 404


def test_the_sight_lasts_through_a_revision_round(people, client_for, reviewed):
    review(reviewed, people.reviewer_b)
    decide(reviewed, people.editor, "revise")

    assert detail(client_for(people.reviewer_a), reviewed).status_code == 200
    assert holds_view(people.reviewer_a, reviewed)


@pytest.mark.parametrize("end", ["published", "rejected", "withdrawn"])
def test_the_sight_ends_with_the_process(people, client_for, reviewed, end):
    if end == "withdrawn":
        services.withdraw(reviewed.pk, people.submitter)
    else:
        review(reviewed, people.reviewer_b)
        decide(reviewed, people.editor, "publish" if end == "published" else "reject", comment="Out of scope.")
    client = client_for(people.reviewer_a)

    assert detail(client, reviewed).status_code == 404
    assert not holds_view(people.reviewer_a, reviewed) and not holds_view(people.reviewer_b, reviewed)
    assert roles_for(people.reviewer_a, Submission.objects.get(pk=reviewed.pk)) == frozenset()
    assert "Reviews you sent" not in client.get(reverse("workspace:tasks")).content.decode()


def test_a_review_from_a_withdrawn_process_gives_no_sight_of_the_next_one(people, client_for, reviewed):
    services.withdraw(reviewed.pk, people.submitter)
    services.submit(reviewed.pk, people.submitter)
    screen(reviewed, people.editor)
    assign(reviewed, people.editor, [people.reviewer_c])

    assert detail(client_for(people.reviewer_a), reviewed).status_code == 404
    assert roles_for(people.reviewer_a, Submission.objects.get(pk=reviewed.pk)) == frozenset()
    assert not holds_view(people.reviewer_a, reviewed) and holds_view(people.reviewer_c, reviewed)
