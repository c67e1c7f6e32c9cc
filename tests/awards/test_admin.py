"""Setting up an award cycle in the Wagtail admin as an Editor: categories, questionnaires and
criteria in one form; inconsistent dates and scales come back with a clear message."""

import datetime
import html
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from content_types.awards.models import AwardCyclePage, Eligibility

pytestmark = pytest.mark.django_db


def add_url(section) -> str:
    return reverse("wagtailadmin_pages:add", args=("awards", "awardcyclepage", section.pk))


def list_block(values) -> dict:
    data = {
        str(index): {"value": value, "deleted": "", "order": str(index), "id": ""} for index, value in enumerate(values)
    }
    data["count"] = str(len(values))
    return data


def level_stream(low, high) -> dict:
    return streamfield(
        [("level", {"score": str(score), "descriptor": f"Level {score}"}) for score in range(low, high + 1)]
    )


def criterion(**overrides) -> dict:
    data = {
        "name": "Content of the national CHM",
        "description": "National targets, reports and news are online.",
        "weight": "2",
        "scale_min": "0",
        "scale_max": "3",
        "levels": level_stream(0, 3),
        "required": "on",
    }
    data.update(overrides)
    return data


def cycle_form(criteria=None, **overrides) -> dict:
    data = {
        "title": "CHM Award 2027",
        "slug": "chm-award-2027",
        "intro": rich_text("<p>Recognising national CHMs.</p>"),
        "meeting": "COP-18",
        "decision": "",
        "call_opens": "2027-01-15",
        "nomination_deadline": "2027-04-30",
        "evaluation_deadline": "2027-07-31",
        "announcement": "2027-10-20",
        "disagreement_threshold": "2",
        "body": streamfield([]),
        "categories": inline_formset(
            [
                {
                    "name": "Existing national CHMs",
                    "description": "",
                    "eligibility": "before",
                    "eligibility_date": "2022-01-01",
                    "gold": "1",
                    "silver": "1",
                    "bronze": "1",
                    "certificates": "3",
                },
                {
                    "name": "New national CHMs",
                    "description": "",
                    "eligibility": "since",
                    "eligibility_date": "2022-01-01",
                    "gold": "1",
                    "silver": "1",
                    "bronze": "1",
                    "certificates": "0",
                },
            ]
        ),
        "questionnaires": inline_formset(
            [
                {
                    "title": "Status",
                    "intro": "",
                    "questions": streamfield(
                        [
                            (
                                "question",
                                {
                                    "text": "Web address of the national CHM",
                                    "help": "",
                                    "kind": "url",
                                    "choices": list_block([]),
                                    "required": "on",
                                },
                            ),
                            (
                                "question",
                                {
                                    "text": "Languages",
                                    "help": "",
                                    "kind": "choice",
                                    "choices": list_block(["One", "Several"]),
                                },
                            ),
                        ]
                    ),
                }
            ]
        ),
        "criteria": inline_formset(
            criteria
            if criteria is not None
            else [criterion(), criterion(name="Virtual visit", weight="1", independent="on", required="")]
        ),
        "comments": inline_formset([]),
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def error_texts(response) -> str:
    document = BeautifulSoup(response.content.decode(), "html.parser")
    return " ".join(node.get_text(" ", strip=True) for node in document.select(".error-message, .help-critical"))


def test_an_editor_sets_up_a_cycle(client, editor, awards):
    client.force_login(editor)

    response = client.post(add_url(awards), cycle_form())

    assert response.status_code == 302, error_texts(response)
    cycle = AwardCyclePage.objects.get(slug="chm-award-2027", locale__language_code="en")
    assert cycle.live
    assert cycle.announcement == datetime.date(2027, 10, 20)
    existing, new = cycle.categories.all()
    assert (existing.eligibility, existing.certificates) == (Eligibility.ESTABLISHED_BEFORE, 3)
    assert existing.locale_id == cycle.locale_id
    assert new.admits(datetime.date(2023, 5, 1))
    content, visit = cycle.criteria.all()
    assert (content.weight, content.independent, content.required) == (Decimal("2"), False, True)
    assert content.scale_levels() == [(0, "Level 0"), (1, "Level 1"), (2, "Level 2"), (3, "Level 3")]
    assert (visit.independent, visit.required) == (True, False)
    questions = [block.value for block in cycle.questionnaires.get().questions]
    assert [question["kind"] for question in questions] == ["url", "choice"]
    assert list(questions[1]["choices"]) == ["One", "Several"]
    assert client.get(reverse("wagtailadmin_pages:edit", args=(cycle.pk,))).status_code == 200


def test_the_awards_section_offers_the_cycle_page_type(client, editor, awards):
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_pages:add_subpage", args=(awards.pk,)))

    assert response.status_code == 200
    assert "awardcyclepage" in response.content.decode()
    assert AwardCyclePage.can_create_at(awards)


@pytest.mark.parametrize(
    ("overrides", "criteria", "message"),
    [
        (
            {"evaluation_deadline": "2027-03-01"},
            None,
            "The phases follow each other: this date cannot come before the previous one.",
        ),
        (
            {},
            [criterion(scale_min="3", scale_max="3", levels=streamfield([]))],
            "The highest score must be above the lowest.",
        ),
        ({}, [criterion(levels=level_stream(0, 2))], "Give exactly one level for each score from 0 to 3."),
        ({}, [criterion(weight="-1")], "Ensure this value is greater than or equal to 0."),
        ({}, [], ""),  # a cycle needs at least one criterion
    ],
)
def test_bad_setup_comes_back_with_a_message(client, editor, awards, overrides, criteria, message):
    client.force_login(editor)

    response = client.post(add_url(awards), cycle_form(criteria=criteria, **overrides))

    assert response.status_code == 200
    # Field errors are in the page; a StreamField's own errors are in its data for the editor's script.
    assert message in error_texts(response) or message in html.unescape(response.content.decode())
    assert not AwardCyclePage.objects.filter(slug="chm-award-2027").exists()


def test_a_category_with_a_rule_needs_its_date(client, editor, awards):
    client.force_login(editor)
    data = cycle_form()
    data["categories-0-eligibility_date"] = ""

    response = client.post(add_url(awards), data)

    assert response.status_code == 200
    assert "Give the date the establishment is compared with." in error_texts(response)


def test_a_choice_question_needs_choices(client, editor, awards):
    client.force_login(editor)
    data = cycle_form()
    data["questionnaires-0-questions-1-value-choices-count"] = "1"

    response = client.post(add_url(awards), data)

    assert response.status_code == 200
    assert "Give at least two choices." in html.unescape(response.content.decode())
    assert not AwardCyclePage.objects.filter(slug="chm-award-2027").exists()


def test_a_committee_member_cannot_set_up_a_cycle(client, committee_member, awards):
    client.force_login(committee_member)

    response = client.get(add_url(awards))

    assert response.status_code in (302, 403)
