"""A country profile's sources beyond records: its national portal, award history (published results
only), expert profiles without their contact details; and the cache that a publish refreshes."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Site

from cms.home.models import SectionPage
from cms.site_settings.models import PortalSettings
from content_types.records.models.reports import ProgressLevel
from tests.awards.factories import make_cycle, make_result
from tests.records.factories import ExpertProfileFactory, NationalReportFactory, country

pytestmark = pytest.mark.django_db


def profile_url(code: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse("insight:country", kwargs={"code": code})


def test_national_portal_from_the_country_then_from_a_national_site(client, site_pages):
    france = country("FR")
    response = client.get(profile_url("FR"))
    assert response.context["national_portal"] == ""
    assert "No national clearing-house portal is known for this country." in response.content.decode()

    other_site = Site.objects.create(hostname="chm.example.fr", port=443, root_page=site_pages["home"])
    PortalSettings.objects.create(site=other_site, scope=PortalSettings.Scope.NATIONAL, country=france)
    response = client.get(profile_url("FR"))
    assert response.context["national_portal"] == "https://chm.example.fr"

    france.national_portal_url = "https://biodiversite.example.fr/"
    france.save()
    response = client.get(profile_url("FR"))
    assert response.context["national_portal"] == "https://biodiversite.example.fr/"
    assert 'href="https://biodiversite.example.fr/"' in response.content.decode()


def test_award_history_shows_published_results_only(client, site_pages):
    awards = SectionPage.objects.get(locale__language_code="en", section=SectionPage.Section.AWARDS)
    published = make_cycle(awards, slug="award-2022", title="CHM Award 2022", offset_days=-400)
    make_result(published, published=True)
    pending = make_cycle(awards, slug="award-2024", title="CHM Award 2024", offset_days=-200)
    make_result(pending, published=False)
    response = client.get(profile_url("FR"))
    awards_shown = response.context["awards"]
    assert [award["cycle"] for award in awards_shown] == ["CHM Award 2022"]
    assert awards_shown[0]["url"].endswith("/award-2022/results/")
    assert awards_shown[0]["prize"] == "Gold"
    assert "CHM Award 2024" not in response.content.decode()
    # Without a national portal on record, the address the award results give.
    assert response.context["national_portal"] == "https://chm.example.org/fr/"
    assert client.get(profile_url("DE")).context["awards"] == []


def test_expert_contact_details_stay_private(client, site_pages):
    expert = ExpertProfileFactory(country=country("SN"), email="private@example.org", phone="+221 1")
    html = client.get(profile_url("SN")).content.decode()
    assert expert.title in html
    assert "private@example.org" not in html and "+221 1" not in html


def test_a_publish_refreshes_the_cached_profile_and_dashboards(client, site_pages):
    first = client.get(profile_url("KE"))
    assert first.context["reports"] == []
    dashboard = reverse("insight:dashboard-reporting")
    assert client.get(dashboard).context["status_map"]["values"].get("404") == "none"
    report = NationalReportFactory(countries=[country("KE")], live=False)
    report.save_revision().publish()
    assert [item["title"] for item in client.get(profile_url("KE")).context["reports"]] == [report.title]
    assert client.get(dashboard).context["status_map"]["values"]["404"] == "reported"


def test_chart_labels_and_numbers_follow_the_language(client, site_pages, django_capture_on_commit_callbacks):
    from content_types.base.translations import ensure_aliases

    report = NationalReportFactory(countries=[country("FR")], reporting_period_end=datetime.date(2024, 12, 31))
    with django_capture_on_commit_callbacks(execute=True):
        ensure_aliases(report)
    for language in ("fr", "ar", "zh-hans"):
        response = client.get(profile_url("FR", language))
        chart = response.context["progress_chart"]
        with translation.override(language):
            assert chart["labels"] == [str(label) for _value, label in ProgressLevel.choices]
        assert f'<html lang="{language}"' in response.content.decode()
    # A share with decimals is written the French way on a French page.
    from tests.records.factories import NeedFactory, target

    for status in ("matched", "open", "open"):
        need = NeedFactory(countries=[country("FR")], gbf_targets=[target(3)], status=status)
        with django_capture_on_commit_callbacks(execute=True):
            ensure_aliases(need, [Locale.objects.get(language_code="fr")])
    with translation.override("fr"):
        url = reverse("insight:dashboard-cooperation")
    html = client.get(url).content.decode()
    # French writes a no-break space before the percent sign; the JSON for the chart keeps 33.3
    assert "33,3\u00a0%" in html and "33.3 %" not in html


def test_csv_download_of_a_profile_table(client, site_pages):
    NationalReportFactory(countries=[country("FR")], reporting_period_end=datetime.date(2024, 12, 31))
    response = client.get(profile_url("FR"), {"csv": "progress"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="country-FR-progress.csv"'
    lines = response.content.decode("utf-8").lstrip("\ufeff").splitlines()
    assert lines[0] == "GBF target,Report ending 2024-12-31"
    assert lines[1].endswith(",on-track")


def test_pages_are_public_and_tagged_for_purging(client, site_pages):
    response = client.get(reverse("insight:dashboard-progress"))
    assert "public" in response["Cache-Control"]
    assert "home" in response["xkey"].split()
    assert client.post(reverse("insight:dashboard-progress")).status_code == 405


def test_chart_json_is_escaped_in_the_page(client, site_pages):
    from content_types.vocabularies.models import Region

    Region.objects.filter(code="002").update(name_en="</script><script>alert(1)</script>")
    html = client.get(reverse("insight:dashboard-cooperation")).content.decode()
    assert "</script><script>alert(1)" not in html
    start = html.index('id="needs-matched-by-region-chart-data"')
    payload = html[html.index(">", start) + 1 : html.index("</script>", start)]
    assert "</script><script>alert(1)</script>" in json.loads(payload)["labels"]
