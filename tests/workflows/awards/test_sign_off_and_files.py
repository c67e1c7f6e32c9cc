"""The evaluation's last gaps: a committee with nobody left to sign the decision off is told so before
the scoring closes or a decision is recorded (nothing half-done); the decision and sign-off tasks are
due by the announcement like scoring tasks by the evaluation deadline; the inbox's column is generic;
nomination files and visit screenshots never sit on a guessable or public address."""

import datetime
import importlib
import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, resolve, reverse
from PIL import Image
from viewflow.workflow import STATUS

from content_types.awards.models import Prize
from workflows.awards import services
from workflows.awards.flows import EvaluationFlow
from workflows.awards.models import (
    Award,
    Conflict,
    EvaluationState,
    NominationAttachment,
    VisitScreenshot,
)
from workflows.core import inbox

from .conftest import fresh, nominate
from .test_evaluation import full_scoring

pytestmark = pytest.mark.django_db

OPEN = [STATUS.NEW, STATUS.ASSIGNED]


def tasks(node, **filters):
    return EvaluationFlow.task_class.objects.filter(flow_task=node, **filters)


def refused(step) -> str:
    with pytest.raises(ValidationError) as error:
        step()
    return " ".join(error.value.messages)


# --- nobody left to sign off ---------------------------------------------------------------------
def test_every_member_in_conflict_on_a_nomination_keeps_the_scoring_open_with_a_clear_message(client, evaluating):
    france = evaluating.nominations["FR"]
    for name in ("chair", "member-br", "member-cn"):
        services.declare_conflict(fresh(evaluating.members[name]), france, "Advised France.")
    assert services.sign_off_gap(evaluating.committee).startswith(f"No member may sign off nomination {france}")

    # the secretariat reads it on the ranking page before it tries to close the scoring
    client.force_login(evaluating.secretariat)
    page = client.get(reverse("awards_flow:ranking", args=[evaluating.cycle.pk])).content.decode()
    assert f"No member may sign off nomination {france}" in page
    assert "Name another member to the committee" in page

    message = refused(lambda: services.close_scoring(fresh(evaluating.secretariat), evaluating.committee))
    assert str(france) in message and "Name another member" in message
    # nothing moved: the scoring is open, its closing task too, no closing in the history
    evaluating.committee.refresh_from_db()
    assert evaluating.committee.state == EvaluationState.SCORING
    assert tasks(EvaluationFlow.close, status__in=OPEN).count() == 1
    assert not tasks(EvaluationFlow.decide).exists()
    assert not evaluating.committee.history.filter(action="close").exists()

    # through the page: the same message, as an error, and a redirect (never a 500)
    response = client.post(reverse("awards_flow:close_scoring", args=[evaluating.cycle.pk]), follow=True)
    assert response.status_code == 200
    assert f"No member may sign off nomination {france}" in response.content.decode()
    evaluating.committee.refresh_from_db()
    assert evaluating.committee.state == EvaluationState.SCORING

    # a committee member does not see the secretariat's warning (it has nothing to do about it)
    client.force_login(evaluating.members["chair"])
    page = client.get(reverse("awards_flow:ranking", args=[evaluating.cycle.pk])).content.decode()
    assert "Name another member" not in page


def test_conflicts_spread_over_nominations_also_leave_nobody_to_sign(evaluating):
    # each member steps aside from a different nomination: no nomination is blocked, no signer is left
    services.declare_conflict(fresh(evaluating.members["chair"]), evaluating.nominations["FR"], "Advised France.")
    services.declare_conflict(fresh(evaluating.members["member-cn"]), evaluating.nominations["JP"], "Co-author.")
    assert services.sign_off_gap(evaluating.committee) == ""  # Brazil's member may still sign
    services.declare_conflict(fresh(evaluating.members["member-br"]), evaluating.nominations["FR"], "Colleague.")
    message = services.sign_off_gap(evaluating.committee)
    assert message.startswith("No member may sign the decision off")
    assert refused(lambda: services.close_scoring(fresh(evaluating.secretariat), evaluating.committee)) == message


