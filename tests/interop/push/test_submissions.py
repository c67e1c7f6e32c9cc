"""The write API: tokens, scope, mass assignment, validation, idempotency, and the review it enters."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cms.accounts import roles
from content_types.records.models import NeedPage
from interop.push.models import ApiClient, IdempotencyKey, PushedRecord
from interop.push.services import expire_idempotency_keys
from workflows.review.models import AuditEntry, Submission
from workflows.review.policy import State

from .conftest import issue, need_body, post

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


# --- tokens -------------------------------------------------------------------------------------


def test_missing_token_is_a_401_problem(france_client):
    response = post(APIClient(), need_body())
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["status"] == 401
    assert not Submission.objects.exists()


@pytest.mark.parametrize("header", ["Token not-a-real-token", "Token", "Token a b", "Token é"])
def test_invalid_token_is_a_401_problem(france_client, header):
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    response = post(http, need_body())
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert not Submission.objects.exists()


def test_revoked_token_is_refused(api, france_client):
    client, _token = france_client
    client.revoke()
    response = post(api, need_body())
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert not Submission.objects.exists()


def test_token_of_an_inactive_acting_user_is_refused(api, service_user):
    service_user.is_active = False
    service_user.save()
    assert post(api, need_body()).status_code == 401


def test_only_the_hash_of_the_token_is_stored(france_client):
    client, token = france_client
    client.refresh_from_db()
    assert token not in (client.token_hash, client.token_prefix)
    assert client.token_prefix == token[:8]


def test_acting_user_without_the_right_to_submit_is_denied(site_pages, make_user):
    from content_types.vocabularies.models import Country

    _client, token = issue("No rights", make_user("no-rights"), scope_country=Country.objects.get(code="FR"))
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = post(http, need_body())
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert not Submission.objects.exists()


def test_session_of_a_signed_in_person_is_not_a_client(site_pages, submitter):
    browser = Client()
    browser.force_login(submitter)
    response = browser.post(
        "/api/v1/submissions/", need_body(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert response.status_code == 401
    assert not Submission.objects.exists()


# --- the record enters review -----------------------------------------------------------------


def test_pushed_record_is_submitted_for_screening_in_the_clients_country(api, france_client, service_user):
    response = post(api, need_body())
    assert response.status_code == 201, response.content
    data = response.json()
    submission = Submission.objects.get(pk=data["id"])
    assert set(data) == {"id", "state", "identifier"}
    assert data["state"] == State.SCREENING
    assert response["Location"].endswith(f"/api/v1/submissions/{submission.pk}/")
    assert submission.state == State.SCREENING
    assert submission.submitter == service_user
    assert submission.acting_for_country.code == "FR"
    assert PushedRecord.objects.get(submission=submission).client == france_client[0]
    page = submission.page.specific.get_latest_revision_as_object()
    assert isinstance(page, NeedPage)
    assert data["identifier"] == submission.page.identifier
    assert data["identifier"].startswith("CHM-NEED-FR-")
    assert [c.code for c in page.countries.all()] == ["FR"]
    assert [t.code for t in page.gbf_targets.all()] == ["GBF-T3"]
    assert page.urgency == "high"
    assert "<p>For ten people.</p>" in str(page.body[0].value)
    assert page.locale.language_code == "en"
    assert not submission.page.live
    actions = list(submission.audit_entries.values_list("action", flat=True))
    assert actions == [AuditEntry.Action.CREATED, AuditEntry.Action.SUBMITTED]


def test_pushed_record_is_in_the_editors_screening_inbox_and_not_public(api, editor):
    response = post(api, need_body(title="Seagrass mapping support"))
    submission = Submission.objects.get(pk=response.json()["id"])
    browser = Client()
    browser.force_login(editor)
    inbox = browser.get(reverse("workspace:tasks"))
    assert inbox.status_code == 200
    assert "Seagrass mapping support" in inbox.content.decode()
    assert browser.get(reverse("workspace:submission", args=[submission.pk])).status_code == 200
    public = Client().get(submission.page.url)
    assert public.status_code == 404


def test_record_written_in_french_lands_in_the_french_records_section(api):
    response = post(api, need_body(language="fr", title="Formation"))
    assert response.status_code == 201, response.content
    page = Submission.objects.get(pk=response.json()["id"]).page
    assert page.locale.language_code == "fr"
    assert page.get_parent().specific_class.__name__ == "RecordIndexPage"


# --- mass assignment --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, value",
    [
        ("state", "published"),
        ("owner", 1),
        ("country", "KE"),
        ("countries", ["KE"]),
        ("identifier", "CHM-NEED-KE-2026-0001"),
        ("source_portal", "Elsewhere"),
        ("first_published_at", "2020-01-01T00:00:00Z"),
        ("publication_date", "2020-01-01"),
        ("live", True),
    ],
)
def test_fields_a_client_cannot_set_are_refused_by_name(api, name, value):
    response = post(api, {**need_body(), name: value})
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {name: ["This field cannot be set through the API."]}
    assert not Submission.objects.exists()
    assert not IdempotencyKey.objects.exists()  # the client may correct its request under the same key


@pytest.mark.parametrize("name", ["country", "provider_organisation", "identifier", "live"])
def test_type_fields_outside_the_allow_list_are_refused(api, name):
    body = need_body()
    body["fields"] = {**body["fields"], name: "x"}
    response = post(api, body)
    assert response.status_code == 400
    assert f"fields.{name}" in response.json()["errors"]
    assert not Submission.objects.exists()


def test_organisation_record_takes_the_country_of_the_scope(api):
    body = need_body(type="organisation", targets=[], fields={"acronym": "OFB", "organisation_type": "government"})
    response = post(api, body)
    assert response.status_code == 201, response.content
    page = Submission.objects.get(pk=response.json()["id"]).page.specific.get_latest_revision_as_object()
    assert page.country.code == "FR"


def test_organisation_scope_gives_its_country_and_name(site_pages, service_user, editor):
    from content_types.records.models import OrganisationPage
    from content_types.vocabularies.models import Country
    from workflows.review.services import record_index_for

    organisation = OrganisationPage(title="Kenya Wildlife Service", country=Country.objects.get(code="KE"))
    record_index_for("en").add_child(instance=organisation)
    _client, token = issue("KWS", service_user, scope_organisation=organisation)
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = post(http, need_body())
    assert response.status_code == 201, response.content
    submission = Submission.objects.get(pk=response.json()["id"])
    assert submission.acting_for_country.code == "KE"
    assert submission.acting_for_organisation == "Kenya Wildlife Service"


# --- validation -------------------------------------------------------------------------------


def test_validation_errors_are_problem_details_per_field(api):
    body = need_body(title="", targets=["GBF-T99"], fields={"support_kind": "magic"})
    response = post(api, body)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 400 and problem["type"] == "about:blank"
    assert set(problem["errors"]) == {"title"}
    response = post(api, need_body(targets=["GBF-T99"]), key="key-2")
    assert response.json()["errors"] == {"targets": ["Unknown code: GBF-T99."]}
    response = post(api, need_body(fields={"support_kind": "magic"}), key="key-3")
    assert set(response.json()["errors"]) == {"fields.support_kind", "fields.needed"}  # invalid, missing
    assert not Submission.objects.exists()


def test_a_need_without_targets_is_not_submitted(api):
    response = post(api, need_body(targets=[]))
    assert response.status_code == 400
    assert "targets" in response.json()["errors"]
    assert not Submission.objects.exists()


@pytest.mark.parametrize("body", [[], "text", {"type": "starship", "language": "en", "title": "x"}])
def test_malformed_bodies_are_400(api, body):
    response = post(api, body)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


def test_a_body_that_is_not_json_is_a_problem(api):
    response = api.post("/api/v1/submissions/", b"{not json", content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


# --- idempotency ------------------------------------------------------------------------------


def test_idempotency_key_is_required(api):
    for key in (None, "", "has space", "x" * 256):
        response = post(api, need_body(), key=key)
        assert response.status_code == 400
        assert "Idempotency-Key" in response.json()["errors"]
    assert not Submission.objects.exists()


def test_same_key_and_body_replays_the_first_answer(api):
    first = post(api, need_body(), key="retry-me")
    body = need_body()
    reordered = dict(reversed(list(body.items())))
    second = post(api, reordered, key="retry-me")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert Submission.objects.count() == 1


def test_same_key_with_another_body_is_a_conflict(api):
    assert post(api, need_body(), key="once").status_code == 201
    response = post(api, need_body(title="Something else"), key="once")
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert Submission.objects.count() == 1


def test_keys_are_per_client(api, site_pages, make_user):
    from content_types.vocabularies.models import Country

    assert post(api, need_body(), key="shared").status_code == 201
    _other, token = issue(
        "Kenya", make_user("ke-service", roles.SUBMITTER), scope_country=Country.objects.get(code="KE")
    )
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = post(http, need_body(title="Another need"), key="shared")
    assert response.status_code == 201
    assert Submission.objects.count() == 2


def test_keys_expire_after_a_day(api):
    assert post(api, need_body(), key="old").status_code == 201
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert post(api, need_body(title="Reused key"), key="old").status_code == 201  # a stale key is free again
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert expire_idempotency_keys() == 1
    assert not IdempotencyKey.objects.exists()


def test_beat_task_expires_keys(api):
    from interop.push.tasks import expire_idempotency_keys as task

    post(api, need_body(), key="a")
    post(api, need_body(title="b"), key="b")
    IdempotencyKey.objects.filter(key="a").update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert task.apply().get() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["b"]


# --- reading one's submissions ----------------------------------------------------------------


def test_client_reads_its_own_submission_and_not_others(api, site_pages, make_user):
    from content_types.vocabularies.models import Country

    created = post(api, need_body()).json()
    response = api.get(f"/api/v1/submissions/{created['id']}/")
    assert response.status_code == 200
    assert response.json() == created
    _other, token = issue(
        "Kenya", make_user("ke-service", roles.SUBMITTER), scope_country=Country.objects.get(code="KE")
    )
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = other.get(f"/api/v1/submissions/{created['id']}/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert APIClient().get(f"/api/v1/submissions/{created['id']}/").status_code == 401


def test_a_workspace_submission_is_not_readable_by_a_client(api, site_pages, submitter):
    from tests.workflows.helpers import new_need

    submission = new_need(submitter)
    assert api.get(f"/api/v1/submissions/{submission.pk}/").status_code == 404


# --- throttling -------------------------------------------------------------------------------


def test_each_client_is_throttled_on_its_own(api, settings, site_pages, make_user):
    from django.core.cache import cache

    from content_types.vocabularies.models import Country

    cache.clear()
    settings.API_PUSH_RATE = "2/minute"
    assert api.get("/api/v1/submissions/999999/").status_code == 404
    assert api.get("/api/v1/submissions/999999/").status_code == 404
    throttled = api.get("/api/v1/submissions/999999/")
    assert throttled.status_code == 429
    assert throttled["Content-Type"] == PROBLEM
    _other, token = issue(
        "Kenya", make_user("ke-service", roles.SUBMITTER), scope_country=Country.objects.get(code="KE")
    )
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert other.get("/api/v1/submissions/999999/").status_code == 404
    cache.clear()


def test_api_client_needs_exactly_one_scope(site_pages, service_user):
    from django.core.exceptions import ValidationError

    client = ApiClient(name="Nowhere", acting_user=service_user)
    with pytest.raises(ValidationError):
        client.clean()


def test_national_editors_of_the_clients_country_screen_it_and_no_others(api, make_user):
    from content_types.vocabularies.models import Country

    def national_editor(username, code):
        user = make_user(username, roles.EDITOR)
        user.profile.country = Country.objects.get(code=code)
        user.profile.save()
        return user

    post(api, need_body(title="Wetland restoration advice"))
    french, kenyan = national_editor("editor-fr", "FR"), national_editor("editor-ke", "KE")
    seen_by_french = _signed_in(french).get(reverse("workspace:tasks")).content.decode()
    seen_by_kenyan = _signed_in(kenyan).get(reverse("workspace:tasks")).content.decode()
    assert "Wetland restoration advice" in seen_by_french
    assert "Wetland restoration advice" not in seen_by_kenyan


def test_reading_a_submission_costs_a_fixed_number_of_queries(api, django_assert_num_queries):
    created = post(api, need_body()).json()
    with django_assert_num_queries(2):  # the client by its token's hash, the submission with its page
        assert api.get(f"/api/v1/submissions/{created['id']}/").status_code == 200


def _signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser
