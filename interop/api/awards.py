"""``/api/v1/awards/``: the published results of award cycles — winners per category with their
prizes, the criteria with their weights, the jury — and nothing of a cycle whose results are not
published. The committee's work (nominations, individual members' scores, conflicts, visits) lives in
``workflows.awards`` and is never read here.

A cycle is one identifier (its translation key) in every language; names of categories and criteria
come from the cycle's translation in the language asked for, when it has one.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.db.models.functions import Greatest
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from wagtail.models import Locale, Page

from content_types.awards.models import PRIZE_ORDER, AwardCyclePage, AwardEntry, AwardResult, Prize
from content_types.base.languages import page_text_language
from content_types.vocabularies.models import language_column

from . import selectors
from .representation import iso, jsonld_node
from .serializers import AwardCyclePageSerializer, AwardCycleSerializer
from .views import PAGE_SIZE, InteropAPIView, _ok, cursor_parameter, problems

# --- reads ------------------------------------------------------------------------------------------


def published_cycles():
    """The public original of every cycle whose results are published, ``modified`` being the later of
    the cycle's latest publication and its results' publication."""
    results = AwardResult.objects.filter(
        is_published=True, published_at__isnull=False, cycle__translation_key=OuterRef("translation_key")
    )
    return (
        selectors.public_originals(AwardCyclePage)
        .filter(Exists(results))
        .annotate(changed=Greatest("modified", Subquery(results.order_by("pk").values("published_at")[:1])))
    )


@dataclass
class CycleResults:
    original: AwardCyclePage
    text: AwardCyclePage
    result: AwardResult
    translations: dict
    modified: datetime


def resolve_cycles(originals: list, language: str, request) -> list[CycleResults]:
    """The cycles' results in ``language``, in a number of queries that does not grow with the cycles,
    their categories, entries or jury."""
    if not originals:
        return []
    keys = [cycle.translation_key for cycle in originals]
    locale = Locale.objects.filter(language_code=language).first()
    addresses: dict = {}
    texts: dict = {}
    for page in Page.objects.live().public().filter(translation_key__in=keys).select_related("locale"):
        addresses.setdefault(page.translation_key, {})[page.locale.language_code] = page.get_full_url(request)
        if locale and page.locale_id == locale.pk and not page.alias_of_id:
            texts[page.translation_key] = page.pk
    wanted = {cycle.pk for cycle in originals} | set(texts.values())
    pages = {
        page.pk: page
        for page in AwardCyclePage.objects.filter(pk__in=wanted)
        .select_related("locale")
        .prefetch_related("categories", "criteria")
    }
    results = {
        result.cycle.translation_key: result
        for result in AwardResult.objects.filter(cycle__translation_key__in=keys, is_published=True)
        .select_related("cycle")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=AwardEntry.objects.exclude(prize="").select_related("country", "category"),
            ),
            Prefetch("jury__country"),
        )
        .order_by("-pk")  # the first result of a group (the one its pages show) wins below
    }
    return [
        CycleResults(
            original=pages[cycle.pk],
            text=pages.get(texts.get(cycle.translation_key), pages[cycle.pk]),
            result=results[cycle.translation_key],
            translations=dict(sorted(addresses.get(cycle.translation_key, {}).items())),
            modified=cycle.changed,
        )
        for cycle in originals
    ]


# --- representation ---------------------------------------------------------------------------------
def _number(value) -> str | None:
    return None if value is None else str(value)


def represent_cycle(cycle: CycleResults, language: str, request) -> dict:
    original, text, result = cycle.original, cycle.text, cycle.result
    column = language_column(language)
    categories = list(text.categories.all())
    criteria = list(text.criteria.all())
    by_key: dict = {category.translation_key: [] for category in categories}
    for entry in result.entries.all():
        if entry.category_id and entry.category.translation_key in by_key:
            by_key[entry.category.translation_key].append(entry)
    prize_labels = dict(Prize.choices)
    return {
        "identifier": str(original.translation_key),
        "url": original.get_full_url(request),
        "results_url": text.get_full_url(request).rstrip("/") + "/results/",
        "language": original.locale.language_code,
        "text_language": page_text_language(text) or text.locale.language_code,
        "title": text.title,
        "meeting": text.meeting,
        "translations": cycle.translations,
        "call_opens": iso(original.call_opens),
        "nomination_deadline": iso(original.nomination_deadline),
        "evaluation_deadline": iso(original.evaluation_deadline),
        "announcement": iso(original.announcement),
        "results_published_at": iso(result.published_at),
        "justification": result.justification,
        "justification_language": result.justification_language,
        "categories": [
            {
                "name": category.name,
                "description": category.description,
                "prizes": {prize: count for prize, _label, count in category.prizes()},
                "winners": [
                    {
                        "country": entry.country.code,
                        "country_name": entry.country.name_in(column),
                        "prize": entry.prize,
                        "prize_label": str(prize_labels[entry.prize]),
                        "rank": entry.rank,
                        "total": _number(entry.total),
                        "national_chm_url": entry.national_chm_url or None,
                    }
                    for entry in sorted(
                        by_key[category.translation_key], key=lambda entry: (PRIZE_ORDER[entry.prize], entry.rank or 0)
                    )
                ],
            }
            for category in categories
        ],
        "criteria": [
            {
                "name": criterion.name,
                "description": criterion.description,
                "weight": _number(criterion.weight),
                "scale_min": criterion.scale_min,
                "scale_max": criterion.scale_max,
                "in_total": not criterion.independent,
            }
            for criterion in criteria
        ],
        "jury": [
            {
                "name": member.name,
                "country": member.country.code if member.country_id else None,
                "chair": member.is_chair,
            }
            for member in result.jury.all()
        ],
        "modified": iso(cycle.modified),
    }


def as_jsonld(data: dict) -> dict:
    """A cycle's published results in schema.org terms: the cycle as an ``Event`` (announced at its
    meeting), each winner as the national CHM of its country with its ``award``, the jury as the
    event's contributors."""
    node = jsonld_node(data, "Event")
    node["subjectOf"] = {"@type": "WebPage", "url": data["results_url"], "datePublished": data["results_published_at"]}
    if data.get("call_opens"):
        node["startDate"] = data["call_opens"]
    if data.get("announcement"):
        node["endDate"] = data["announcement"]
    if data.get("meeting"):
        node["superEvent"] = {"@type": "Event", "name": data["meeting"]}
    node["about"] = [
        {
            "@type": "Organization",
            **({"url": winner["national_chm_url"]} if winner["national_chm_url"] else {}),
            "name": winner["country_name"],
            "address": {"@type": "PostalAddress", "addressCountry": winner["country"]},
            "award": f"{category['name']}: {winner['prize_label']}",
        }
        for category in data["categories"]
        for winner in category["winners"]
    ]
    node["contributor"] = [
        {
            "@type": "Person",
            "name": member["name"],
            **({"nationality": {"@type": "Country", "identifier": member["country"]}} if member["country"] else {}),
        }
        for member in data["jury"]
    ]
    node["workTranslation"] = [
        {"@id": url, "inLanguage": code} for code, url in data["translations"].items() if url and url != data["url"]
    ]
    return node


