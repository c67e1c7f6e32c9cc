"""The dashboards' figures: national reports by reporting status and progress per GBF target, the
target × progress matrix by region, records and events over time, needs and offers by target and
region with the share matched.

Each is computed in a fixed number of queries (the rows of one kind with their classification
links, then counted here), and kept in the shared cache until the content changes.
"""

from collections import Counter

from django.utils.translation import gettext, pgettext

from content_types.events.models import EventPage, EventType
from content_types.records.models import NationalReportPage, NeedPage, OfferPage, RecordPage, ReportTargetSection
from content_types.records.models.assistance import NeedStatus
from content_types.records.models.base import RecordType
from content_types.records.models.reports import ProgressLevel

from .selectors import Geography, grouped, links, public_pages, targets, term_label
from .tables import PROGRESS_COLOURS, SERIES_COLOURS, cell, chart, choropleth, percent, row, table

REPORTED, OTHER_PERIOD, NOT_REPORTED = "reported", "other-period", "none"
STATUS_COLOURS = {REPORTED: "#1b6b47", OTHER_PERIOD: "#8fc1a2", NOT_REPORTED: "#f4f4f4"}


# --- national reports -------------------------------------------------------------------------------
def national_reports(locale_id) -> list[dict]:
    """Every public national report of the language: its period, countries and sections (three queries)."""
    reports = public_pages(NationalReportPage, locale_id)
    rows = list(reports.values("pk", "reporting_period_start", "reporting_period_end"))
    countries = grouped(links(NationalReportPage, "countries", reports))
    sections: dict[int, dict[int, str]] = {}
    for page_id, target_id, progress in ReportTargetSection.objects.filter(page__in=reports.values("pk")).values_list(
        "page_id", "target_id", "progress"
    ):
        sections.setdefault(page_id, {})[target_id] = progress
    return [
        {
            "pk": item["pk"],
            "start": item["reporting_period_start"],
            "end": item["reporting_period_end"],
            "countries": countries.get(item["pk"], set()),
            "sections": sections.get(item["pk"], {}),
        }
        for item in rows
    ]


def reports_by_country(reports: list[dict]) -> dict[int, list[dict]]:
    """Each country's reports, the latest (by the end of its period) first."""
    result: dict[int, list[dict]] = {}
    for report in sorted(reports, key=lambda item: (item["end"], item["pk"]), reverse=True):
        for country_id in report["countries"]:
            result.setdefault(country_id, []).append(report)
    return result


def latest_progress(reports: list[dict], target_id: int, filters) -> tuple[str, dict] | None:
    """The progress on a target in a country's latest report of the period that reports on it."""
    for report in reports:
        if filters.overlaps(report["start"], report["end"]) and target_id in report["sections"]:
            return report["sections"][target_id], report
    return None


def progress_levels() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in ProgressLevel.choices]


def shown_countries(geo: Geography, by_country: dict, region) -> list:
    """The countries a map's table lists: Parties and any country with a report, in the region."""
    within = geo.countries_within(region)
    return [
        country
        for country in sorted(geo.countries, key=lambda item: item.name)
        if country.pk in within and (country.is_party or country.pk in by_country)
    ]


