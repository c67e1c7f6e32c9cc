"""The suggestions endpoint: who may call it, what it answers, how it refuses bad input (problem
details, never a 500), its rate limit and its query count; and where the panel appears."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from suggest import store
from suggest.views import MAX_TEXT_LENGTH
from tests.records.factories import NeedFactory, target

pytestmark = pytest.mark.django_db

URL = "/en/workspace/suggestions/"
TEXT = "Kenya asks for training to eradicate invasive alien species from its coastal islands."


@pytest.fixture(autouse=True)
def fresh_model_and_rate():
    cache.clear()
    store.refresh()
    yield
    cache.clear()


@pytest.fixture
def signed_in(submitter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(submitter)
    client.get("/en/workspace/")  # the workspace page sets the CSRF cookie, as in the browser
    return client


def post(client, body, url=URL, csrf=True, content_type="application/json"):
    headers = {}
    if csrf and "csrftoken" in client.cookies:
        headers["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(url, data, content_type=content_type, **headers)


def test_a_signed_in_person_gets_targets_and_subjects_with_their_words(site_pages, signed_in):
    response = post(signed_in, {"text": TEXT, "language": "en"})

    assert response.status_code == 200
    data = response.json()
    assert data["language"] == "en"
    first = data["suggestions"][0]
    assert first["kind"] == "target"
    assert first["code"] == "GBF-T6"
    assert first["id"] == target(6).pk
    assert first["label"].startswith("6. Reduce the introduction of invasive alien species")
    assert {"invasive", "alien"} <= set(first["words"])
    assert first["passages"][0]["highlights"]
    assert "SUBJ-IAS" in {item["code"] for item in data["suggestions"] if item["kind"] == "subject"}


def test_labels_follow_the_interface_language(site_pages, submitter):
    client = Client()
    client.force_login(submitter)
    response = post(client, {"text": TEXT}, url="/fr/workspace/suggestions/")

    first = response.json()["suggestions"][0]
    assert first["label"].startswith("6. Réduire de 50 %")
    assert first["label_language"] == "fr"


def test_anonymous_visitors_are_refused(site_pages):
    response = post(Client(), {"text": TEXT})

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 403


def test_a_post_without_the_csrf_token_is_refused(site_pages, signed_in):
    response = post(signed_in, {"text": TEXT}, csrf=False)

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_only_post_is_answered(site_pages, signed_in):
    assert signed_in.get(URL).status_code == 405


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "x" * (MAX_TEXT_LENGTH + 1)}, "text"),
        ({"text": ["a", "list"]}, "text"),
        ({"language": "en"}, "text"),
        ({"text": TEXT, "language": "tlh"}, "language"),
        (["not", "an", "object"], "non_field_errors"),
    ],
)
def test_bad_input_is_a_400_problem_naming_the_field(site_pages, signed_in, body, field):
    response = post(signed_in, body)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


def test_malformed_json_and_other_media_types_are_refused_clearly(site_pages, signed_in):
    broken = post(signed_in, '{"text": "unfinished', content_type="application/json")
    form = post(signed_in, "text=hello", content_type="application/x-www-form-urlencoded")

    assert broken.status_code == 400
    assert broken.json()["title"] == "Bad Request"
    assert form.status_code == 415


def test_half_a_surrogate_pair_is_refused_clearly_not_a_500(site_pages, signed_in):
    response = post(signed_in, '{"text": "Invasive alien species \\ud800 on islands."}')

    assert response.status_code == 400
    assert "text" in response.json()["errors"]


def test_empty_text_gets_no_suggestion(site_pages, signed_in):
    response = post(signed_in, {"text": "   "})
    assert response.status_code == 200
    assert response.json()["suggestions"] == []


def test_requests_are_rate_limited_per_person(site_pages, signed_in, settings):
    settings.SUGGEST_RATE = "2/minute"
    assert post(signed_in, {"text": TEXT}).status_code == 200
    assert post(signed_in, {"text": TEXT}).status_code == 200
    refused = post(signed_in, {"text": TEXT})

    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert "Retry-After" in refused


def test_a_suggestion_costs_no_query_beyond_the_session_once_the_model_is_built(
    site_pages, signed_in, django_assert_max_num_queries
):
    post(signed_in, {"text": TEXT})  # builds the model
    with django_assert_max_num_queries(2):  # the session and the user
        response = post(signed_in, {"text": TEXT + " And more about restoration of wetlands."})
    assert response.status_code == 200


def test_building_the_model_costs_the_same_queries_whatever_the_number_of_records(
    site_pages, django_assert_num_queries
):
    NeedFactory(title="Seagrass meadows", gbf_targets=[target(2)])
    with django_assert_num_queries(5):
        store.build_from_database()
    for number in range(12):
        NeedFactory(title=f"Seagrass survey {number}", gbf_targets=[target(2), target(3)])
    with django_assert_num_queries(5):
        model = store.build_from_database()
    assert model.examples == 13


def test_publishing_a_record_refreshes_the_model(site_pages, django_capture_on_commit_callbacks):
    text = "Mapping seagrass meadows along the coast"
    assert "GBF-T2" not in {item.code for item in store.current_model().suggest(text, "en")[1]}

    with django_capture_on_commit_callbacks(execute=True):
        for number in range(2):
            need = NeedFactory(title=f"Seagrass meadows replanting {number}", gbf_targets=[target(2)], live=False)
            need.save_revision().publish()

    suggested = {item.code: item for item in store.current_model().suggest(text, "en")[1]}
    assert "GBF-T2" in suggested
    assert "seagrass" in suggested["GBF-T2"].words


def test_the_command_builds_the_model(site_pages, capsys):
    from django.core.management import call_command

    call_command("build_suggestion_model")
    output = capsys.readouterr().out
    assert "61 terms" in output
    assert "zh target: 23 vectors" in output


def test_the_workspace_form_shows_the_panel_wired_to_its_fields(site_pages, signed_in):
    page = signed_in.get("/en/workspace/new/need/").content.decode()

    assert "data-suggest hidden" in page
    assert 'data-endpoint="/en/workspace/suggestions/"' in page
    assert 'data-targets="id_gbf_targets"' in page
    assert 'data-subjects="id_subjects"' in page
    assert 'data-language="id_language"' in page
    sources = page.split('data-sources="')[1].split('"')[0].split()
    assert {"id_title", "id_summary", "id_needed"} <= set(sources)
    assert "suggest/suggest.js" in page
    assert "<script>" not in page  # no inline script (CSP)


def test_the_admin_editor_has_the_panel(site_pages, editor):
    need = NeedFactory(title="Kenya needs training")
    client = Client()
    client.force_login(editor)
    page = client.get(f"/admin/pages/{need.pk}/edit/").content.decode()

    assert 'data-placement="id_summary"' in page
    assert "suggest/suggest.js" in page