# --- views ------------------------------------------------------------------------------------------
LANGUAGE = OpenApiParameter(
    "lang", {"type": "string", "enum": selectors.LANGUAGE_CODES}, description="Language of the names."
)


class AwardListView(InteropAPIView):
    """Award cycles whose results are published, by cursor, ordered by (modified, id); JSON-LD to
    ``Accept: application/ld+json`` as for records."""

    @extend_schema(
        operation_id="award_list",
        summary="Award cycles with published results, by cursor",
        parameters=[LANGUAGE, PAGE_SIZE, cursor_parameter(selectors.RECORD_CURSOR_PATTERN)],
        responses={**_ok(AwardCyclePageSerializer), **problems(400, 401, 404, 406, 429)},
    )
    def get(self, request):
        params = request.query_params
        language = selectors.requested_language(request, "lang")
        size = selectors.page_size(params)
        rows = list(selectors.after_cursor(published_cycles(), params.get("cursor"), field="changed")[: size + 1])
        has_next, rows = len(rows) > size, rows[:size]
        cycles = resolve_cycles(rows, language, request)
        next_url = None
        if has_next:
            query = params.copy()
            query["cursor"] = selectors.cursor_after(rows[-1], field="changed")
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        results = [represent_cycle(cycle, language, request) for cycle in cycles]
        if self.wants_jsonld(request):
            body = {"@context": "https://schema.org", "@graph": [as_jsonld(data) for data in results], "next": next_url}
        else:
            body = {"next": next_url, "results": results}
        response = Response(body)
        response.last_modified_at = max((cycle.modified for cycle in cycles), default=None)
        return response


class AwardDetailView(InteropAPIView):
    """One cycle's published results; a cycle whose results are not published is not found."""

    @extend_schema(
        operation_id="award_detail",
        summary="One award cycle's published results",
        parameters=[LANGUAGE],
        responses={**_ok(AwardCycleSerializer), **problems(400, 401, 404, 406, 429)},
    )
    def get(self, request, identifier: str):
        language = selectors.requested_language(request, "lang")
        try:
            key = uuid.UUID(identifier[:64])
        except ValueError as error:
            raise Http404(_("No award cycle with published results has this identifier.")) from error
        rows = list(published_cycles().filter(translation_key=key)[:1])
        if not rows:
            raise Http404(_("No award cycle with published results has this identifier."))
        cycle = resolve_cycles(rows, language, request)[0]
        data = represent_cycle(cycle, language, request)
        if self.wants_jsonld(request):
            data = {"@context": "https://schema.org", **as_jsonld(data)}
        response = Response(data)
        response.last_modified_at = cycle.modified
        return response
