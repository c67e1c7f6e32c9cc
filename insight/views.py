"""The public insight pages: country profiles, dashboards and the decision tracker.

Each view computes its figures once per content version, language and filters (``cms.content_version``:
a publish refreshes them), and serves any of its tables as CSV with ``?csv=<table id>``.
"""

from functools import wraps

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cms import content_version
from cms.caching import add_cache_tags
from cms.frontend_purge import HOME
from content_types.vocabularies.models import Country

from . import countries, dashboards
from .csv_export import csv_response
from .filters import DashboardFilters, filter_options
from .selectors import active_locale_id
from .tracker import DecisionTracker

# Every change to published content purges the home pages' tag; these pages show all of it.
CACHE_TAGS = (HOME, "listing-records", "listing-events", "listing-networks")


def country_url(code: str) -> str:
    return reverse("insight:country", kwargs={"code": code})


DASHBOARDS = [
    (
        "reporting",
        _("National reports"),
        _("A world map of reporting status, and a map and a chart of progress on each GBF target."),
    ),
    (
        "progress",
        _("Progress by target and region"),
        _("How many countries report each progress level, per GBF target and per region."),
    ),
    ("activity", _("Records and events over time"), _("What is published each year, by type.")),
    (
        "cooperation",
        _("Needs and offers"),
        _("Requests for assistance and offers of support per GBF target and region, and the share matched."),
    ),
]


def dashboard_links(current: str = "") -> list[dict]:
    return [
        {
            "name": name,
            "url": reverse(f"insight:dashboard-{name}"),
            "title": str(title),
            "description": str(description),
            "current": name == current,
        }
        for name, title, description in DASHBOARDS
    ]


def tagged(view):
    """A GET-only view whose public responses a publish purges from the caching proxy."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        add_cache_tags(request, *CACHE_TAGS)
        return view(request, *args, **kwargs)

    return require_GET(wrapper)


def csv_or_page(request, data: dict, tables: dict, template: str, filename: str):
    """The CSV of the table ``?csv=`` names (unknown name: 404), else the page."""
    wanted = request.GET.get("csv")
    if wanted is not None:
        found = tables.get(wanted)
        if found is None:
            raise Http404(gettext("This page has no table by that name."))
        return csv_response(found, f"{filename}-{found['id']}")
    return render(request, template, data)


def cached(name: str, request, parts: tuple, compute):
    return content_version.cached(f"insight-{name}", (get_language(), request.get_host(), *parts), compute)


@tagged
def country_list(request):
    locale_id = active_locale_id()
    data = cached("countries", request, (), lambda: countries.country_directory(locale_id, country_url))
    context = {**data, "section": "countries"}
    return csv_or_page(request, context, {"countries": data["table"]}, "insight/country_list.html", "countries")


@tagged
def country_profile(request, code: str):
    if code != code.upper():
        return HttpResponsePermanentRedirect(
            country_url(code.upper()) + (f"?{request.GET.urlencode()}" if request.GET else "")
        )
    country = Country.objects.select_related("region").filter(code=code).first()
    if country is None:
        raise Http404(gettext("There is no country with the code %(code)s.") % {"code": code})
    locale_id = active_locale_id()
    data = cached("country", request, (code,), lambda: countries.country_profile(country, locale_id, request))
    context = {**data, "section": "countries"}
    return csv_or_page(
        request, context, {"progress": data["progress_table"]}, "insight/country_profile.html", f"country-{code}"
    )


def dashboard_page(request, name: str, compute, tables, fields=("region", "target", "since", "until")):
    filters = DashboardFilters(request, fields=fields)
    locale_id = active_locale_id()
    data = cached(f"dashboard-{name}", request, filters.key(), lambda: compute(locale_id, filters))
    title, description = next((str(t), str(d)) for n, t, d in DASHBOARDS if n == name)
    context = {
        **data,
        "section": "dashboards",
        "dashboard": name,
        "title": title,
        "description": description,
        "dashboards": dashboard_links(name),
        "filters": filters,
        "filter_form": filters.form,
        "filter_options": filter_options(),
        "filter_messages": filters.messages,
        "query": filters.query(),
    }
    return csv_or_page(
        request, context, {table["id"]: table for table in tables(data)}, f"insight/dashboard_{name}.html", name
    )


@tagged
def dashboards_index(request):
    return render(request, "insight/dashboards.html", {"section": "dashboards", "dashboards": dashboard_links()})


@tagged
def dashboard_reporting(request):
    return dashboard_page(
        request,
        "reporting",
        lambda locale_id, filters: dashboards.reporting_dashboard(locale_id, filters, country_url),
        lambda data: [data["status_table"], *([data["table"]] if data.get("table") else [])],
    )


@tagged
def dashboard_progress(request):
    return dashboard_page(
        request,
        "progress",
        dashboards.progress_matrix_dashboard,
        lambda data: [data["matrix_table"], data["region_table"]],
    )


@tagged
def dashboard_activity(request):
    return dashboard_page(
        request,
        "activity",
        dashboards.activity_dashboard,
        lambda data: [data["records_table"], data["events_table"]],
    )


@tagged
def dashboard_cooperation(request):
    return dashboard_page(
        request,
        "cooperation",
        dashboards.cooperation_dashboard,
        lambda data: [data["target_table"], data["region_table"]],
    )


@tagged
def decision_tracker(request):
    locale_id = active_locale_id()
    tracker = DecisionTracker(request, locale_id)

    def compute():
        return {"results": tracker.results(), "status_counts": tracker.status_counts()}

    data = content_version.cached("insight-tracker", tracker.cache_parts(), compute)
    context = {
        **data,
        "section": "tracker",
        "tracker": tracker,
        "filter_form": tracker.form,
        "target_options": filter_options()["targets"],
        "filter_messages": [*tracker.messages, *data["results"]["messages"]],
        "clear_url": "?",
        "filtered": bool(tracker.filters),
    }
    return render(request, "insight/decision_tracker.html", context)
