"""Stored suggestions: bounded queries whatever the number of offers, refreshed on publish and
unpublish, read by a page in one query."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.models import CandidateKind, Suggestion
from cooperation.selectors import suggestions_for_page
from cooperation.suggestions import load_candidates, refresh_need
from search.service import SearchService
from tests.records.factories import country, target

from .conftest import language

pytestmark = pytest.mark.django_db


def offers(make_offer, count: int, start: int = 0) -> list:
    return [
        make_offer(
            title=f"Mangrove nursery support {start + number}",
            offer_kind="training",
            gbf_targets=[target(2)],
            languages=[language("fr")],
            slug=f"bulk-offer-{start + number}",
        )
        for number in range(count)
    ]


def queries_of_refresh(need) -> int:
    with CaptureQueriesContext(connection) as captured:
        refresh_need(need)
    return len(captured)


def test_refreshing_a_need_costs_the_same_queries_for_5_or_50_offers(make_need, make_offer, make_expert):
    need = make_need()
    make_expert()
    created = offers(make_offer, 5)
    SearchService().index_translation_keys([page.translation_key for page in [need, *created]])
    refresh_need(need)  # warms the per-process vocabularies
    with_five = queries_of_refresh(need)
    assert Suggestion.objects.filter(need=need, kind=CandidateKind.OFFER).count() == 5
    more = offers(make_offer, 45, start=5)
    SearchService().index_translation_keys([page.translation_key for page in more])
    refresh_need(need)  # new pages started a new content version: the vocabularies are read again once
    with_fifty = queries_of_refresh(need)
    assert with_fifty == with_five
    assert with_five <= 14
    assert Suggestion.objects.filter(need=need).count() == 10  # the best ten are kept


def test_loading_candidates_is_constant_in_queries(make_offer, make_expert):
    def queries() -> tuple[int, int]:
        load_candidates()  # reads the vocabularies once per content version (each new page starts one)
        with CaptureQueriesContext(connection) as captured:
            candidates = load_candidates()
        return len(captured), len(candidates)

    offers(make_offer, 3)
    make_expert()
    few = queries()
    offers(make_offer, 20, start=3)
    make_expert()
    many = queries()
    # Offers and experts, and the classification of each (the restricted pages come from the process's
    # copy, read with the vocabularies once per content version: cms/view_restrictions.py).
    assert few == (4, 4)
    assert many == (4, 25)


def test_publishing_an_offer_adds_it_to_the_open_needs_suggestions(make_need, make_offer, publish):
    need = publish(make_need())
    assert not Suggestion.objects.filter(need=need).exists()
    offer = make_offer(
        title="Mangrove restoration training",
        offer_kind="training",
        gbf_targets=[target(8)],
        countries=[country("SN")],
        live=False,
    )
    publish(offer)
    suggestion = Suggestion.objects.get(need=need, candidate=offer)
    codes = [reason["code"] for reason in suggestion.reasons]
    assert codes[:3] == ["targets", "kind", "country"]
    assert "text" in codes
    text = next(reason for reason in suggestion.reasons if reason["code"] == "text")
    assert "mangrove" in text["values"]


def test_unpublishing_removes_and_closing_a_need_clears_it(
    make_need, make_offer, publish, django_capture_on_commit_callbacks
):
    offer = make_offer(offer_kind="training", gbf_targets=[target(8)], countries=[country("SN")])
    need = publish(make_need())
    assert Suggestion.objects.filter(need=need, candidate=offer).exists()
    with django_capture_on_commit_callbacks(execute=True):
        offer.unpublish()
    assert not Suggestion.objects.filter(candidate=offer).exists()
    with django_capture_on_commit_callbacks(execute=True):
        offer.save_revision().publish()
    assert Suggestion.objects.filter(need=need, candidate=offer).exists()
    need.status = "closed"
    publish(need)
    assert not Suggestion.objects.filter(need=need).exists()


def test_an_offer_past_its_end_is_no_candidate(make_need, make_offer, publish):
    make_offer(
        offer_kind="training",
        gbf_targets=[target(8)],
        available_until=datetime.date(2020, 1, 1),
        available_from=datetime.date(2019, 1, 1),
    )
    need = publish(make_need())
    assert not Suggestion.objects.filter(need=need).exists()


def test_a_page_reads_its_suggestions_in_one_query(make_need, make_offer, make_expert, publish):
    offer = make_offer(offer_kind="training", gbf_targets=[target(8)], countries=[country("SN")])
    expert = make_expert(gbf_targets=[target(2)], country=country("FR"), countries=[country("FR")])
    need = publish(make_need())
    with CaptureQueriesContext(connection) as captured:
        shown = suggestions_for_page(need)
    assert len(captured) == 1
    assert [item.record.pk for item in shown] == [offer.pk, expert.pk]  # 3 + 4 + 3 before 3 + 4
    assert shown[0].score > shown[1].score
    assert str(shown[0].reasons[0]) == "Shares GBF target 8"
    with CaptureQueriesContext(connection) as captured:
        needs = suggestions_for_page(offer)
    assert len(captured) == 1
    assert [item.record.pk for item in needs] == [need.pk]


def test_the_command_recomputes_every_open_need(make_need, make_offer):
    from io import StringIO

    from django.core.management import call_command

    need = make_need()
    offer = make_offer(offer_kind="training", gbf_targets=[target(8)])
    SearchService().index_translation_keys([need.translation_key, offer.translation_key])
    output = StringIO()
    call_command("refresh_suggestions", "--no-progress", stdout=output)
    assert "for 1 open needs" in output.getvalue()
    assert Suggestion.objects.filter(need=need, candidate=offer).exists()


def test_a_translation_of_the_need_shows_the_familys_suggestions_marked_in_their_language(
    client, make_need, make_offer, publish, translate_to, make_user
):
    from cms.accounts import roles

    offer = make_offer(title="Mangrove nursery training", offer_kind="training", gbf_targets=[target(8)])
    need = publish(make_need())
    french = translate_to(need, "fr", title="Restauration des mangroves")
    assert [item.record.pk for item in suggestions_for_page(french)] == [offer.pk]
    client.force_login(make_user("member", roles.SUBMITTER))
    content = client.get(french.url).content.decode()
    assert 'lang="en" dir="ltr">Mangrove nursery training</a>' in content
