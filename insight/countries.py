"""Country profiles and the directory of countries: what the portal's published content says about
each country, in a fixed number of queries whatever the amount of content."""

from collections import Counter
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.utils.translation import get_language, gettext

from cms.site_settings.models import PortalSettings
from content_types.awards.models import AwardCyclePage, AwardEntry
from content_types.base.languages import locale_code, prime_text_languages, same_language, text_language
from content_types.events.models import EventIndexPage, EventPage
from content_types.networks.models import MembershipStatus, NetworkMembership, NetworkPage
from content_types.records.models import (
    DecisionPage,
    ExpertProfilePage,
    NationalReportPage,
    NeedPage,
    OfferPage,
    OrganisationPage,
    RecordIndexPage,
    ReportTargetSection,
)
from content_types.records.models.assistance import NeedStatus
from content_types.records.models.decisions import ParagraphStatus

from .dashboards import STATUS_COLOURS, progress_levels
from .selectors import Geography, links, public_pages, term_label
from .tables import PROGRESS_COLOURS, cell, chart, choropleth, row, table

LIST_SIZE = 10  # records of a kind listed on a profile; the rest through the filtered listing
REPORT_COLUMNS = 3  # national reports compared side by side in the progress table


def foreign_language(page, field: str = "title") -> str | None:
    """The language of a page's field when it is not the active one (an alias shows its source's)."""
    language = text_language(page, field)
    return None if not language or same_language(language, get_language()) else language


def foreign_language_code(locale_id) -> str | None:
    language = locale_code(locale_id)
    return None if not language or same_language(language, get_language()) else language


def page_item(page, request, **extra) -> dict:
    return {"title": page.title, "url": page.get_url(request) or "", "lang": foreign_language(page), **extra}


# --- the directory ---------------------------------------------------------------------------------
def country_directory(locale_id, country_url) -> dict:
    """Countries by region, with how many national reports each has and a map of those that report."""
    geo = Geography()
    report_counts = Counter(
        country_id
        for _page_id, country_id in links(NationalReportPage, "countries", public_pages(NationalReportPage, locale_id))
    )
    groups = {}
    for country in sorted(geo.countries, key=lambda item: item.name):
        continent = geo.continent_of(country.region_id)
        groups.setdefault(continent.pk if continent else None, []).append(country)
    sections, rows, values = [], [], {}
    counts = Counter()
    for continent in [*geo.continents(), None]:
        members = groups.get(continent.pk if continent else None, [])
        if not members:
            continue
        items = []
        for country in members:
            region = geo.region_by_id.get(country.region_id)
            label, region_label = term_label(country), term_label(region) if region else None
            reports = report_counts.get(country.pk, 0)
            status = "reported" if reports else "none"
            counts[status] += 1
            if country.m49:
                values[country.m49] = status
            items.append(
                {
                    "code": country.code,
                    "name": label["name"],
                    "lang": label["lang"],
                    "region": region_label,
                    "reports": reports,
                    "url": country_url(country.code),
                    "is_party": country.is_party,
                }
            )
            rows.append(
                row(
                    label["name"],
                    [
                        cell(country.code, "code"),
                        cell(
                            region_label["name"] if region_label else "", "text", lang=(region_label or {}).get("lang")
                        ),
                        cell(reports),
                    ],
                    lang=label["lang"],
                    url=country_url(country.code),
                )
            )
        heading = (
            term_label(continent) if continent else {"name": gettext("Other countries and territories"), "lang": None}
        )
        sections.append({"heading": heading, "code": continent.code if continent else "", "countries": items})
    return {
        "sections": sections,
        "map": choropleth(
            "countries-map",
            gettext("World map of the countries with a national report on this portal (the list gives the same)"),
            values,
            [
                {
                    "value": "reported",
                    "label": gettext("At least one national report"),
                    "colour": STATUS_COLOURS["reported"],
                    "count": counts["reported"],
                },
                {
                    "value": "none",
                    "label": gettext("No national report"),
                    "colour": STATUS_COLOURS["none"],
                    "count": counts["none"],
                },
            ],
        ),
        "table": table(
            "countries",
            gettext("Countries and their national reports"),
            gettext("Country"),
            [gettext("ISO code"), gettext("Region"), gettext("National reports")],
            rows,
        ),
    }


# --- one country -----------------------------------------------------------------------------------
def national_portal(country) -> str:
    """The country's national clearing-house: set on the country, else a site of this installation
    whose portal settings name it (one query). The profile falls back on the address its published
    award results give."""
    if country.national_portal_url:
        return country.national_portal_url
    settings = (
        PortalSettings.objects.filter(scope=PortalSettings.Scope.NATIONAL, country=country)
        .select_related("site")
        .order_by("pk")
        .first()
    )
    return settings.site.root_url if settings is not None else ""


