"""/api/v1/awards/: published results only (winners per category, prizes, criteria, jury), per language."""

import uuid

import pytest

from content_types.awards.models import AwardResult
from tests.awards.factories import make_cycle, make_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def awards(site_pages):
    return site_pages["awards"]


def test_published_results_with_winners_prizes_criteria_and_jury(client, awards):
    cycle = make_cycle(awards, offset_days=-200)
    make_result(cycle, published=True)

    listing = client.get("/api/v1/awards/")
    assert listing.status_code == 200
    (item,) = listing.json()["results"]
    assert item["identifier"] == str(cycle.translation_key)
    detail = client.get(f"/api/v1/awards/{item['identifier']}/")
    assert detail.status_code == 200
    data = detail.json()
    assert data == item
    assert data["title"] == "CHM Award 2024"
    assert data["meeting"] == "COP-17"
    assert data["results_url"].endswith(cycle.url + "results/")
    existing, new = data["categories"]
    assert existing["name"] == "Existing national CHMs"
    assert existing["prizes"] == {"gold": 1, "silver": 1, "bronze": 1, "certificate": 2}
    assert [(w["country"], w["prize"], w["rank"]) for w in existing["winners"]] == [
        ("FR", "gold", 1),
        ("BR", "silver", 2),
    ]
    assert existing["winners"][0]["country_name"] == "France"
    assert existing["winners"][0]["total"] == "12.500"
    assert [(w["country"], w["prize"]) for w in new["winners"]] == [("JP", "gold")]
    assert [(c["name"], c["weight"], c["in_total"]) for c in data["criteria"]] == [
        ("Content", "2.00", True),
        ("Usability", "1.00", True),
        ("Virtual visit", "1.00", False),
    ]
    assert [(j["name"], j["country"], j["chair"]) for j in data["jury"]] == [
        ("Ingrid Larsen", "NO", True),
        ("Mei Chen", "CN", False),
        ("Ana Souza", "BR", False),
    ]
    assert data["justification"] == "The jury was impressed by the content."


def test_no_individual_scores_nor_committee_work_in_the_answer(client, awards):
    cycle = make_cycle(awards, offset_days=-200)
    make_result(cycle, published=True)

    text = client.get(f"/api/v1/awards/{cycle.translation_key}/").content.decode()

    for private in ('"mean', '"score', '"scores', "member", 'nomination"', "conflict", "assessment", "feedback"):
        assert private not in text


