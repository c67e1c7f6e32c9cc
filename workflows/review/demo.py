"""Demo: a handful of submissions in every state, so that a newcomer finds the workspace and inbox alive.

They are made the way people make them (the workspace form, then the flow's own steps), by the demo
users of ``cms/accounts/demo.py``; a submission whose record already exists is left as it is.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.demo.registry import register_demo
from content_types.vocabularies.models import Country, GBFTarget
from workflows.review.policy import State

from . import services
from .flows import SubmissionFlow
from .models import Submission
from .record_forms import model_for_slug, record_form_class

# (submitter, record type, slug, target state, fields)
DEMO_SUBMISSIONS = [
    (
        "submitter-ke",
        "need",
        "wetland-monitoring-capacity",
        State.DRAFT,
        {
            "title": "Capacity building for wetland monitoring",
            "summary": "Kenya seeks training for county officers on monitoring wetland ecosystems.",
            "needed": "Field training for twenty officers.\n\nA shared protocol for water-bird counts.",
            "support_kind": "training",
            "urgency": "medium",
            "targets": [2, 3],
        },
    ),
    (
        "submitter-fr",
        "offer",
        "invasive-species-early-detection-training",
        State.SCREENING,
        {
            "title": "Training on early detection of invasive alien species",
            "summary": "Online and field courses on early detection and rapid response, in French and English.",
            "offer_kind": "training",
            "provider": "Office français de la biodiversité",
            "description": "Three modules: surveillance design, identification, rapid response.",
            "targets": [6],
        },
    ),
    (
        "submitter-br",
        "documentrecord",
        "mangrove-restoration-guidelines",
        State.IN_REVIEW,
        {
            "title": "Guidelines for restoring mangroves",
            "summary": "Practical steps for community-led mangrove restoration, from site choice to monitoring.",
            "document_type": "guidance",
            "authors": "Ministry of the Environment",
            "targets": [2],
        },
    ),
    (
        "submitter-ke",
        "need",
        "data-for-target-3-reporting",
        State.DECISION,
        {
            "title": "Spatial data for reporting on Target 3",
            "summary": "Help compiling protected and conserved area data for the next national report.",
            "needed": "Access to spatial data and a two-day workshop on the reporting indicators.",
            "support_kind": "data",
            "urgency": "high",
            "targets": [3],
        },
    ),
    (
        "submitter-fr",
        "need",
        "pollinator-monitoring-scheme",
        State.REVISION,
        {
            "title": "Designing a national pollinator monitoring scheme",
            "summary": "Advice on sampling design and volunteer networks for pollinator monitoring.",
            "needed": "An expert visit and a review of the draft sampling design.",
            "support_kind": "expertise",
            "urgency": "low",
            "targets": [11],
        },
    ),
    (
        "submitter-br",
        "offer",
        "remote-sensing-forest-cover",
        State.PUBLISHED,
        {
            "title": "Remote sensing support for forest cover change",
            "summary": "Analysis of satellite imagery for forest cover change, with training of national teams.",
            "offer_kind": "technology",
            "provider": "National Institute for Space Research",
            "description": "Annual deforestation maps and a training course on the open-source tools.",
            "targets": [1, 2],
        },
    ),
]


def _form_data(fields: dict, user) -> dict:
    data = {key: value for key, value in fields.items() if key != "targets"}
    data.setdefault("publication_date", timezone.localdate().isoformat())
    data.setdefault("licence", "CC-BY-4.0")
    data.setdefault("status", "open")
    data.setdefault("language", "en")  # the demo's records are written in English, whoever submits them
    data["gbf_targets"] = [
        str(pk) for pk in GBFTarget.objects.filter(number__in=fields["targets"]).values_list("pk", flat=True)
    ]
    country = getattr(getattr(user, "profile", None), "country_id", None)
    data["countries"] = [str(country)] if country else []
    return data


def _draft(user, type_name: str, slug: str, fields: dict):
    model = model_for_slug(type_name)
    if not services.has_record_sections() or model.objects.filter(slug=slug).exists():
        return None
    page = model(slug=slug)
    form = record_form_class(model)(_form_data(fields, user), {}, instance=page, user=user)
    if not form.is_valid():
        raise ValueError(f"Demo submission {slug}: {form.errors.as_text()}")
    return services.create_draft(form.save_to_instance(), form.parent, user)


def _task(submission, node, owner=None):
    tasks = SubmissionFlow.task_class.objects.filter(
        process__submissionprocess__submission=submission, flow_task=node, status__in=["NEW", "ASSIGNED"]
    )
    return tasks.filter(owner=owner).get() if owner else tasks.get()


def _advance(submission, state, people) -> None:
    """Move a fresh draft to ``state`` through the flow's own steps."""
    editor, reviewers = people["editor"], [people["reviewer1"], people["reviewer2"]]
    if state == State.DRAFT:
        return
    services.submit(submission.pk, submission.submitter)
    if state == State.SCREENING:
        return
    task = _task(submission, SubmissionFlow.screen)
    services.complete_task(
        task.pk, editor, lambda a, s: services.perform_screening(a, s, editor, "review", "In scope; complete.")
    )
    # One review round is overdue, so that the inbox shows what a late review looks like.
    overdue = state == State.IN_REVIEW
    due = timezone.localdate() + datetime.timedelta(days=-3 if overdue else 14)
    task = _task(submission, SubmissionFlow.assign_reviewers)
    services.complete_task(
        task.pk, editor, lambda a, s: services.perform_assignment(a, s, editor, reviewers, due, True)
    )
    if state == State.IN_REVIEW:
        _review(submission, reviewers[0], "minor", "Clear and useful; add a monitoring section.")
        return
    _review(submission, reviewers[0], "accept", "Ready to publish.")
    _review(submission, reviewers[1], "minor" if state == State.REVISION else "accept", "Add contact details.")
    if state == State.DECISION:
        return
    outcome = "revise" if state == State.REVISION else "publish"
    task = _task(submission, SubmissionFlow.decide)
    comment = "Please answer the reviewers' comments." if outcome == "revise" else ""
    services.complete_task(
        task.pk, editor, lambda a, s: services.perform_decision(a, s, editor, outcome, comment, None)
    )


def _review(submission, reviewer, recommendation, comments):
    task = _task(submission, SubmissionFlow.review, owner=reviewer)
    services.complete_task(
        task.pk,
        reviewer,
        lambda a, s: services.perform_review(a, s, reviewer, recommendation, comments, ""),
    )


@register_demo(order=60, label="Submissions under review")
def build_submissions(context):
    User = get_user_model()
    usernames = {"editor", "reviewer1", "reviewer2", *[row[0] for row in DEMO_SUBMISSIONS]}
    people = {user.username: user for user in User.objects.filter(username__in=usernames).select_related("profile")}
    if not usernames <= set(people) or not Country.objects.exists():
        return
    for username, type_name, slug, state, fields in context.progress(DEMO_SUBMISSIONS, "Submissions"):
        submission = _draft(people[username], type_name, slug, fields)
        if submission is not None:
            _advance(Submission.objects.get(pk=submission.pk), state, people)
