"""The admin dashboard's panel of submissions waiting for the signed-in editor."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from workflows.permissions import State
from workflows.review import services
from workflows.review.dashboard import ReviewQueuePanel, panel_for
from workflows.review.flows import SubmissionFlow

from .helpers import assign, drive, new_need, open_task

pytestmark = pytest.mark.django_db


def waiting(people, submitter, state, title):
    """A submission of ``submitter`` taken to ``state``; in review, with an overdue review."""
    submission = new_need(submitter, title=title)
    if state != State.IN_REVIEW:
        return drive(submission, state, people)
    drive(submission, State.ASSIGNMENT, people)
    assign(submission, people.editor, [people.reviewer_a], due=timezone.localdate() - datetime.timedelta(days=2))
    return submission


@pytest.fixture
def queue(people):
    return {
        "screen": waiting(people, people.submitter, State.SCREENING, "French need to screen"),
        "name": waiting(people, people.submitter, State.ASSIGNMENT, "French need awaiting reviewers"),
        "decide": waiting(people, people.submitter, State.DECISION, "French need to decide"),
        "late": waiting(people, people.submitter, State.IN_REVIEW, "French need with a late review"),
        "kenya": waiting(people, people.other_submitter, State.SCREENING, "Kenyan need to screen"),
        "draft": waiting(people, people.submitter, State.DRAFT, "French draft nobody sees"),
    }


def panel(client):
    """The panel's groups as {heading: [row]}, read from the admin home page (None without a panel)."""
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    section = BeautifulSoup(response.content.decode(), "html.parser").find(id="review-queue-section")
    if section is None:
        return None
    groups = {}
    for heading in section.find_all("h3"):
        groups[heading.get_text(strip=True)] = [
            {
                "title": row.a.get_text(strip=True),
                "href": row.a["href"],
                "due": row.time["datetime"] if row.time else None,
                "overdue": "overdue" in row.find_all("td")[1].get_text(),
            }
            for row in heading.find_next("table").select("tbody tr")
        ]
    return groups


def titles(groups, heading) -> list[str]:
    return [row["title"] for row in groups[heading]]


def test_a_secretariat_editor_sees_every_queue_with_due_dates_and_links(people, client_for, queue):
    groups = panel(client_for(people.editor))

    assert set(groups) == {"To screen (2)", "Reviewers to name (1)", "Decisions due (1)", "Overdue reviews (1)"}
    today = timezone.localdate()
    french = next(row for row in groups["To screen (2)"] if row["title"] == "French need to screen")
    assert french["due"] == (today + datetime.timedelta(days=7)).isoformat() and not french["overdue"]
    task = open_task(queue["screen"], SubmissionFlow.screen)
    assert french["href"] == reverse("workspace:task", kwargs={"task_pk": task.pk})
    assert "Kenyan need to screen" in titles(groups, "To screen (2)")
    assert titles(groups, "Reviewers to name (1)") == ["French need awaiting reviewers"]
    [decision] = groups["Decisions due (1)"]
    assert decision["title"] == "French need to decide"
    assert decision["due"] == (today + datetime.timedelta(days=14)).isoformat()
    [late] = groups["Overdue reviews (1)"]
    assert late["title"] == "French need with a late review" and late["overdue"]
    assert late["due"] == (today - datetime.timedelta(days=2)).isoformat()
    assert late["href"] == reverse("workspace:submission", args=[queue["late"].pk])
    assert "French draft nobody sees" not in str(groups)


def test_national_editors_see_only_their_countrys_submissions(people, client_for, queue):
    french = panel(client_for(people.national_editor))
    assert titles(french, "To screen (1)") == ["French need to screen"]
    assert titles(french, "Overdue reviews (1)") == ["French need with a late review"]

    kenyan = panel(client_for(people.other_national_editor))
    assert list(kenyan) == ["To screen (1)"] and titles(kenyan, "To screen (1)") == ["Kenyan need to screen"]


def test_a_task_a_colleague_took_no_longer_waits_for_me(people, client_for, queue):
    task = open_task(queue["screen"], SubmissionFlow.screen)
    services.claim_task(task.pk, people.national_editor)

    client = client_for(people.national_editor)
    assert titles(panel(client), "To screen (1)") == ["French need to screen"]
    assert "taken by you" in client.get(reverse("wagtailadmin_home")).content.decode()
    assert titles(panel(client_for(people.editor)), "To screen (1)") == ["Kenyan need to screen"]


def test_reviewers_and_submitters_get_no_panel(people, client_for, queue):
    """Neither may open the admin; and the panel itself is for editors only."""
    for person in (people.reviewer_a, people.submitter, people.outsider):
        assert panel_for(person) is None
        assert client_for(person).get(reverse("wagtailadmin_home")).status_code == 302
    assert panel_for(people.editor) is not None


def test_an_editor_reviewing_another_countrys_submission_is_not_shown_it_as_an_editor(people, client_for):
    """The Kenyan national editor reviews a French record: its overdue review is its own task, not its queue."""
    submission = new_need(people.submitter, title="French need reviewed by a Kenyan editor")
    drive(submission, State.ASSIGNMENT, people)
    overdue = timezone.localdate() - datetime.timedelta(days=1)
    assign(submission, people.editor, [people.other_national_editor], due=overdue)
    assert panel(client_for(people.other_national_editor)) == {}


def render_queries(user_pk) -> int:
    user = get_user_model().objects.get(pk=user_pk)  # fresh: no cached groups or profile
    with CaptureQueriesContext(connection) as context:
        ReviewQueuePanel(user).render_html({})
    return len(context.captured_queries)


def test_the_panel_costs_the_same_for_few_and_many_submissions(people, client_for):
    for state in (State.SCREENING, State.ASSIGNMENT, State.DECISION, State.IN_REVIEW):
        waiting(people, people.submitter, state, f"First {state}")
    few = render_queries(people.editor.pk), render_queries(people.national_editor.pk)
    home = client_for(people.editor)
    home.get(reverse("wagtailadmin_home"))
    with CaptureQueriesContext(connection) as context:
        home.get(reverse("wagtailadmin_home"))
    few_home = len(context.captured_queries)

    for number in range(3):
        for state in (State.SCREENING, State.ASSIGNMENT, State.DECISION, State.IN_REVIEW):
            waiting(people, people.submitter, state, f"More {state} {number}")
    many = render_queries(people.editor.pk), render_queries(people.national_editor.pk)
    with CaptureQueriesContext(connection) as context:
        body = home.get(reverse("wagtailadmin_home")).content.decode()
    many_home = len(context.captured_queries)
    assert "More in_review 2" in body
    assert few == many, (few, many)
    assert few_home == many_home, (few_home, many_home)
