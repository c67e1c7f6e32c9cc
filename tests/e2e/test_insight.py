"""Country profile, dashboards and decision tracker in a real browser, in the six languages: the charts
and maps are drawn from the page's JSON without a script error, and axe finds nothing serious."""

import pytest

from tests.e2e.axe import describe, serious_violations
from tests.e2e.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LANGUAGES = ("en", "fr", "es", "ru", "zh-hans", "ar")  # Arabic last: the page left open is right-to-left
PAGES = [
    ("countries", True),
    ("country", False),
    ("dashboard-reporting", True),
    ("dashboard-progress", False),
    ("dashboard-activity", False),
    ("dashboard-cooperation", False),
    ("decision-tracker", False),
]


@pytest.fixture
def insight_urls(live_site):
    from django.urls import reverse
    from django.utils import translation
    from wagtail.models import Locale

    from content_types.base.translations import ensure_aliases
    from tests.e2e.test_events import reset_sequences
    from tests.insight.data import build_country, party_countries, shared_network

    reset_sequences()
    network = shared_network()
    countries = party_countries(3)
    others = list(Locale.objects.exclude(language_code="en"))
    for index, country in enumerate(countries):
        for page in build_country(country, index, network).values():
            ensure_aliases(page, others)
    urls = []
    for language in LANGUAGES:
        with translation.override(language):
            for name, has_map in PAGES:
                kwargs = {"code": countries[0].code} if name == "country" else None
                urls.append((f"{live_site.url}{reverse(f'insight:{name}', kwargs=kwargs)}", has_map))
    return urls


def test_insight_pages_draw_their_charts_and_maps_and_pass_axe(page, insight_urls):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for url, has_map in insight_urls:
        page.goto(url)
        charts = page.locator("canvas[data-insight-chart]").count()
        if charts:
            wait_until(
                page,
                "Array.from(document.querySelectorAll('canvas[data-insight-chart]'))"
                ".every((canvas) => canvas.dataset.chartReady || !JSON.parse("
                "document.getElementById(canvas.dataset.insightChart).textContent).labels.length)",
            )
        if has_map:
            wait_until(
                page, "Array.from(document.querySelectorAll('[data-insight-map]')).every((map) => map.dataset.mapReady)"
            )
            assert int(page.locator("[data-insight-map]").first.get_attribute("data-map-ready")) > 0, url
        assert page.locator("table.insight-table").count() >= 1, url
        violations = serious_violations(page)
        assert not violations, describe(violations)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert errors == []