def section_url(model, locale_id, request, **params) -> str:
    """The address of a section's listing in this language, filtered by ``params`` (one query)."""
    index = model.objects.live().filter(locale_id=locale_id).first()
    if index is None:
        return ""
    url = index.get_url(request) or ""
    return f"{url}?{urlencode(params)}" if url and params else url


def report_progress(reports: list, country) -> dict:
    """The progress per GBF target of the country's latest national reports: a table (targets ×
    reports, the latest first) and a chart of the latest report's levels (one query)."""
    compared = reports[:REPORT_COLUMNS]
    sections = list(
        ReportTargetSection.objects.filter(page__in=[report.pk for report in compared])
        .select_related("target")
        .order_by("target__number")
    )
    levels = progress_levels()
    level_label = dict(levels)
    by_target: dict[int, dict] = {}
    target_of = {}
    for section in sections:
        by_target.setdefault(section.target_id, {})[section.page_id] = section.progress
        target_of[section.target_id] = section.target
    rows = []
    for target_id, progress in by_target.items():
        target = target_of[target_id]
        name = term_label(target)
        rows.append(
            row(
                str(target),
                [
                    cell(level_label.get(progress.get(report.pk), "—"), "text", csv=progress.get(report.pk, ""))
                    for report in compared
                ],
                lang=name["lang"],
            )
        )
    rows.sort(key=lambda item: int(item["label"].split(".", 1)[0]) if item["label"][:1].isdigit() else 0)
    columns = [
        {
            "label": gettext("Report ending %(date)s") % {"date": report.reporting_period_end.isoformat()},
            "lang": None,
        }
        for report in compared
    ]
    latest = compared[0] if compared else None
    counts = Counter(progress.get(latest.pk) for progress in by_target.values() if latest and latest.pk in progress)
    return {
        "table": table(
            "progress",
            gettext("Progress per GBF target in the latest national reports"),
            gettext("GBF target"),
            columns,
            rows,
        ),
        "chart": chart(
            "progress-chart",
            gettext("GBF targets per progress level in the latest national report (the table below gives the detail)"),
            [label for _value, label in levels],
            [
                {
                    "label": gettext("GBF targets"),
                    "data": [counts[value] for value, _label in levels],
                    "colours": [PROGRESS_COLOURS[value] for value, _label in levels],
                }
            ],
            axis=gettext("Number of GBF targets"),
        )
        if latest
        else None,
        "latest_progress": {target_id: progress.get(latest.pk) for target_id, progress in by_target.items()}
        if latest
        else {},
    }


