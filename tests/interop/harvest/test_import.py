"""The import stage on its own: records as a peer's API describes them (the i10 contract) → local copies."""

import pytest
from wagtail.models import Page

from content_types.records.models import NeedPage, RecordPage
from interop.harvest.importer import ImportRefused, clean_html, import_record, withdraw_record
from interop.harvest.models import HarvestedRecord, HarvestSource
from tests.records.factories import NeedFactory

LANGUAGES = ["ar", "en", "es", "fr", "ru", "zh-hans"]
IDENTIFIER = "CHM-NEED-FR-2026-0042"


def detail(language="en", text_language=None, title="Training on species modelling", modified="2026-11-01T10:00:00Z"):
    text_language = text_language or "en"
    return {
        "identifier": IDENTIFIER,
        "type": "need",
        "url": f"https://peer.example.org/en/records/{IDENTIFIER.lower()}/",
        "language": "en",
        "text_language": text_language,
        "title": title if text_language == "en" else f"[{text_language}] {title}",
        "summary": "A need for training.",
        "body_html": (
            '<div class="block"><p>Body <script>alert(1)</script><a href="javascript:x()" onclick="y">x</a></p></div>'
        ),
        "translations": {code: f"https://peer.example.org/{code}/records/x/" for code in LANGUAGES},
        "countries": ["FR"],
        "regions": [],
        "targets": ["GBF-T3"],
        "subjects": [],
        "languages": ["en"],
        "licence": "CC-BY-4.0",
        "fields": {
            "needed": "<p>Modelling <b>help</b></p>",
            "support_kind": "training",
            "urgency": "high",
            "status": "open",
        },
        "attachments": [],
        "provenance": None,
        "first_published_at": "2026-10-01T09:00:00Z",
        "modified": modified,
    }


def details(title="Training on species modelling", modified="2026-11-01T10:00:00Z"):
    found = {"en": detail(title=title, modified=modified)}
    for code in LANGUAGES:
        if code != "en":
            found[code] = detail(code, text_language="fr" if code == "fr" else "en", title=title, modified=modified)
    return found


@pytest.fixture
def source(db):
    return HarvestSource.objects.create(name="Peer portal", base_url="https://peer.example.org")


@pytest.fixture
def other_source(db):
    return HarvestSource.objects.create(name="Other portal", base_url="https://other.example.org")


def group(page) -> dict:
    return {
        p.locale.language_code: p
        for p in Page.objects.filter(translation_key=page.translation_key).select_related("locale")
    }


def test_a_new_record_lands_in_six_languages_with_provenance(source, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome, page = import_record(source, details())
    assert outcome == "added"
    page = NeedPage.objects.get(pk=page.pk)
    assert page.live and page.locale.language_code == "en"
    assert page.identifier == IDENTIFIER and page.source_portal == "Peer portal"
    assert page.source_url == detail()["url"] and page.harvested_at is not None
    assert page.support_kind == "training" and [c.code for c in page.countries.all()] == ["FR"]
    assert [t.code for t in page.gbf_targets.all()] == ["GBF-T3"]
    versions = group(page)
    assert sorted(versions) == sorted(LANGUAGES)
    assert all(version.live for version in versions.values())
    french = versions["fr"]
    assert french.alias_of_id is None and french.title.startswith("[fr]")
    assert french.specific.source_portal == "Peer portal"
    assert versions["es"].alias_of_id == page.pk
    assert HarvestedRecord.objects.get(remote_identifier=IDENTIFIER).page_id == page.pk


def test_the_peers_html_is_cleaned():
    cleaned = clean_html(detail()["body_html"])
    assert (
        "script" not in cleaned and "javascript" not in cleaned and "onclick" not in cleaned and "<div" not in cleaned
    )
    assert "<p>Body" in cleaned


def test_same_modified_is_unchanged_and_a_newer_one_updates(source, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _, page = import_record(source, details())
        assert import_record(source, details())[0] == "unchanged"
        outcome, again = import_record(source, details(title="Renamed need", modified="2026-11-02T10:00:00Z"))
    assert outcome == "updated" and again.pk == page.pk
    assert RecordPage.objects.get(pk=page.pk).title == "Renamed need"
    assert group(page)["fr"].title == "[fr] Renamed need"
    assert RecordPage.objects.filter(identifier=IDENTIFIER, locale__language_code="en").count() == 1


def test_a_local_record_is_never_overwritten(source, django_capture_on_commit_callbacks):
    local = NeedFactory(identifier=IDENTIFIER, title="Our own need")
    with pytest.raises(ImportRefused, match="already has the identifier"):
        import_record(source, details())
    local.refresh_from_db()
    assert local.title == "Our own need" and local.source_portal == ""


def test_an_identifier_from_two_sources_is_refused_not_duplicated(
    source, other_source, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_record(source, details())
    with pytest.raises(ImportRefused, match="already harvested from Peer portal"):
        import_record(other_source, details(modified="2026-11-03T00:00:00Z"))
    assert (
        RecordPage.objects.filter(identifier=IDENTIFIER, alias_of__isnull=True, locale__language_code="en").count() == 1
    )


def test_an_invalid_record_is_refused_with_its_fields(source):
    broken = details()
    for value in broken.values():
        value["fields"]["support_kind"] = "bribery"
    with pytest.raises(ImportRefused, match="support_kind"):
        import_record(source, broken)
    assert not RecordPage.objects.filter(identifier=IDENTIFIER).exists()


def test_a_deletion_withdraws_every_language(source, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _, page = import_record(source, details())
        outcome, _ = withdraw_record(source, IDENTIFIER)
    assert outcome == "withdrawn"
    assert not any(version.live for version in Page.objects.filter(translation_key=page.translation_key))
    assert withdraw_record(source, IDENTIFIER)[0] == "unchanged"


def test_a_harvested_copy_is_locked_in_the_admin(source, administrator, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _, page = import_record(source, details())
    client.force_login(administrator)
    assert "Harvested from Peer portal" in client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    response = client.post(f"/admin/pages/{page.pk}/edit/", {"title": "Changed here", "slug": page.slug}, follow=True)
    assert "read-only here" in response.content.decode()
    assert RecordPage.objects.get(pk=page.pk).title == "Training on species modelling"
