"""The public search page and its suggestions endpoint (cached for anonymous visitors by ``cms.caching``)."""

import dataclasses

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms.caching import cache_tags
from cms.frontend_purge import SEARCH
from content_types.base.codes import legacy_redirect

from . import registry
from .query import ParsedSearch, parse_search
from .service import SearchResults, SearchService
from .text import clean_text

FACET_VISIBLE_OPTIONS = 8
PAGE_LINKS_AROUND = 2


def run_search(parsed: ParsedSearch, service: SearchService | None = None) -> SearchResults:
    """Search; a page number past the end gives the last page, with a message."""
    service = service or SearchService()
    results = service.search(parsed.query)
    if results.total and parsed.query.page > results.num_pages:
        asked = parsed.query.page
        parsed.query = dataclasses.replace(parsed.query, page=results.num_pages)
        parsed.params["page"] = [str(results.num_pages)] if results.num_pages > 1 else []
        parsed.messages.append(
            _("There is no page %(page)d: the results end at page %(last)d, shown here.")
            % {"page": asked, "last": results.num_pages}
        )
        results = service.search(parsed.query)
    return results


def relaxations(parsed: ParsedSearch, results: SearchResults, service: SearchService) -> list[dict]:
    """For a search without results: each active filter with the link that removes it and what that gives."""
    relaxed = []
    for applied in results.applied_filters:
        filters = {
            name: [value for value in values if not (name == applied.facet and value == applied.value)]
            for name, values in parsed.query.filters.items()
        }
        count = service.count(dataclasses.replace(parsed.query, filters=filters, page=1))
        relaxed.append(
            {"filter": applied, "count": count, "url": parsed.url_with(remove=(applied.facet, applied.value))}
        )
    return relaxed


def page_links(parsed: ParsedSearch, results: SearchResults) -> list[dict]:
    """Page numbers around the current one (and the first and last), with their addresses."""
    numbers = {1, results.num_pages}
    numbers.update(
        range(max(1, results.page - PAGE_LINKS_AROUND), min(results.num_pages, results.page + PAGE_LINKS_AROUND) + 1)
    )
    links, previous = [], 0
    for number in sorted(numbers):
        if number - previous > 1:
            links.append({"gap": True})
        links.append(
            {
                "number": number,
                "url": parsed.url_with(page=number if number > 1 else None),
                "current": number == results.page,
            }
        )
        previous = number
    return links


def facet_views(parsed: ParsedSearch, results: SearchResults) -> list[dict]:
    views = []
    for facet in results.facets:
        if not facet.options:
            continue
        options = [
            {
                "option": option,
                "url": parsed.url_with(remove=(facet.name, option.value))
                if option.selected
                else parsed.url_with(add=(facet.name, option.value)),
            }
            for option in facet.options
        ]
        selected_first = [item for item in options if item["option"].selected] + [
            item for item in options if not item["option"].selected
        ]
        views.append(
            {
                "facet": facet,
                "visible": selected_first[:FACET_VISIBLE_OPTIONS],
                "more": selected_first[FACET_VISIBLE_OPTIONS:],
            }
        )
    return views


@require_GET
@cache_tags(SEARCH)
def search_page(request):
    redirect = legacy_redirect(request, registry.type_aliases())
    if redirect:
        return redirect
    language = get_language()
    parsed = parse_search(request.GET, language)
    service = SearchService()
    searched = bool(parsed.query.text or parsed.query.filters)
    results = run_search(parsed, service)
    context = {
        "parsed": parsed,
        "query": parsed.query,
        "results": results,
        "searched": searched,
        "facets": facet_views(parsed, results),
        "chips": [
            {"filter": applied, "url": parsed.url_with(remove=(applied.facet, applied.value))}
            for applied in results.applied_filters
        ],
        "clear_url": parsed.url_with(**{name: None for name in parsed.params if name not in ("q", "sort")}),
        "sort_links": [
            {"value": value, "label": label, "url": parsed.url_with(sort=None if value == "relevance" else value)}
            for value, label in (("relevance", _("Relevance")), ("date", _("Date (newest first)")))
        ],
        "page_links": page_links(parsed, results) if results.num_pages > 1 else [],
        "previous_url": parsed.url_with(page=results.page - 1 if results.page > 2 else None)
        if results.has_previous
        else "",
        "next_url": parsed.url_with(page=results.page + 1) if results.has_next else "",
        "relaxations": relaxations(parsed, results, service) if not results.total else [],
        "spelling_url": parsed.url_with(q=results.spelling_suggestion) if results.spelling_suggestion else "",
    }
    return render(request, "search/search.html", context)


@require_GET
@cache_tags(SEARCH)
def suggest(request):
    """Titles that complete what the visitor is typing, in the visitor's language (JSON)."""
    prefix = clean_text(request.GET.get("q", ""))[:100]
    suggestions = SearchService().suggest(prefix, get_language()) if len(prefix) >= 2 else []
    return JsonResponse({"query": prefix, "suggestions": suggestions})