def reporting_dashboard(locale_id, filters, country_url) -> dict:
    """The world map of reporting status, and a map and chart of progress on one GBF target."""
    geo = Geography()
    all_targets = targets()
    by_country = reports_by_country(national_reports(locale_id))
    period = filters.since is not None or filters.until is not None
    labels = {
        REPORTED: gettext("Reported for the period") if period else gettext("At least one national report"),
        OTHER_PERIOD: gettext("Reported for other periods only"),
        NOT_REPORTED: gettext("No national report"),
    }
    statuses, values, status_rows = Counter(), {}, []
    for country in shown_countries(geo, by_country, filters.region):
        reports = by_country.get(country.pk, [])
        in_period = [report for report in reports if filters.overlaps(report["start"], report["end"])]
        status = REPORTED if in_period else OTHER_PERIOD if reports else NOT_REPORTED
        statuses[status] += 1
        if country.m49:
            values[country.m49] = status
        latest = (in_period or reports or [None])[0]
        label = term_label(country)
        status_rows.append(
            row(
                label["name"],
                [
                    cell(labels[status], "text"),
                    cell(latest["end"].isoformat() if latest else "", "date"),
                    cell(len(in_period)),
                ],
                lang=label["lang"],
                url=country_url(country.code),
            )
        )
    order = [REPORTED, OTHER_PERIOD, NOT_REPORTED] if period else [REPORTED, NOT_REPORTED]
    categories = [
        {"value": status, "label": labels[status], "colour": STATUS_COLOURS[status], "count": statuses[status]}
        for status in order
    ]
    status_map = choropleth(
        "reporting-status-map",
        gettext("World map of national reporting status (the table below gives the same information)"),
        values,
        categories,
    )
    status_table = table(
        "reporting-status",
        gettext("Reporting status per country"),
        gettext("Country"),
        [gettext("Status"), gettext("End of the latest reporting period"), gettext("Reports for the period")],
        status_rows,
    )

    target = filters.target or (all_targets[0] if all_targets else None)
    target_part = {}
    if target is not None:
        levels = progress_levels()
        counts, target_values, target_rows = Counter(), {}, []
        level_label = dict(levels)
        for country in shown_countries(geo, by_country, filters.region):
            found = latest_progress(by_country.get(country.pk, []), target.pk, filters)
            if found is None:
                continue
            progress, report = found
            counts[progress] += 1
            if country.m49:
                target_values[country.m49] = progress
            label = term_label(country)
            target_rows.append(
                row(
                    label["name"],
                    [cell(level_label.get(progress, progress), "text"), cell(report["end"].isoformat(), "date")],
                    lang=label["lang"],
                    url=country_url(country.code),
                )
            )
        name = term_label(target)
        target_part = {
            "target": name,
            "target_number": target.number,
            "map": choropleth(
                "target-progress-map",
                gettext("World map of progress on %(target)s (the table below gives the same information)")
                % {"target": str(target)},
                target_values,
                [
                    {"value": value, "label": label, "colour": PROGRESS_COLOURS[value], "count": counts[value]}
                    for value, label in levels
                ],
            ),
            "chart": chart(
                "target-progress-chart",
                gettext("Number of countries per progress level on %(target)s (the table below gives the same figures)")
                % {"target": str(target)},
                [label for _value, label in levels],
                [
                    {
                        "label": gettext("Countries"),
                        "data": [counts[value] for value, _label in levels],
                        "colours": [PROGRESS_COLOURS[value] for value, _label in levels],
                    }
                ],
                axis=gettext("Number of countries"),
            ),
            "table": table(
                "target-progress",
                gettext("Progress on %(target)s per country (latest report of the period)") % {"target": str(target)},
                gettext("Country"),
                [gettext("Progress level"), gettext("End of the reporting period")],
                target_rows,
            ),
        }
    return {
        "status_map": status_map,
        "status_table": status_table,
        "targets": [{**term_label(item), "number": item.number} for item in all_targets],
        **target_part,
    }