def test_unpublished_results_are_not_found(client, awards):
    hidden = make_cycle(awards, slug="hidden", offset_days=-200)
    make_result(hidden, published=False)
    without_results = make_cycle(awards, slug="no-results", offset_days=-200)

    assert client.get("/api/v1/awards/").json()["results"] == []
    for cycle in (hidden, without_results):
        response = client.get(f"/api/v1/awards/{cycle.translation_key}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"

    AwardResult.objects.get(cycle=hidden).publish()
    assert client.get(f"/api/v1/awards/{hidden.translation_key}/").status_code == 200


def test_an_unpublished_cycle_page_hides_its_published_results(client, awards):
    cycle = make_cycle(awards, offset_days=-200)
    make_result(cycle, published=True)
    cycle.unpublish()

    assert client.get(f"/api/v1/awards/{cycle.translation_key}/").status_code == 404
    assert client.get("/api/v1/awards/").json()["results"] == []


def test_bad_identifiers_and_languages_are_clear_errors(client, awards):
    assert client.get("/api/v1/awards/not-a-uuid/").status_code == 404
    assert client.get(f"/api/v1/awards/{uuid.uuid4()}/").status_code == 404
    response = client.get("/api/v1/awards/?lang=xx")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/awards/?page_size=0").status_code == 400
    assert client.get("/api/v1/awards/?cursor=nonsense").status_code == 400


def test_names_in_the_language_asked_for(client, awards, translate_to):
    cycle = make_cycle(awards, offset_days=-200)
    make_result(cycle, published=True)
    french = translate_to(cycle, "fr", title="Prix CHM 2024")
    category = french.categories.first()
    category.name = "CHM nationaux existants"
    category.save()

    data = client.get(f"/api/v1/awards/{cycle.translation_key}/?lang=fr").json()
    english = client.get(f"/api/v1/awards/{cycle.translation_key}/", HTTP_ACCEPT_LANGUAGE="en").json()
    spanish = client.get(f"/api/v1/awards/{cycle.translation_key}/?lang=es").json()

    assert (data["title"], data["text_language"], data["language"]) == ("Prix CHM 2024", "fr", "en")
    assert data["categories"][0]["name"] == "CHM nationaux existants"
    assert data["categories"][0]["winners"][0]["country"] == "FR"
    assert data["results_url"].endswith(french.url + "results/")
    assert set(data["translations"]) >= {"en", "fr"}
    assert english["categories"][0]["name"] == "Existing national CHMs"
    # No Spanish translation: the original's names, said to be English; country names in Spanish.
    assert (spanish["title"], spanish["text_language"]) == ("CHM Award 2024", "en")
    assert spanish["categories"][0]["winners"][0]["country_name"] == "Francia"


def test_cursor_pages_and_conditional_get(client, awards):
    for number in range(3):
        make_result(make_cycle(awards, slug=f"cycle-{number}", offset_days=-200), published=True)

    first = client.get("/api/v1/awards/?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    identifiers = [item["identifier"] for item in first["results"] + second["results"]]
    assert len(set(identifiers)) == 3

    response = client.get("/api/v1/awards/")
    again = client.get("/api/v1/awards/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get("/api/v1/awards/", HTTP_ACCEPT="text/csv").status_code == 406


def test_the_list_costs_the_same_queries_for_more_cycles_and_entries(client, awards, django_assert_max_num_queries):
    make_result(make_cycle(awards, slug="one", offset_days=-200), published=True, entries=[("FR", 0, "gold")])
    client.get("/api/v1/awards/")
    with django_assert_max_num_queries(40) as few:
        assert client.get("/api/v1/awards/").status_code == 200
    for number in range(3):
        make_result(make_cycle(awards, slug=f"more-{number}", offset_days=-200), published=True)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/awards/").json()["results"]) == 4


def test_json_ld_by_content_negotiation(client, awards):
    cycle = make_cycle(awards, offset_days=-200)
    make_result(cycle, published=True)

    listing = client.get("/api/v1/awards/", HTTP_ACCEPT="application/ld+json")
    assert listing.status_code == 200
    assert listing["Content-Type"].startswith("application/ld+json")
    assert "Accept" in listing["Vary"]
    body = listing.json()
    assert body["@context"] == "https://schema.org" and body["next"] is None
    (node,) = body["@graph"]
    assert node["@type"] == "Event"
    assert node["identifier"] == str(cycle.translation_key)
    assert node["name"] == "CHM Award 2024"
    assert node["superEvent"] == {"@type": "Event", "name": "COP-17"}
    assert node["subjectOf"]["url"].endswith(cycle.url + "results/")
    winners = {(winner["address"]["addressCountry"], winner["award"]) for winner in node["about"]}
    assert ("FR", "Existing national CHMs: Gold") in winners and len(winners) == 3
    assert [member["name"] for member in node["contributor"]][0] == "Ingrid Larsen"

    detail = client.get(f"/api/v1/awards/{cycle.translation_key}/", HTTP_ACCEPT="application/ld+json")
    assert detail.status_code == 200
    assert detail.json() == {"@context": "https://schema.org", **node}
    as_json = client.get(f"/api/v1/awards/{cycle.translation_key}/")
    assert as_json["Content-Type"] == "application/json" and as_json["ETag"] != detail["ETag"]
    for private in ('"mean', '"score', "conflict", "assessment"):
        assert private not in detail.content.decode()


def test_json_ld_of_unpublished_results_is_not_found(client, awards):
    cycle = make_cycle(awards, offset_days=-200)
    make_result(cycle, published=False)

    response = client.get(f"/api/v1/awards/{cycle.translation_key}/", HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 404
    assert client.get("/api/v1/awards/", HTTP_ACCEPT="application/ld+json").json()["@graph"] == []
