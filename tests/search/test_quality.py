"""The database backend on PostgreSQL finds what a newcomer looks for: stemming per language,
titles before bodies, identifiers and GBF codes exactly, Arabic and Chinese."""

import pytest

from tests.records.factories import ExpertProfileFactory, NeedFactory, OfferFactory, country, target

from .conftest import titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(site_pages):
    return site_pages["records"]


def test_french_plural_finds_singular(index, publish, translate):
    need = publish(NeedFactory(title="Lutte contre une espèce envahissante", summary="Un besoin de formation."))
    translate(need, "fr", title="Lutte contre une espèce envahissante au lac")
    publish(NeedFactory(title="Gestion des zones humides", summary="Rien à voir."))

    results = titles(_search_fr("espèces envahissantes"))

    assert results == ["Lutte contre une espèce envahissante au lac"]


def _search_fr(text):
    from search.service import SearchQuery, SearchService

    return SearchService().search(SearchQuery(text=text, language="fr"))


def test_english_stemming_finds_other_forms(index, publish, search):
    publish(NeedFactory(title="Restoring degraded wetlands", summary="Peatland restoration in the north."))

    assert titles(search("wetland restoration")) == ["Restoring degraded wetlands"]
    assert titles(search("restored wetland")) == ["Restoring degraded wetlands"]


def test_a_title_match_ranks_above_a_body_match(index, publish, search):
    body_only = "<p>" + " ".join(["Mangrove mangroves mangrove ecosystems."] * 20) + "</p>"
    publish(NeedFactory(title="Coastal monitoring equipment", summary="Sensors and boats.", needed=body_only))
    publish(NeedFactory(title="Mangrove nursery", summary="Seedlings for the coast."))

    assert titles(search("mangrove")) == ["Mangrove nursery", "Coastal monitoring equipment"]


def test_an_identifier_finds_its_record_exactly(index, publish, search):
    wanted = publish(NeedFactory(title="Seed bank support", identifier="CHM-NEED-FR-2026-0001"))
    publish(NeedFactory(title="Another need", identifier="CHM-NEED-FR-2026-0002"))
    publish(NeedFactory(title="A need citing CHM-NEED-FR-2026-0001 in its summary", identifier="CHM-NEED-FR-2026-0003"))

    results = search("CHM-NEED-FR-2026-0001")

    assert results.hits[0].page_id == wanted.pk
    assert results.hits[0].identifier == "CHM-NEED-FR-2026-0001"
    assert "Another need" not in titles(results)
    assert titles(search("chm-need-fr-2026-0001"))[0] == "Seed bank support"  # case does not matter


def test_a_gbf_code_finds_the_records_of_that_target(index, publish, search):
    publish(NeedFactory(title="Protected areas plan", gbf_targets=[target(3)]))
    publish(NeedFactory(title="Pollution reduction plan", gbf_targets=[target(7)]))

    results = search("GBF-T3")

    assert titles(results) == ["Protected areas plan"]


def test_vocabulary_names_are_searchable_in_the_visitor_language(index, publish, search):
    publish(NeedFactory(title="Coral reef survey", countries=[country("FJ")], gbf_targets=[]))

    assert titles(search("Fiji")) == ["Coral reef survey"]
    assert titles(search("Fidji", language="fr")) == ["Coral reef survey"]  # an English alias, French country name


def test_arabic_query_finds_arabic_text(index, publish, translate):
    need = publish(NeedFactory(title="Invasive alien species on islands", summary="Eradication on islands."))
    translate(need, "ar", title="مكافحة الأنواع الغريبة الغازية في الجزر", summary="القضاء على الأنواع الغازية.")

    from search.service import SearchQuery, SearchService

    results = SearchService().search(SearchQuery(text="الأنواع الغازية", language="ar"))

    assert titles(results) == ["مكافحة الأنواع الغريبة الغازية في الجزر"]
    assert "<mark>" in str(results.hits[0].title)
    assert results.hits[0].language == "ar"
    assert not results.hits[0].is_fallback


def test_chinese_words_inside_a_sentence_are_found(index, publish, translate):
    need = publish(NeedFactory(title="Biodiversity monitoring network", summary="A network."))
    translate(need, "zh-hans", title="生物多样性监测网络", summary="建立国家生物多样性监测网络。")

    from search.service import SearchQuery, SearchService

    results = SearchService().search(SearchQuery(text="多样性", language="zh-hans"))

    assert titles(results) == ["生物多样性监测网络"]
    assert "<mark>多样性</mark>" in str(results.hits[0].title)


def test_results_in_the_visitor_language_fall_back_to_the_original(index, publish, translate, search):
    translated = publish(OfferFactory(title="Taxonomy training offer", summary="Training for taxonomists."))
    translate(translated, "fr", title="Offre de formation en taxonomie", summary="Formation des taxonomistes.")
    aliased = publish(OfferFactory(title="Taxonomy field guide offer", summary="Guides for taxonomists."))
    alias = translate(aliased, "fr", alias=True)
    alone = publish(OfferFactory(title="Taxonomy mentoring offer", summary="Mentors for taxonomists."))

    french = {hit.plain_title: hit for hit in search("taxonomy", language="fr").hits}

    assert "Offre de formation en taxonomie" in titles(search("taxonomie", language="fr"))
    assert "Taxonomy training offer" not in french  # its French version stands for it
    assert french["Taxonomy field guide offer"].url == alias.url  # the alias, at its French address
    assert french["Taxonomy field guide offer"].is_fallback
    assert french["Taxonomy field guide offer"].language == "en"
    assert french["Taxonomy mentoring offer"].url == alone.url  # no French page at all: the original
    assert french["Taxonomy mentoring offer"].is_fallback


def test_a_record_counts_once_per_language(index, publish, translate, search):
    offer = publish(OfferFactory(title="Herbarium digitisation offer"))
    for language in ("fr", "es", "ar", "ru"):
        translate(offer, language, alias=True)
    translate(offer, "zh-hans", title="标本馆数字化")

    for language in ("en", "fr", "es", "ar", "ru"):
        assert search("herbarium digitisation", language=language).total == 1
    assert search("数字化", language="zh-hans").total == 1
    assert search("herbarium", language="zh-hans").total == 0  # the Chinese version stands for it


def _locale(code):
    from wagtail.models import Locale

    return Locale.objects.get(language_code=code)


def test_matches_are_highlighted_and_everything_else_escaped(index, publish, search):
    publish(
        ExpertProfileFactory(
            title="Expert in <script>alert(1)</script> marine planning",
            summary="Marine spatial planning & <b>bold</b> claims.",
        )
    )

    hit = search("marine planning").hits[0]

    for html in (str(hit.title), str(hit.snippet)):
        assert "<mark>" in html
        assert "<" not in html.replace("<mark>", "").replace("</mark>", "")
    assert "&lt;script&gt;" in str(hit.title)


def test_a_misspelt_word_gets_a_suggestion(index, publish, search):
    publish(NeedFactory(title="Biodiversity finance tracking"))

    results = search("biodiversty finance")

    assert results.total == 0
    assert results.spelling_suggestion == "biodiversity finance"