def country_profile(country, locale_id, request) -> dict:
    """Everything the profile shows, as plain values (kept in the cache until the content changes)."""
    region = country.region
    reports = list(
        public_pages(NationalReportPage, locale_id).filter(countries=country).order_by("-reporting_period_end", "-pk")
    )
    organisations = list(
        public_pages(OrganisationPage, locale_id)
        .filter(Q(country=country) | Q(countries=country))
        .distinct()
        .order_by("title")[: LIST_SIZE * 2]
    )
    experts = list(
        public_pages(ExpertProfilePage, locale_id).filter(country=country).order_by("title")[: LIST_SIZE * 2]
    )
    needs_queryset = public_pages(NeedPage, locale_id).filter(countries=country)
    needs = list(needs_queryset.order_by("-publication_date", "-pk")[:LIST_SIZE])
    need_counts = dict(needs_queryset.values_list("status").annotate(n=Count("pk")).order_by())
    offers_queryset = public_pages(OfferPage, locale_id).filter(countries=country)
    offers = list(offers_queryset.order_by("-publication_date", "-pk")[:LIST_SIZE])
    offer_total = offers_queryset.count()
    events_queryset = (
        public_pages(EventPage, locale_id).filter(Q(countries=country) | Q(venue_country=country)).distinct()
    )
    events = list(events_queryset.order_by("-start", "-pk")[:LIST_SIZE])
    event_total = events_queryset.count()
    member_networks = NetworkMembership.objects.filter(
        Q(organisation__country=country) | Q(expert__country=country), status=MembershipStatus.ACTIVE
    ).values("network__translation_key")
    networks = list(
        public_pages(NetworkPage, locale_id)
        .filter(Q(translation_key__in=member_networks) | Q(countries=country))
        .distinct()
        .order_by("title")
    )
    progress = report_progress(reports, country)
    decisions = decision_implementation(country, locale_id, progress["latest_progress"])
    awards = award_history(country, locale_id, request)

    prime_text_languages([*reports, *organisations, *experts, *needs, *offers, *events, *networks, *decisions["pages"]])
    level_label = dict(progress_levels())
    return {
        "country": {**term_label(country), "alpha3": country.alpha3, "is_party": country.is_party},
        "region": term_label(region) if region else None,
        "national_portal": national_portal(country)
        or next((award["national_chm_url"] for award in awards if award["national_chm_url"]), ""),
        "organisations": [
            page_item(page, request, meta=page.get_organisation_type_display(), website=page.website)
            for page in organisations
        ],
        "experts": [page_item(page, request, meta=page.position) for page in experts],
        "reports": [
            page_item(
                page,
                request,
                meta=f"{page.reporting_period_start.isoformat()} – {page.reporting_period_end.isoformat()}",
            )
            for page in reports
        ],
        "progress_table": progress["table"],
        "progress_chart": progress["chart"],
        "decisions": [
            {
                **page_item(page, request, meta=page.reference),
                "paragraphs": decisions["paragraphs"].get(page.pk, []),
                "targets": [
                    {
                        "label": str(target),
                        "lang": term_label(target)["lang"],
                        "progress": level_label.get(progress["latest_progress"].get(target.pk), ""),
                    }
                    for target in page.gbf_targets.all()
                    if target.pk in progress["latest_progress"] or page.pk in decisions["named"]
                ],
                "names_country": page.pk in decisions["named"],
            }
            for page in decisions["pages"]
        ],
        "needs": [page_item(page, request, meta=page.get_status_display(), status=page.status) for page in needs],
        "need_counts": [
            {"status": value, "label": str(label), "count": need_counts.get(value, 0)}
            for value, label in NeedStatus.choices
        ],
        "need_total": sum(need_counts.values()),
        "offers": [page_item(page, request, meta=page.get_offer_kind_display()) for page in offers],
        "offer_total": offer_total,
        "events": [
            page_item(page, request, meta=page.get_event_type_display(), start=page.start.date().isoformat())
            for page in events
        ],
        "event_total": event_total,
        "networks": [page_item(page, request, meta=page.get_kind_display()) for page in networks],
        "awards": awards,
        "records_url": section_url(RecordIndexPage, locale_id, request),
        "events_url": section_url(EventIndexPage, locale_id, request),
    }


def decision_implementation(country, locale_id, latest_progress: dict) -> dict:
    """Decisions that name the country (their paragraphs' status), and decisions on the GBF targets
    its latest national report covers (with its progress on them): three queries."""
    decisions = list(
        public_pages(DecisionPage, locale_id)
        .filter(Q(countries=country) | Q(gbf_targets__in=list(latest_progress)))
        .distinct()
        .order_by("meeting", "number", "pk")
        .prefetch_related("gbf_targets")
    )
    named = set(
        public_pages(DecisionPage, locale_id)
        .filter(countries=country, pk__in=[page.pk for page in decisions])
        .values_list("pk", flat=True)
    )
    from content_types.records.models import DecisionParagraph

    paragraphs: dict[int, list] = {}
    labels = dict(ParagraphStatus.choices)
    for paragraph in DecisionParagraph.objects.filter(page_id__in=named).order_by("page_id", "sort_order"):
        paragraphs.setdefault(paragraph.page_id, []).append(
            {"number": paragraph.number, "status": paragraph.status, "label": str(labels.get(paragraph.status, ""))}
        )
    return {"pages": decisions, "named": named, "paragraphs": paragraphs}


def award_history(country, locale_id, request) -> list[dict]:
    """The country's entries in published award results, with the cycle in this language (two queries)."""
    entries = list(
        AwardEntry.objects.filter(country=country, result__is_published=True)
        .select_related("result__cycle", "category")
        .order_by("-result__published_at", "rank")
    )
    keys = {entry.result.cycle.translation_key for entry in entries}
    cycles = {
        page.translation_key: page
        for page in AwardCyclePage.objects.live().public().filter(translation_key__in=keys, locale_id=locale_id)
    }
    history = []
    for entry in entries:
        cycle = cycles.get(entry.result.cycle.translation_key)
        if cycle is None:
            continue
        history.append(
            {
                "cycle": cycle.title,
                "cycle_lang": foreign_language(cycle),
                "url": (cycle.get_url(request) or "") + "results/",
                "category": entry.category.name if entry.category_id else "",
                "category_lang": foreign_language_code(entry.category.locale_id) if entry.category_id else None,
                "prize": entry.get_prize_display(),
                "rank": entry.rank,
                "published": entry.result.published_at.date().isoformat() if entry.result.published_at else "",
                "national_chm_url": entry.national_chm_url,
            }
        )
    return history