def progress_matrix_dashboard(locale_id, filters) -> dict:
    """Target × progress level (countries counted once, by their latest report of the period), in the
    region chosen, and the same levels per region for the target chosen (or for every target)."""
    geo = Geography()
    all_targets = targets()
    by_country = reports_by_country(national_reports(locale_id))
    levels = progress_levels()
    within = geo.countries_within(filters.region)
    chosen = [filters.target] if filters.target else all_targets

    matrix: dict[int, Counter] = {target.pk: Counter() for target in all_targets}
    per_region: dict[int, Counter] = {}
    for country_id, reports in by_country.items():
        country = geo.country_by_id.get(country_id)
        if country is None:
            continue
        continent = geo.continent_of(country.region_id)
        for target in all_targets:
            found = latest_progress(reports, target.pk, filters)
            if found is None:
                continue
            if country_id in within:
                matrix[target.pk][found[0]] += 1
            if target in chosen and continent is not None:
                per_region.setdefault(continent.pk, Counter())[found[0]] += 1

    level_columns = [label for _value, label in levels]
    matrix_rows = []
    for target in all_targets:
        counts = matrix[target.pk]
        total = sum(counts.values())
        name = term_label(target)
        matrix_rows.append(
            row(
                str(target),
                [*(cell(counts[value]) for value, _label in levels), cell(total)],
                lang=name["lang"],
            )
        )
    matrix_table = table(
        "target-progress-matrix",
        gettext("Countries per GBF target and progress level"),
        gettext("GBF target"),
        [*level_columns, gettext("Countries reporting")],
        matrix_rows,
    )
    matrix_chart = chart(
        "target-progress-matrix-chart",
        gettext("Countries per GBF target and progress level, stacked (the table below gives the same figures)"),
        [pgettext("chart label", "T%(number)s") % {"number": target.number} for target in all_targets],
        [
            {
                "label": label,
                "data": [matrix[target.pk][value] for target in all_targets],
                "colour": PROGRESS_COLOURS[value],
            }
            for value, label in levels
        ],
        stacked=True,
        axis=gettext("Number of countries"),
    )

    region_rows, shares = [], []
    continents = geo.continents()
    for continent in continents:
        counts = per_region.get(continent.pk, Counter())
        total = sum(counts.values())
        name = term_label(continent)
        region_rows.append(
            row(
                name["name"],
                [*(cell(counts[value]) for value, _label in levels), cell(total)],
                lang=name["lang"],
            )
        )
        shares.append([percent(counts[value], total) or 0 for value, _label in levels])
    scope = str(filters.target) if filters.target else gettext("all GBF targets")
    region_table = table(
        "progress-by-region",
        gettext("Progress levels per region: %(scope)s (a country counts once per target)") % {"scope": scope},
        gettext("Region"),
        [*level_columns, gettext("Total")],
        region_rows,
    )
    region_chart = chart(
        "progress-by-region-chart",
        gettext("Share of each progress level per region, %(scope)s (the table below gives the figures)")
        % {"scope": scope},
        [term_label(continent)["name"] for continent in continents],
        [
            {"label": label, "data": [share[index] for share in shares], "colour": PROGRESS_COLOURS[value]}
            for index, (value, label) in enumerate(levels)
        ],
        stacked=True,
        horizontal=True,
        percent=True,
        axis=gettext("Share of the countries' answers (%)"),
    )
    return {
        "matrix_table": matrix_table,
        "matrix_chart": matrix_chart,
        "region_table": region_table,
        "region_chart": region_chart,
    }


# --- records and events over time ----------------------------------------------------------------
def classified_rows(model, pages, date_field: str, type_field: str) -> list[dict]:
    """Rows of ``pages`` with their date, type and classification (four queries)."""
    rows = list(pages.values("pk", date_field, type_field))
    countries = grouped(links(model, "countries", pages))
    regions = grouped(links(model, "regions", pages))
    target_links = grouped(links(model, "gbf_targets", pages))
    return [
        {
            "pk": item["pk"],
            "date": item[date_field],
            "type": item[type_field],
            "countries": countries.get(item["pk"], set()),
            "regions": regions.get(item["pk"], set()),
            "targets": target_links.get(item["pk"], set()),
        }
        for item in rows
    ]


def selected(rows, geo: Geography, filters) -> list[dict]:
    """The rows in the region, on the target and within the period chosen."""
    return [
        item
        for item in rows
        if geo.in_region(filters.region, item["countries"], item["regions"])
        and (filters.target is None or filters.target.pk in item["targets"])
        and filters.year_in_period(item["date"].year if item["date"] else None)
    ]


def over_time(table_id, chart_id, caption, description, rows, types) -> tuple[dict, dict]:
    """A year × type table and its stacked chart."""
    counts = Counter((item["date"].year, item["type"]) for item in rows if item["date"])
    years = sorted({year for year, _type in counts})
    shown_types = [(value, str(label)) for value, label in types if any(counts[(year, value)] for year in years)]
    table_rows = [
        row(
            str(year),
            [
                *(cell(counts[(year, value)]) for value, _label in shown_types),
                cell(sum(counts[(year, v)] for v, _ in types)),
            ],
        )
        for year in years
    ]
    result_table = table(
        table_id, caption, gettext("Year"), [*(label for _value, label in shown_types), gettext("Total")], table_rows
    )
    result_chart = chart(
        chart_id,
        description,
        [str(year) for year in years],
        [
            {
                "label": label,
                "data": [counts[(year, value)] for year in years],
                "colour": SERIES_COLOURS[index % len(SERIES_COLOURS)],
            }
            for index, (value, label) in enumerate(shown_types)
        ],
        stacked=True,
        axis=gettext("Number published"),
    )
    return result_table, result_chart


