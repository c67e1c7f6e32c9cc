"""The workspace's forms as a person meets them: marks before the first attempt, the error summary and
its links after one, GBF targets required only to submit, length limits checked by the server."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from workflows.permissions import State
from workflows.review import services
from workflows.review.flows import SubmissionFlow
from workflows.review.models import Submission

from .helpers import drive, need_data, open_task, screen

pytestmark = pytest.mark.django_db

CREATE_URL = "/en/workspace/new/need/"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_the_need_form_marks_required_fields_and_those_required_to_submit(people, client_for):
    page = soup(client_for(people.submitter).get(CREATE_URL))

    legend = page.select_one(".requirements-legend").get_text()
    assert "Fields marked with an asterisk (*) are required." in legend
    assert "You may save a draft without these fields; fill them in before you submit it for review." in legend
    for name in ("title", "needed", "support_kind", "licence"):
        control = page.select_one(f"#id_{name}")
        assert control.has_attr("required") or control.get("aria-required") == "true", name
        assert page.select_one(f"label[for=id_{name}] .required-marker").get_text() == "*"
    assert page.select_one("#id_licence")["aria-required"] == "true"  # a select that always has a value
    assert page.select_one("label[for=id_summary] .required-marker") is None  # optional
    targets = page.select_one("select#id_gbf_targets")
    assert not targets.has_attr("required")
    assert page.select_one("label[for=id_gbf_targets] .required-to-submit").get_text() == "(required to submit)"
    # The long lists are type-aheads over plain multiple selects.
    for name in ("countries", "regions", "gbf_targets", "subjects", "languages"):
        select = page.select_one(f"select#id_{name}")
        assert select.has_attr("multiple") and select.has_attr("data-typeahead"), name
    assert page.select_one("[data-error-summary]") is None
    assert not page.title.get_text().startswith("Error")
    # The page loads the behaviour and the widget from the portal itself.
    scripts = [script["src"] for script in page.select("script[src]")]
    assert "/static/vendor/tom-select/tom-select.popular.min.js" in scripts and "/static/js/forms.js" in scripts


def test_a_draft_may_lack_gbf_targets_but_submitting_it_may_not(people, client_for):
    client = client_for(people.submitter)

    response = client.post(CREATE_URL, need_data(gbf_targets=[], submit="1"))

    assert response.status_code == 400
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    link = page.select_one("[data-error-summary] a[href='#id_gbf_targets']")
    assert link.get_text() == "GBF targets: Choose at least one value for “GBF targets”."
    assert page.select_one("#id_gbf_targets")["aria-invalid"] == "true"
    assert "id_gbf_targets_error" in page.select_one("#id_gbf_targets")["aria-describedby"].split()
    assert page.select_one("#id_title")["value"] == "Training in marine spatial planning"  # kept
    assert not Submission.objects.exists()

    response = client.post(CREATE_URL, need_data(gbf_targets=[]))  # "Save draft"

    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.state == State.DRAFT

    # Submitting the saved draft from its page is refused with the reason, and changes nothing.
    response = client.post(reverse("workspace:submit", args=[submission.pk]), follow=True)
    assert "Fill in GBF targets before you submit" in response.content.decode()
    assert Submission.objects.get().state == State.DRAFT
    with pytest.raises(services.TransitionError):
        services.submit(submission.pk, people.submitter)

    # Once the targets are there, it goes.
    client.post(reverse("workspace:edit", args=[submission.pk]), need_data(submit="1"))
    assert Submission.objects.get().state == State.SCREENING


def test_a_revision_without_targets_is_saved_but_not_resubmitted(people, client_for, draft):
    drive(draft, State.REVISION, people)
    client = client_for(people.submitter)

    response = client.post(reverse("workspace:edit", args=[draft.pk]), need_data(gbf_targets=[]))
    assert response.status_code == 302

    response = client.post(reverse("workspace:submit", args=[draft.pk]), {"comment": "Done."}, follow=True)
    assert "Fill in GBF targets before you submit" in response.content.decode()
    assert Submission.objects.get(pk=draft.pk).state == State.REVISION


def test_an_over_long_summary_is_refused_with_a_message_and_kept(people, client_for):
    summary = "S" * 601

    response = client_for(people.submitter).post(CREATE_URL, need_data(summary=summary))

    assert response.status_code == 400
    page = soup(response)
    textarea = page.select_one("textarea#id_summary")
    assert textarea.get_text().strip() == summary
    assert not textarea.has_attr("maxlength")
    assert (
        "Ensure this value has at most 600 characters (it has 601)." in page.select_one("#id_summary_error").get_text()
    )
    assert textarea["aria-describedby"].split() == ["id_summary_helptext", "id_summary_count_hint", "id_summary_error"]
    assert not Submission.objects.exists()


def test_a_task_form_links_its_errors_to_the_first_choice_of_a_group(people, client_for, draft):
    drive(draft, State.SCREENING, people)
    task = open_task(draft, SubmissionFlow.screen)
    client = client_for(people.editor)
    url = reverse("workspace:task", args=[task.pk])

    page = soup(client.get(url))
    assert "required" in page.select_one("fieldset legend .visually-hidden").get_text()  # the outcome group

    response = client.post(url, {"outcome": "", "comment": ""})

    assert response.status_code == 400
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    assert [a["href"] for a in page.select("[data-error-summary] a")] == ["#id_outcome_0"]
    assert page.select_one("#id_outcome_0")["aria-invalid"] == "true"
    screen(draft, people.editor)  # the task is still open: nothing was done
