"""GET /api/v1/records/ and /api/v1/records/<identifier>/: what a visitor may see, and nothing else."""

import pytest
from wagtail.models import Locale

from tests.records.factories import (
    ExpertProfileFactory,
    NeedFactory,
    OfferFactory,
    OrganisationFactory,
    country,
    target,
)

pytestmark = pytest.mark.django_db


def test_a_published_record_in_full(client, site_pages, publish):
    need = publish(
        NeedFactory(title="Invasive species early warning", countries=[country("FR")], gbf_targets=[target(3)])
    )

    response = client.get("/api/v1/records/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    [item] = response.json()["results"]
    assert item["identifier"] == need.identifier
    assert item["type"] == "need"
    assert item["url"] == need.get_full_url()
    assert item["language"] == "en" and item["text_language"] == "en"
    assert item["title"] == "Invasive species early warning"
    assert item["countries"] == ["FR"] and item["targets"] == ["GBF-T3"]
    assert item["fields"]["support_kind"] == "training"
    assert item["fields"]["urgency"] == "high"
    assert "Training on species distribution" in item["fields"]["needed"]
    assert item["licence"] == "CC-BY-4.0"
    assert item["provenance"] is None
    assert item["modified"].endswith("Z")
    assert set(item["translations"]) >= {"en"}
    assert response.json()["next"] is None


def test_detail_by_identifier(client, site_pages, publish):
    need = publish(NeedFactory())

    response = client.get(f"/api/v1/records/{need.identifier}/")

    assert response.status_code == 200
    assert response.json()["identifier"] == need.identifier


def test_unknown_identifier_is_a_404_problem(client, site_pages):
    response = client.get("/api/v1/records/CHM-NEED-FR-2026-9999/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_drafts_unpublished_and_private_pages_are_not_served(client, site_pages, publish):
    from wagtail.models import PageViewRestriction

    draft = NeedFactory(live=False)
    gone = publish(NeedFactory())
    gone.unpublish()
    private = publish(NeedFactory())
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    shown = publish(NeedFactory())

    identifiers = [item["identifier"] for item in client.get("/api/v1/records/").json()["results"]]

    assert identifiers == [shown.identifier]
    for page in (draft, gone, private):
        assert client.get(f"/api/v1/records/{page.identifier}/").status_code == 404


def test_experts_contact_details_are_never_served(client, site_pages, publish, make_user):
    expert = publish(ExpertProfileFactory(email="ana@example.org", phone="+221 33 123 45 67"))
    client.force_login(make_user("member"))  # members see contact details on the page; the API is public

    response = client.get(f"/api/v1/records/{expert.identifier}/")

    assert response.status_code == 200
    fields = response.json()["fields"]
    assert fields["position"] == "Senior ecologist"
    assert fields["country"] == "SN"
    assert "email" not in fields and "phone" not in fields
    assert "ana@example.org" not in response.content.decode()
    assert "123 45 67" not in response.content.decode()


def test_foreign_keys_are_codes_and_identifiers(client, site_pages, publish):
    organisation = publish(OrganisationFactory())

    fields = client.get(f"/api/v1/records/{organisation.identifier}/").json()["fields"]

    assert fields["country"] == "KE"
    assert fields["latitude"] == "-1.292100"
    assert fields["website"] == "https://institute.example.org/"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=need", {"need-fr"}),
        ("type=offer", {"offer-ke"}),
        ("type=need&type=offer", {"need-fr", "offer-ke"}),
        ("country=FR", {"need-fr"}),
        ("country=fr", {"need-fr"}),
        ("country=KE", {"offer-ke"}),
        ("target=GBF-T3", {"need-fr"}),
        ("region=150", {"need-fr"}),  # Europe: France's region
        ("region=002", {"offer-ke"}),  # Africa
        ("q=early+warning", {"need-fr"}),
    ],
)
def test_filters(client, site_pages, publish, query, expected):
    pages = {
        "need-fr": publish(NeedFactory(title="Early warning", countries=[country("FR")], gbf_targets=[target(3)])),
        "offer-ke": publish(OfferFactory(title="Training", countries=[country("KE")], gbf_targets=[target(6)])),
    }
    by_identifier = {page.identifier: name for name, page in pages.items()}

    response = client.get(f"/api/v1/records/?{query}")

    assert response.status_code == 200, response.json()
    assert {by_identifier[item["identifier"]] for item in response.json()["results"]} == expected


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("type=unicorn", "type"),
        ("country=FRA", "country"),
        ("target=T3", "target"),
        ("region=europe", "region"),
        ("modified_since=yesterday", "modified_since"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("cursor=garbage", "cursor"),
        ("lang=xx", "lang"),
    ],
)
def test_bad_parameters_are_400_problems(client, site_pages, query, parameter):
    response = client.get(f"/api/v1/records/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert parameter in response.json()["errors"]


def test_an_unknown_code_matches_nothing_and_says_so(client, site_pages, publish):
    publish(NeedFactory(countries=[country("FR")]))

    response = client.get("/api/v1/records/?country=XX&country=FR")
    nothing = client.get("/api/v1/records/?target=GBF-T99")

    assert response.status_code == 200 and len(response.json()["results"]) == 1
    assert response.json()["warnings"] == ["“XX” is not a known country code; it matches nothing."]
    assert nothing.json()["results"] == [] and len(nothing.json()["warnings"]) == 1


def test_modified_since(client, site_pages, publish):
    from datetime import timedelta

    from wagtail.models import Page

    old = publish(NeedFactory())
    Page.objects.filter(pk=old.pk).update(last_published_at=old.last_published_at - timedelta(days=10))
    new = publish(NeedFactory())
    since = (new.last_published_at - timedelta(days=1)).isoformat()

    response = client.get("/api/v1/records/", {"modified_since": since})

    assert [item["identifier"] for item in response.json()["results"]] == [new.identifier]


def test_cursor_pages_are_stable_under_inserts(client, site_pages, publish):
    first = [publish(NeedFactory()) for _ in range(5)]

    page1 = client.get("/api/v1/records/?page_size=2").json()
    publish(NeedFactory())  # published while the client walks the pages: it comes last
    seen = [item["identifier"] for item in page1["results"]]
    next_url = page1["next"]
    while next_url:
        page = client.get(next_url).json()
        seen += [item["identifier"] for item in page["results"]]
        next_url = page["next"]

    assert seen[:5] == [page.identifier for page in first]
    assert len(seen) == 6 and len(set(seen)) == 6


def test_text_in_the_language_asked_for_with_every_address(client, site_pages, publish):
    need = publish(NeedFactory(title="Training need"))
    french = need.copy_for_translation(Locale.objects.get(language_code="fr"), copy_parents=True)
    french.title = "Besoin de formation"
    french.save()
    publish(french)

    english = client.get(f"/api/v1/records/{need.identifier}/").json()
    in_french = client.get(f"/api/v1/records/{need.identifier}/?language=fr").json()
    by_header = client.get(f"/api/v1/records/{need.identifier}/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9").json()
    spanish = client.get(f"/api/v1/records/{need.identifier}/?language=es").json()

    assert english["title"] == "Training need" and english["text_language"] == "en"
    assert in_french["title"] == "Besoin de formation" and in_french["text_language"] == "fr"
    assert in_french["url"] == english["url"]  # the canonical address is the original's
    assert by_header["title"] == "Besoin de formation"
    assert spanish["title"] == "Training need" and spanish["text_language"] == "en"
    assert in_french["translations"]["fr"].startswith("http://127.0.0.1:8000/fr/")
    # one item per record, not one per language
    assert len(client.get("/api/v1/records/").json()["results"]) == 1


def test_attachments_only_public_documents(client, site_pages, publish):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    from content_types.records.models import RecordAttachment

    Document = get_document_model()
    root = Collection.get_first_root_node()
    private = root.add_child(name="Internal")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    public_doc = Document.objects.create(title="Report", file=ContentFile(b"%PDF-1.4", name="report.pdf"))
    private_doc = Document.objects.create(
        title="Internal notes", file=ContentFile(b"%PDF-1.4", name="notes.pdf"), collection=private
    )
    need = NeedFactory()
    need.attachments = [RecordAttachment(document=public_doc), RecordAttachment(document=private_doc)]
    need = publish(need)

    attachments = client.get(f"/api/v1/records/{need.identifier}/").json()["attachments"]

    assert [(item["title"], item["content_type"]) for item in attachments] == [("Report", "application/pdf")]
    assert "/documents/" in attachments[0]["url"]


def test_provenance_of_a_harvested_record(client, site_pages, publish):
    from django.utils import timezone

    need = publish(
        NeedFactory(
            source_portal="National CHM of France",
            source_url="https://chm.example.fr/en/records/need-1/",
            harvested_at=timezone.now(),
        )
    )

    provenance = client.get(f"/api/v1/records/{need.identifier}/").json()["provenance"]

    assert provenance["source_portal"] == "National CHM of France"
    assert provenance["original_url"] == "https://chm.example.fr/en/records/need-1/"
    assert provenance["original_identifier"] == need.identifier


@pytest.mark.parametrize("count", [5, 40])
def test_query_count_does_not_grow_with_the_page(client, site_pages, publish, django_assert_max_num_queries, count):
    factories = [NeedFactory, OfferFactory, OrganisationFactory, ExpertProfileFactory]
    for index in range(count):
        publish(factories[index % len(factories)]())

    with django_assert_max_num_queries(30):
        response = client.get("/api/v1/records/?page_size=100")

    assert len(response.json()["results"]) == count


def test_the_filtered_list_costs_the_same_queries_for_10_and_100_items(client, site_pages, publish):
    """Cold (every item built) and warm (items from the cache kept under the content version)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = "/api/v1/records/?country=FR&target=GBF-T3&page_size=100"
    counts = {}
    published = 0
    for total in (10, 100):
        for _ in range(total - published):
            publish(NeedFactory(countries=[country("FR")], gbf_targets=[target(3)]))
        published = total
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            response = client.get(url)
        assert len(response.json()["results"]) == total
        with CaptureQueriesContext(connection) as warm:
            again = client.get(url)
        assert again.json() == response.json()
        counts[total] = (len(cold), len(warm))

    assert counts[10] == counts[100]
    cold_queries, warm_queries = counts[100]
    assert warm_queries < cold_queries


def test_a_cached_item_is_not_served_after_a_change(client, site_pages, publish):
    need = publish(NeedFactory(title="Before the change"))
    assert client.get("/api/v1/records/").json()["results"][0]["title"] == "Before the change"
    assert client.get(f"/api/v1/records/{need.identifier}/").json()["title"] == "Before the change"

    need.title = "After the change"
    publish(need)

    assert client.get("/api/v1/records/").json()["results"][0]["title"] == "After the change"
    assert client.get(f"/api/v1/records/{need.identifier}/").json()["title"] == "After the change"


def test_addresses_without_reversing_are_wagtails_own(rf, site_pages, publish, translate_to):
    from wagtail.models import Page

    from interop.api.selectors import PageAddresses

    need = publish(NeedFactory(title="Besoin", slug="besoin-été-ü"))
    publish(NeedFactory(title="Second", slug="second-need"))
    translate_to(need, "fr", title="Besoin en français")
    translate_to(need, "ar", alias=True)
    request = rf.get("/api/v1/records/")
    pages = list(Page.objects.live().order_by("path"))
    addresses = PageAddresses(request)

    assert len(pages) > 10
    assert [addresses(page) for page in pages] == [page.get_full_url(request) for page in pages]