def activity_dashboard(locale_id, filters) -> dict:
    geo = Geography()
    records = selected(
        classified_rows(RecordPage, public_pages(RecordPage, locale_id), "publication_date", "record_type"),
        geo,
        filters,
    )
    events = selected(
        classified_rows(EventPage, public_pages(EventPage, locale_id), "start", "event_type"), geo, filters
    )
    records_table, records_chart = over_time(
        "records-over-time",
        "records-over-time-chart",
        gettext("Records published per year and type"),
        gettext("Records published per year, stacked by type (the table below gives the same figures)"),
        records,
        RecordType.choices,
    )
    events_table, events_chart = over_time(
        "events-over-time",
        "events-over-time-chart",
        gettext("Events per year (of their start) and type"),
        gettext("Events per year, stacked by type (the table below gives the same figures)"),
        events,
        EventType.choices,
    )
    return {
        "records_table": records_table,
        "records_chart": records_chart,
        "events_table": events_table,
        "events_chart": events_chart,
        "records_total": len(records),
        "events_total": len(events),
    }


# --- needs and offers -------------------------------------------------------------------------------
def cooperation_dashboard(locale_id, filters) -> dict:
    """Needs (by status) and offers per GBF target and per region, with the share of needs matched."""
    geo = Geography()
    all_targets = targets()
    needs = selected(
        classified_rows(NeedPage, public_pages(NeedPage, locale_id), "publication_date", "status"), geo, filters
    )
    offers = selected(
        classified_rows(OfferPage, public_pages(OfferPage, locale_id), "publication_date", "offer_kind"), geo, filters
    )
    statuses = [(value, str(label)) for value, label in NeedStatus.choices]
    columns = [
        gettext("Needs"),
        *(label for _value, label in statuses),
        gettext("Share of needs matched (%)"),
        gettext("Offers"),
    ]

    def figures(need_rows, offer_rows) -> list[dict]:
        by_status = Counter(item["type"] for item in need_rows)
        share = percent(by_status[NeedStatus.MATCHED], len(need_rows))
        return [
            cell(len(need_rows)),
            *(cell(by_status[value]) for value, _label in statuses),
            cell(share, "percent", csv="" if share is None else share),
            cell(len(offer_rows)),
        ]

    target_rows, target_labels, target_needs, target_offers = [], [], [], []
    for target in all_targets:
        if filters.target is not None and target.pk != filters.target.pk:
            continue
        need_rows = [item for item in needs if target.pk in item["targets"]]
        offer_rows = [item for item in offers if target.pk in item["targets"]]
        if not need_rows and not offer_rows:
            continue
        name = term_label(target)
        target_rows.append(row(str(target), figures(need_rows, offer_rows), lang=name["lang"]))
        target_labels.append(pgettext("chart label", "T%(number)s") % {"number": target.number})
        target_needs.append(len(need_rows))
        target_offers.append(len(offer_rows))

    region_rows, region_labels, region_shares = [], [], []
    for continent in geo.continents():
        need_rows = [item for item in needs if geo.in_region(continent, item["countries"], item["regions"])]
        offer_rows = [item for item in offers if geo.in_region(continent, item["countries"], item["regions"])]
        name = term_label(continent)
        region_rows.append(row(name["name"], figures(need_rows, offer_rows), lang=name["lang"]))
        region_labels.append(name["name"])
        matched = sum(1 for item in need_rows if item["type"] == NeedStatus.MATCHED)
        region_shares.append(percent(matched, len(need_rows)) or 0)
    total_matched = sum(1 for item in needs if item["type"] == NeedStatus.MATCHED)
    return {
        "needs_total": len(needs),
        "offers_total": len(offers),
        "share_matched": percent(total_matched, len(needs)),
        "target_table": table(
            "needs-offers-by-target",
            gettext("Needs and offers per GBF target"),
            gettext("GBF target"),
            columns,
            target_rows,
        ),
        "target_chart": chart(
            "needs-offers-by-target-chart",
            gettext("Needs and offers per GBF target (the table below gives the same figures)"),
            target_labels,
            [
                {"label": gettext("Needs"), "data": target_needs, "colour": SERIES_COLOURS[1]},
                {"label": gettext("Offers"), "data": target_offers, "colour": SERIES_COLOURS[2]},
            ],
            axis=gettext("Number of records"),
        ),
        "region_table": table(
            "needs-offers-by-region", gettext("Needs and offers per region"), gettext("Region"), columns, region_rows
        ),
        "region_chart": chart(
            "needs-matched-by-region-chart",
            gettext("Share of needs matched per region (the table below gives the same figures)"),
            region_labels,
            [{"label": gettext("Share of needs matched (%)"), "data": region_shares, "colour": SERIES_COLOURS[0]}],
            percent=True,
            axis=gettext("Share of needs matched (%)"),
        ),
    }
