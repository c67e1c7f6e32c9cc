"""The public pages of award cycles: the cycle page (phases, call, categories, criteria), the results
page shown only once published, in English and in Arabic, and the cycles of the Awards section."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content_types.awards.models import AwardCyclePage, Phase
from tests.caching.test_purge import proxy  # noqa: F401 - a fixture

from .factories import make_cycle, make_result

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def texts(document, selector) -> list[str]:
    return [" ".join(node.get_text(" ", strip=True).split()) for node in document.select(selector)]


def test_the_cycle_page_shows_the_call_phases_categories_and_criteria(client, awards):
    cycle = make_cycle(awards)

    document = soup(client.get(cycle.url))

    assert document.select_one("h1").get_text() == "CHM Award 2024"
    assert document.select_one(".badge-phase")["data-phase"] == Phase.NOMINATION
    assert "Nominations are open until" in document.select_one("main").get_text()
    assert len(document.select(".award-phases li")) == 4
    assert (
        document.select_one('.award-phases li[aria-current="step"]').get_text().startswith("Call for nominations opens")
    )
    assert texts(document, ".award-category h3") == ["Existing national CHMs", "New national CHMs"]
    assert "For national CHMs established before" in document.select(".award-category")[0].get_text()
    assert texts(document, ".award-category")[0].count("Certificate of achievement × 2") == 1
    assert texts(document, ".award-criteria dt") == ["Content", "Usability", "Virtual visit"]
    assert "Shown apart: not counted in the total." in texts(document, ".award-criteria dd")[2]
    assert texts(document, ".award-criteria dd")[0].count("Content 5") == 1
    assert texts(document, ".questions .question-text")[0].startswith("When was the national CHM established?")
    assert "Parties nominate their national CHM" in document.get_text()


def test_results_are_hidden_until_published(client, awards):
    cycle = make_cycle(awards, offset_days=-200)  # every date is past: the cycle awaits its results
    make_result(cycle, published=False)

    document = soup(client.get(cycle.url))

    assert cycle.phase() == Phase.DECISION
    assert document.select_one(".award-results-link") is None
    page_text = document.get_text()
    for secret in ("France", "Brazil", "Japan", "Ingrid Larsen", "impressed", "12.50"):
        assert secret not in page_text
    assert not document.select(".award-winners, .award-jury, table, canvas")
    assert client.get(cycle.url + "results/").status_code == 404


def test_published_results_show_winners_scores_criteria_and_jury(client, awards):
    cycle = make_cycle(awards, offset_days=-200)
    make_result(cycle, published=True)

    document = soup(client.get(cycle.url))
    assert document.select_one(".badge-phase")["data-phase"] == Phase.PUBLISHED
    link = document.select_one(".award-results-link a")["href"]
    assert link == cycle.url + "results/"

    results = soup(client.get(link))

    existing, new = results.select(".award-winners")
    assert existing.select_one("h3").get_text() == "Existing national CHMs"
    assert texts(existing, "li") == [
        "Gold France — https://chm.example.org/fr/",
        "Silver Brazil — https://chm.example.org/br/",
    ]
    assert texts(new, "li") == ["Gold Japan — https://chm.example.org/jp/"]
    assert "impressed by the content" in results.select_one(".award-justification").get_text()
    assert texts(results, ".award-jury li") == [
        "Ingrid Larsen (Norway) — Chair",
        "Mei Chen (China)",
        "Ana Souza (Brazil)",
    ]
    assert texts(results, ".award-criteria dt") == ["Content", "Usability", "Virtual visit"]
    # The table alternative of the charts: one row per nomination, a column per criterion and the total.
    table = results.select_one("table.award-scores")
    assert texts(table, "thead th") == [
        "Nomination",
        "Category",
        "Content",
        "Usability",
        "Virtual visit (not in the total)",
        "Weighted total",
    ]
    assert texts(table, "tbody tr")[0] == "France Existing national CHMs 4.25 3.25 2.25 12.50"
    assert len(table.select("tbody tr")) == 3


def test_the_charts_read_their_data_from_json_and_no_script_is_inline(client, awards):
    cycle = make_cycle(awards, offset_days=-200)
    make_result(cycle, published=True)

    document = soup(client.get(cycle.url + "results/"))

    canvases = document.select("canvas[data-award-chart]")
    assert [canvas["data-award-chart"] for canvas in canvases] == ["totals", "criteria"]
    data = json.loads(document.select_one("script#award-chart-data").string)
    assert data["criteria"] == ["Content", "Usability", "Virtual visit"]
    assert data["nominations"][0] == {
        "label": "France",
        "category": "Existing national CHMs",
        "total": 12.5,
        "means": [4.25, 3.25, 2.25],
    }
    sources = [
        script.get("src", "") for script in document.select("script") if script.get("type") != "application/json"
    ]
    assert all(sources), "every script is a file"
    assert any(source.endswith("vendor/chartjs/chart.umd.min.js") for source in sources)
    assert any(source.endswith("js/award-charts.js") for source in sources)


def test_arabic_results_are_right_to_left_with_english_names_marked(client, awards, translate_to):
    cycle = make_cycle(awards, offset_days=-200)
    make_result(cycle, published=True)
    arabic = translate_to(cycle, "ar", alias=True)
    assert arabic.url.startswith("/ar/")

    page = soup(client.get(arabic.url))
    assert page.select_one("html")["dir"] == "rtl"
    assert page.select_one("h1")["lang"] == "en"

    document = soup(client.get(arabic.url + "results/"))

    assert document.select_one("html")["lang"] == "ar"
    assert document.select_one("html")["dir"] == "rtl"
    heading = document.select_one(".award-winners h3")
    assert (heading["lang"], heading["dir"]) == ("en", "ltr")
    assert heading.get_text() == "Existing national CHMs"
    criterion = document.select_one(".award-criteria dt")
    assert (criterion["lang"], criterion.get_text()) == ("en", "Content")
    justification = document.select_one(".award-justification")
    assert justification["lang"] == "en"
    # Country names are in Arabic, not marked; URLs and figures are isolated.
    france = document.select(".award-winner-list li")[0]
    assert "فرنسا" in france.get_text()
    assert france.select_one("a bdi").get_text() == "https://chm.example.org/fr/"


def test_a_translated_cycle_shows_its_own_names_and_the_shared_results(client, awards, translate_to):
    cycle = make_cycle(awards, offset_days=-200)
    make_result(cycle, published=True)
    french = translate_to(cycle, "fr", title="Prix CHM 2024")
    category = french.categories.first()
    category.name = "CHM nationaux existants"
    category.save()

    document = soup(client.get(french.url + "results/"))

    assert document.select_one(".award-winners h3").get_text() == "CHM nationaux existants"
    assert "France" in document.select(".award-winner-list li")[0].get_text()


def test_the_results_page_costs_the_same_queries_for_more_entries(client, awards, django_assert_max_num_queries):
    small = make_cycle(awards, slug="small", offset_days=-200)
    make_result(small, published=True, entries=[("FR", 0, "gold")])
    large = make_cycle(awards, slug="large", offset_days=-200)
    make_result(
        large,
        published=True,
        entries=[(code, index % 2, "") for index, code in enumerate(["FR", "BR", "JP", "KE", "IN", "MX", "DE", "EG"])],
    )
    # Warm both: the per-process caches (locales) and the shared page fragments, which every change retires.
    client.get(small.url + "results/")
    client.get(large.url + "results/")

    counts = []
    for cycle in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(cycle.url + "results/").status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1], counts


def test_the_phase_follows_the_dates(awards):
    cycle = make_cycle(awards)
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    assert cycle.phase(cycle.call_opens - day) == Phase.UPCOMING
    assert cycle.phase(cycle.call_opens) == Phase.NOMINATION
    assert cycle.phase(cycle.nomination_deadline) == Phase.NOMINATION
    assert cycle.phase(cycle.nomination_deadline + day) == Phase.EVALUATION
    assert cycle.phase(cycle.evaluation_deadline) == Phase.EVALUATION
    assert cycle.phase(cycle.evaluation_deadline + day) == Phase.DECISION
    assert cycle.phase(cycle.announcement + day) == Phase.DECISION
    assert not cycle.is_archived(today)
    assert cycle.is_archived(cycle.announcement + day)
    make_result(cycle, published=True)
    fresh = AwardCyclePage.objects.get(pk=cycle.pk)
    assert fresh.phase(cycle.call_opens) == Phase.PUBLISHED
    assert fresh.is_archived(today)


def test_category_eligibility(awards):
    existing, new = make_cycle(awards).categories.all()
    cutoff = datetime.date(2020, 1, 1)
    assert existing.admits(cutoff - datetime.timedelta(days=1)) and not existing.admits(cutoff)
    assert new.admits(cutoff) and not new.admits(cutoff - datetime.timedelta(days=1))
    assert not new.admits(None)
    assert [prize for prize, _label, _count in existing.prizes()] == ["gold", "silver", "bronze", "certificate"]
    assert [prize for prize, _label, _count in new.prizes()] == ["gold", "silver", "bronze"]


# --- the Awards section ------------------------------------------------------------------------------
def test_the_section_lists_current_cycles_and_an_archive(client, awards):
    make_cycle(awards, slug="open", title="CHM Award 2027")  # nominations open
    make_cycle(awards, slug="evaluation", title="CHM Award 2026", offset_days=-20)  # in evaluation
    past = make_cycle(awards, slug="past", title="CHM Award 2022", offset_days=-900)
    make_result(past, published=True)
    make_cycle(awards, slug="older", title="CHM Award 2020", offset_days=-1500)  # announced, never published
    draft = make_cycle(awards, slug="draft", title="Draft award")
    draft.unpublish()

    document = soup(client.get(awards.url))

    assert document.select_one("main .section-empty") is None
    assert texts(document, ".award-cycles-current .card-title") == ["CHM Award 2026", "CHM Award 2027"]
    assert texts(document, ".award-cycles-archive .card-title") == ["CHM Award 2022", "CHM Award 2020"]
    archive_cards = document.select(".award-cycles-archive .card")
    assert archive_cards[0].select_one('a[href$="/past/results/"]') is not None
    assert archive_cards[1].select_one('a[href$="results/"]') is None
    assert "Evaluation by the committee" in document.select(".award-cycles-current .card")[0].get_text()
    # Cycles are not listed a second time among the section's other pages.
    assert not document.select("main > ul.cards, main > .cards")


def test_the_section_keeps_its_message_until_a_cycle_is_live(client, awards):
    draft = make_cycle(awards, slug="draft")
    draft.unpublish()

    document = soup(client.get(awards.url))

    assert "No award cycle has been announced yet" in document.select_one("main .section-empty").get_text()
    assert not document.select(".award-cycles")


def test_the_section_listing_costs_the_same_queries_for_more_cycles(client, awards):
    make_cycle(awards, slug="one")
    client.get(awards.url)
    with CaptureQueriesContext(connection) as few:
        client.get(awards.url)
    for number in range(4):
        cycle = make_cycle(awards, slug=f"more-{number}", offset_days=-900 * (number % 2))
        if number % 2:
            make_result(cycle, published=True)
    client.get(awards.url)  # the new cycles retired the cached fragments: compare warm with warm
    with CaptureQueriesContext(connection) as many:
        document = soup(client.get(awards.url))
    assert len(document.select(".award-cycle-card")) == 5
    assert len(many) == len(few), (len(few), len(many))


def test_the_cycle_page_links_the_decision_it_reports_under(client, awards):
    from tests.records.factories import DecisionFactory

    decision = DecisionFactory(title="Clearing-house mechanism", meeting="COP-12", number="12/2")
    cycle = make_cycle(awards, decision=decision)

    document = soup(client.get(cycle.url))

    link = document.select_one(".metadata a")
    assert link.get_text() == "Clearing-house mechanism"
    assert link["href"] == decision.url
    decision.unpublish()
    assert soup(client.get(cycle.url)).select_one(".metadata a") is None


def test_user_text_is_escaped(client, awards):
    cycle = make_cycle(awards, meeting="<script>alert(1)</script>", offset_days=-200)
    category = cycle.categories.first()
    category.name = "<b>Existing</b>"
    category.save()
    result = make_result(cycle, published=True)
    result.justification = "<img src=x onerror=alert(1)>"
    result.save()

    for url in (cycle.url, cycle.url + "results/"):
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "<b>Existing</b>" not in body
        assert "<img src=x" not in body


def test_publishing_the_results_purges_the_cycle_in_every_language(
    awards,
    proxy,  # noqa: F811 - the fixture imported above
    django_capture_on_commit_callbacks,
):
    from cms.frontend_purge import page_tag, translation_tag

    with django_capture_on_commit_callbacks(execute=True):
        cycle = make_cycle(awards, offset_days=-200)
        result = make_result(cycle)
    proxy.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result.publish()

    assert len(proxy.requests) == 1
    tags = proxy.purged_tags()[0]
    # Every translation and alias of the cycle (its results route included) and the section listing it.
    assert {page_tag(cycle.pk), translation_tag(cycle.translation_key), translation_tag(awards.translation_key)} <= tags
