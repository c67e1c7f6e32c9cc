"""The awards demo: a past cycle with published results and an open cycle in evaluation."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale

from cms.demo.registry import DemoContext
from content_types.awards.demo import build_awards
from content_types.awards.models import AwardCyclePage, AwardEntry, AwardResult, Phase

pytestmark = pytest.mark.django_db


def quiet(iterable, *args, **kwargs):
    return iterable


def test_the_demo_has_a_published_past_cycle_and_an_open_one(client, site_pages, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        build_awards(DemoContext(progress=quiet))
    counts = (AwardCyclePage.objects.count(), AwardResult.objects.count(), AwardEntry.objects.count())
    build_awards(DemoContext(progress=quiet))  # idempotent
    assert (AwardCyclePage.objects.count(), AwardResult.objects.count(), AwardEntry.objects.count()) == counts

    past = AwardCyclePage.objects.get(slug="chm-award-2018", locale__language_code="en")
    current = AwardCyclePage.objects.get(slug="chm-award-open", locale__language_code="en")
    assert past.phase() == Phase.PUBLISHED
    assert current.phase() == Phase.EVALUATION
    result = past.published_result()
    assert result.jury.filter(is_chair=True).count() == 1
    entries = list(result.entries.select_related("category"))
    assert len(entries) == 9
    # Prizes follow the ranks in each category: gold to the first, and so on.
    for category in past.categories.all():
        ranked = sorted((entry for entry in entries if entry.category_id == category.pk), key=lambda entry: entry.rank)
        assert ranked[0].prize == "gold"
        assert [entry.total for entry in ranked] == sorted((entry.total for entry in ranked), reverse=True)
    # Each entry carries its mean on each of the four criteria, for the charts.
    assert all(entry.scores.count() == 4 for entry in entries)

    french = past.get_translation(Locale.objects.get(language_code="fr"))
    assert french.specific.categories.first().name == "CHM nationaux existants"

    section = BeautifulSoup(client.get(site_pages["awards"].url).content.decode(), "html.parser")
    assert [a.get_text() for a in section.select(".award-cycles-archive .card-title a")] == ["CHM Award 2018"]
    assert len(section.select(".award-cycles-current .card-title a")) == 1
    results = client.get(past.url + "results/")
    assert results.status_code == 200
    assert b"award-chart-data" in results.content