def test_a_decision_nobody_could_sign_is_refused_before_anything_is_written(client, evaluating):
    full_scoring(evaluating)
    services.close_scoring(fresh(evaluating.secretariat), evaluating.committee)
    # conflicts that came in after the scoring closed (imported, or recorded by an administrator)
    for member in evaluating.committee.members.all():
        Conflict.objects.create(member=member, nomination=evaluating.nominations["JP"], reason="Late declaration.")
    chair = fresh(evaluating.members["chair"])

    client.force_login(chair)
    page = client.get(reverse("awards_flow:decision", args=[evaluating.cycle.pk])).content.decode()
    assert f"No member may sign off nomination {evaluating.nominations['JP']}" in page

    message = refused(
        lambda: services.record_decision(
            chair, evaluating.committee, {evaluating.nominations["FR"]: Prize.GOLD}, "Content."
        )
    )
    assert "Name another member" in message
    evaluating.committee.refresh_from_db()
    assert evaluating.committee.state == EvaluationState.DECISION
    assert evaluating.committee.justification == ""
    assert not Award.objects.exists()
    assert tasks(EvaluationFlow.decide, status__in=OPEN).count() == 1
    assert not tasks(EvaluationFlow.sign_off).exists()
    assert not evaluating.committee.history.filter(action="decide").exists()

    # the decision page answers with the message, not an error page
    response = client.post(
        reverse("awards_flow:decision", args=[evaluating.cycle.pk]),
        {"justification": "Content."},
    )
    assert response.status_code == 200
    assert "Name another member" in response.content.decode()
    assert not Award.objects.exists()


def test_with_one_member_left_to_sign_the_decision_goes_on(evaluating):
    for name in ("chair", "member-cn"):
        services.declare_conflict(fresh(evaluating.members[name]), evaluating.nominations["BR"], "Advised Brazil.")
    services.close_scoring(fresh(evaluating.secretariat), evaluating.committee)
    services.record_decision(
        fresh(evaluating.members["chair"]), evaluating.committee, {evaluating.nominations["FR"]: Prize.GOLD}, "Ok."
    )
    assert [task.owner.username for task in tasks(EvaluationFlow.sign_off, status__in=OPEN)] == ["member-br"]


# --- due dates -------------------------------------------------------------------------------------
def due_by_title(user, today=None) -> dict:
    return {(row["title"], row["due"], row["overdue"]) for row in inbox.inbox_rows(fresh(user), today=today)}


def test_every_evaluation_task_is_due_by_the_end_of_its_phase(evaluating, django_assert_max_num_queries):
    cycle = evaluating.cycle
    scoring_due = cycle.evaluation_deadline
    assert due_by_title(evaluating.members["chair"]) == {("Score the nomination", scoring_due, False)}
    assert due_by_title(evaluating.secretariat) == {("Close the scoring", scoring_due, False)}
    late = scoring_due + datetime.timedelta(days=1)
    assert due_by_title(evaluating.secretariat, today=late) == {("Close the scoring", scoring_due, True)}

    full_scoring(evaluating)
    services.close_scoring(fresh(evaluating.secretariat), evaluating.committee)
    announced = cycle.announcement
    assert announced != scoring_due
    assert due_by_title(evaluating.members["chair"]) == {("Record the committee's decision", announced, False)}
    after = announced + datetime.timedelta(days=1)
    assert due_by_title(evaluating.members["chair"], today=after) == {
        ("Record the committee's decision", announced, True)
    }

    services.record_decision(
        fresh(evaluating.members["chair"]), evaluating.committee, {evaluating.nominations["FR"]: Prize.GOLD}, "Ok."
    )
    for name in ("chair", "member-br", "member-cn"):
        assert due_by_title(evaluating.members[name]) == {("Sign the decision off", announced, False)}
    member = fresh(evaluating.members["member-cn"])
    with django_assert_max_num_queries(8):
        rows = inbox.inbox_rows(member, today=after)
    assert [(row["due"], row["overdue"]) for row in rows] == [(announced, True)]

    for name in ("chair", "member-br", "member-cn"):
        services.sign_off(fresh(evaluating.members[name]), evaluating.committee)
    assert due_by_title(evaluating.secretariat) == {("Publish the results", announced, False)}


def test_the_task_page_shows_the_due_date_under_a_generic_heading(client, evaluating):
    client.force_login(evaluating.members["chair"])
    page = client.get(reverse("workspace:tasks")).content.decode()
    assert '<th scope="col">Subject</th>' in page and '<th scope="col">Record</th>' not in page
    assert f'<time datetime="{evaluating.cycle.evaluation_deadline:%Y-%m-%d}">' in page


