"""The published results of an award cycle in a real browser: Chart.js draws both charts from the
page's JSON in English and in Arabic, with no script error and nothing axe calls serious."""

import pytest

from tests.awards.factories import make_cycle, make_result
from tests.e2e.axe import describe, serious_violations
from tests.e2e.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def results_urls(live_site, django_capture_on_commit_callbacks):
    from cms.home.models import SectionPage
    from tests.e2e.test_events import reset_sequences

    reset_sequences()
    awards = SectionPage.objects.get(locale__language_code="en", section=SectionPage.Section.AWARDS)
    cycle = make_cycle(awards, offset_days=-200)
    make_result(cycle, published=True)
    from wagtail.models import Locale

    with django_capture_on_commit_callbacks(execute=True):
        arabic = cycle.copy_for_translation(Locale.objects.get(language_code="ar"), alias=True)
    return [f"{live_site.url}{cycle.url}results/", f"{live_site.url}{arabic.url}results/"]


def test_the_charts_are_drawn_in_english_and_arabic(page, results_urls):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for url in results_urls:
        page.goto(url)
        wait_until(
            page,
            "Array.from(document.querySelectorAll('canvas[data-award-chart]'))"
            ".every((canvas) => window.Chart && window.Chart.getChart(canvas))",
        )
        datasets = page.evaluate(
            "Array.from(document.querySelectorAll('canvas[data-award-chart]'))"
            ".map((canvas) => window.Chart.getChart(canvas).data.datasets.length)"
        )
        assert datasets == [1, 3]  # one total per nomination; a bar per nomination on each criterion
        assert page.locator("table.award-scores tbody tr").count() == 3
        violations = serious_violations(page)
        assert not violations, describe(violations)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert errors == []