# --- stored files ----------------------------------------------------------------------------------
def png_upload(name="home.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_stored_names_cannot_be_guessed_and_never_replace_each_other(world):
    nomination = nominate(world, "FR", submit=False)
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    for _round in range(2):
        services.save_nomination(
            world.focal["FR"],
            world.cycle,
            nomination=nomination,
            category=world.categories[0],
            website=nomination.website,
            answers={},
            attachments=[SimpleUploadedFile("report.pdf", pdf, content_type="application/pdf")],
        )
    names = [item.file.name for item in NominationAttachment.objects.filter(nomination=nomination)]
    assert len(names) == 2 and len(set(names)) == 2
    for name in names:
        assert re.fullmatch(rf"awards/nominations/{nomination.pk}/[\w-]{{16}}/report\.pdf", name), name
    assert {item.title for item in NominationAttachment.objects.filter(nomination=nomination)} == {"report.pdf"}


def test_visit_screenshots_are_served_to_their_member_and_the_secretariat_only(client, evaluating):
    france = evaluating.nominations["FR"]
    assessment = services.save_visit(fresh(evaluating.members["member-cn"]), france, pages_visited="Home")
    shot = VisitScreenshot.objects.create(assessment=assessment, image=png_upload())
    assert re.fullmatch(rf"awards/visits/{assessment.pk}/[\w-]{{16}}/home\.png", shot.image.name)
    url = reverse("awards_flow:screenshot", args=[france.pk, shot.pk])

    client.force_login(evaluating.members["member-cn"])
    page = client.get(reverse("awards_flow:nomination", args=[france.pk])).content.decode()
    assert f'src="{url}"' in page and "/media/" not in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store" and response["X-Content-Type-Options"] == "nosniff"

    def status(user, address=url):
        client.force_login(user)
        return client.get(address).status_code

    assert status(evaluating.secretariat) == 200
    # another member assessing France, the nominee, another Party: the screenshot does not exist
    assert status(evaluating.members["chair"]) == 404
    assert status(evaluating.focal["FR"]) == 404
    assert status(evaluating.focal["JP"]) == 404
    # nor through another nomination's address
    assert (
        status(
            evaluating.secretariat, reverse("awards_flow:screenshot", args=[evaluating.nominations["JP"].pk, shot.pk])
        )
        == 404
    )
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_development_media_serving_refuses_every_award_file(settings):
    import cms.urls

    settings.DEBUG = True
    try:
        importlib.reload(cms.urls)
        clear_url_caches()
        assert resolve("/media/awards/nominations/1/abc/report.pdf").func is cms.urls.not_a_public_file
        assert resolve("/media/awards/visits/1/abc/home.png").func is cms.urls.not_a_public_file
    finally:
        settings.DEBUG = False
        importlib.reload(cms.urls)
        clear_url_caches()


def test_the_proxy_answers_404_for_award_files():
    conf = (Path(__file__).resolve().parents[3] / "deploy" / "nginx" / "portal.conf").read_text()
    locations = dict(re.findall(r"location\s+(\S+)\s*\{([^}]*)\}", conf))
    # nginx picks the longest matching prefix: for award files that is the 404 of /media/
    for path in ("/media/awards/nominations/1/abc/report.pdf", "/media/awards/visits/1/abc/home.png"):
        matching = [prefix for prefix in locations if not prefix.startswith("=") and path.startswith(prefix)]
        assert max(matching, key=len) == "/media/"
    assert "return 404" in locations["/media/"]


def test_with_a_bucket_award_files_get_only_signed_expiring_addresses(monkeypatch):
    from django.core.files.storage import default_storage
    from django.utils.module_loading import import_string

    from cms.settings import env

    # the same storage as record attachments (the default one), never a public storage of their own
    for model, field in ((NominationAttachment, "file"), (VisitScreenshot, "image")):
        assert model._meta.get_field(field).storage is default_storage
    bucket = {
        "AWS_STORAGE_BUCKET_NAME": "chm-media",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
        "AWS_ACCESS_KEY_ID": "portal-key",
        "AWS_SECRET_ACCESS_KEY": "portal-secret",
    }
    for name, value in bucket.items():
        monkeypatch.setenv(name, value)
    config = env.media_storage()
    storage = import_string(config["BACKEND"])(**config["OPTIONS"])
    assert storage.default_acl is None and storage.querystring_auth is True  # the private bucket's policy
    url = storage.url("awards/nominations/1/abc/report.pdf")
    assert url.startswith("https://s3.example.org/chm-media/awards/nominations/1/abc/report.pdf?")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=" in url
