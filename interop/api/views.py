"""``/api/v1/``: records, events, networks, news, vocabularies and the changes feed, read-only.

Every answer has an ETag and (for lists of items) a Last-Modified, and answers a conditional GET with
304; JSON-LD is served to ``Accept: application/ld+json``; errors are problem details.
"""

import hashlib
import json

from django.http import Http404
from django.utils.cache import get_conditional_response, patch_vary_headers, quote_etag
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from cms.problems import PROBLEM_CONTENT_TYPE, ProblemSerializer
from interop.push.authentication import ApiClientAuthentication

from . import selectors
from .kinds import identifier_of
from .models import Tombstone
from .representation import as_jsonld, iso, represented, restricted_collections
from .serializers import (
    ChangePageSerializer,
    ItemPageSerializer,
    ItemSerializer,
    RecordPageSerializer,
    RecordSerializer,
    VocabularySerializer,
)
from .throttling import ApiClientRateThrottle
from .vocabularies import VOCABULARIES, vocabulary_terms


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


def problems(*statuses):
    described = {
        400: "Invalid parameters.",
        401: "A token was sent that is not valid or has been revoked (send none to read anonymously).",
        404: "No such item (or an unknown ?format).",
        406: "The Accept header names no format this API serves.",
        429: "Too many requests; retry after the time in Retry-After.",
    }
    return {
        (status, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=described[status])
        for status in statuses
    }


def _ok(serializer) -> dict:
    """A 200 in JSON (``serializer``) and in JSON-LD (schema.org terms: ``@context`` and ``@graph``
    for a list, one node for an item)."""
    return {
        (200, "application/json"): serializer,
        (200, "application/ld+json"): OpenApiResponse(OpenApiTypes.OBJECT, description="schema.org JSON-LD."),
    }


class InteropAPIView(APIView):
    """What every read endpoint shares: anyone may read, per-client throttling (an API client that
    sends its token is counted as itself, at its own rate), JSON or JSON-LD, and conditional GET."""

    authentication_classes = [ApiClientAuthentication, *api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    permission_classes = [AllowAny]
    throttle_classes = [ApiClientRateThrottle]
    renderer_classes = [JSONRenderer, JSONLDRenderer]

    def wants_jsonld(self, request) -> bool:
        return getattr(request, "accepted_renderer", None) is not None and request.accepted_renderer.format == "jsonld"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept", "Accept-Language"])
        if response.status_code == 404:
            # Django's LocaleMiddleware would redirect a 404 outside the language prefixes to the same
            # address under /en/ (where the pages' catch-all matches it); an API's 404 is the answer.
            request._request.urlconf = "interop.unprefixed_urls"
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or not isinstance(response, Response):
            return response
        payload = json.dumps(response.data, sort_keys=True, default=str, ensure_ascii=False)
        media_type = response.accepted_media_type or ""
        etag = quote_etag(hashlib.sha256(f"{media_type}\n{payload}".encode()).hexdigest()[:32])
        response["ETag"] = etag
        last_modified = getattr(response, "last_modified_at", None)
        timestamp = int(last_modified.timestamp()) if last_modified else None
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        not_modified = get_conditional_response(request._request, etag=etag, last_modified=timestamp, response=response)
        if not_modified is not response:
            patch_vary_headers(not_modified, ["Accept", "Accept-Language"])
        return not_modified


def _code(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        {"type": "array", "items": {"type": "string", "pattern": selectors.CODE_PATTERNS[name]}},
        explode=True,
        description=description + " Repeat for any of several; an unknown code matches nothing.",
    )


def cursor_parameter(pattern: str) -> OpenApiParameter:
    return OpenApiParameter(
        "cursor",
        {"type": "string", "pattern": pattern},
        description="Position after the previous page; take it from the previous answer's next address.",
    )


PAGE_SIZE = OpenApiParameter(
    "page_size",
    {"type": "integer", "minimum": 1, "maximum": selectors.MAX_PAGE_SIZE},
    description=f"1 to {selectors.MAX_PAGE_SIZE} (default {selectors.DEFAULT_PAGE_SIZE}).",
)

LIST_PARAMETERS = [
    _code("country", "Country code (ISO 3166-1 alpha-2)."),
    _code("region", "Region code (UN M49); the countries in it count."),
    _code("target", "GBF target code, e.g. GBF-T3."),
    _code("subject", "Subject code, e.g. SUBJ-IAS."),
    _code("language", "A language the item is available in (ISO 639-1)."),
    OpenApiParameter("modified_since", OpenApiTypes.DATETIME, description="Only items changed at or after (ISO 8601)."),
    OpenApiParameter(
        "q", {"type": "string", "maxLength": 200}, description="Words in the title or summary, or an identifier."
    ),
    OpenApiParameter("lang", OpenApiTypes.STR, enum=selectors.LANGUAGE_CODES, description="Language of the text."),
    PAGE_SIZE,
    cursor_parameter(selectors.RECORD_CURSOR_PATTERN),
]


class ItemListView(InteropAPIView):
    """A cursor-paginated list of one kind's published items, ordered by (modified, id)."""

    kind = "record"

    def get(self, request):
        params = request.query_params
        language = selectors.requested_language(request, "lang")
        size = selectors.page_size(params)
        model = selectors.kind_models()[self.kind]
        warnings: list[str] = []
        latest = selectors.items(model, params, kind=self.kind, warnings=warnings)
        latest = list(selectors.after_cursor(latest, params.get("cursor"))[: size + 1])
        has_next = len(latest) > size
        rows = selectors.originals_of(model, latest[:size])
        restricted = restricted_collections() if self.kind == "record" else set()
        results = represented(self.kind, rows, language, request, restricted)
        next_url = None
        if has_next:
            query = params.copy()
            query["cursor"] = selectors.cursor_after(latest[size - 1])
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        if self.wants_jsonld(request):
            body = {"@context": "https://schema.org", "@graph": [as_jsonld(data) for data in results], "next": next_url}
        else:
            body = {"next": next_url, "results": [_public(data) for data in results], "warnings": warnings}
        response = Response(body)
        response.last_modified_at = max((row.modified for row in rows), default=None)
        return response


class ItemDetailView(InteropAPIView):
    """One item by its identifier, in the language asked for when it is translated into it."""

    kind = "record"

    def get(self, request, identifier: str):
        language = selectors.requested_language(request, "language" if "language" in request.query_params else "lang")
        model = selectors.kind_models()[self.kind]
        originals = selectors.public_originals(model)
        if "\x00" in identifier:
            raise Http404
        if self.kind == "record":
            originals = originals.filter(identifier=identifier[:64])
        else:
            import uuid

            try:
                originals = originals.filter(translation_key=uuid.UUID(identifier[:64]))
            except ValueError as error:
                raise Http404 from error
        rows = list(originals[:1])
        if not rows:
            raise Http404(_("No published item has this identifier."))
        restricted = restricted_collections() if self.kind == "record" else set()
        data = represented(self.kind, rows, language, request, restricted)[0]
        body = {"@context": "https://schema.org", **as_jsonld(data)} if self.wants_jsonld(request) else _public(data)
        response = Response(body)
        response.last_modified_at = rows[0].modified
        return response


def _public(data: dict) -> dict:
    return {key: value for key, value in data.items() if not key.startswith("_")}


def _list_schema(kind: str, serializer):
    return extend_schema(
        operation_id=f"{kind}_list",
        summary=f"Published {kind} items, filtered, by cursor",
        parameters=LIST_PARAMETERS
        + (
            [
                OpenApiParameter(
                    "type",
                    {"type": "array", "items": {"type": "string", "enum": list(selectors.record_type_models())}},
                    explode=True,
                    description="Record type code, e.g. need; repeat for any of several.",
                ),
                OpenApiParameter(
                    "identifier",
                    {
                        "type": "array",
                        "items": {"type": "string", "pattern": selectors.IDENTIFIER_PATTERN},
                        "maxItems": selectors.MAX_PAGE_SIZE,
                    },
                    explode=True,
                    description=f"Record identifiers (up to {selectors.MAX_PAGE_SIZE}): these records only, "
                    "e.g. a harvester fetching a page of changes in one request per language.",
                ),
            ]
            if kind == "record"
            else []
        ),
        responses={**_ok(serializer), **problems(400, 401, 404, 406, 429)},
    )


def _detail_schema(kind: str, serializer):
    return extend_schema(
        operation_id=f"{kind}_detail",
        summary=f"One published {kind} item by identifier",
        parameters=[
            OpenApiParameter("language", OpenApiTypes.STR, enum=selectors.LANGUAGE_CODES, description="Text language."),
            OpenApiParameter("lang", OpenApiTypes.STR, enum=selectors.LANGUAGE_CODES, description="Same as language."),
        ],
        responses={**_ok(serializer), **problems(400, 401, 404, 406, 429)},
    )


def _own(method):
    """A copy of ``method`` for one generated view, so that its schema annotation is its own."""

    def get(self, *args, **kwargs):
        return method(self, *args, **kwargs)

    return get


def list_view(kind: str):
    serializer = RecordPageSerializer if kind == "record" else ItemPageSerializer
    view = type(f"{kind.title()}ListView", (ItemListView,), {"kind": kind, "get": _own(ItemListView.get)})
    view.get = _list_schema(kind, serializer)(view.get)
    return view.as_view()


def detail_view(kind: str):
    serializer = RecordSerializer if kind == "record" else ItemSerializer
    view = type(f"{kind.title()}DetailView", (ItemDetailView,), {"kind": kind, "get": _own(ItemDetailView.get)})
    view.get = _detail_schema(kind, serializer)(view.get)
    return view.as_view()


# --- changes --------------------------------------------------------------------------------------
PAGE, TOMBSTONE = 0, 1


class ChangesView(InteropAPIView):
    """What changed since a time: every published item once (at its latest change), every award cycle
    with published results (at the later of its page's publication and its results') and every
    tombstone, in time order, so that a harvester that keeps the last cursor misses nothing."""

    @extend_schema(
        operation_id="changes",
        summary="Items updated or deleted since a time",
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="Changes after this time (ISO 8601)."),
            cursor_parameter(selectors.CHANGES_CURSOR_PATTERN),
            PAGE_SIZE,
        ],
        responses={200: ChangePageSerializer, **problems(400, 401, 404, 406, 429)},
    )
    def get(self, request):
        from django.db.models import Q

        params = request.query_params
        size = selectors.page_size(params)
        since = selectors.parse_datetime_parameter("since", params["since"]) if params.get("since") else None
        position = None
        if params.get("cursor"):
            position = selectors.decode_cursor(params["cursor"], selectors.CHANGES_CURSOR_PATTERN)

        def window(queryset, field: str, source: int):
            if since is not None:
                queryset = queryset.filter(**{f"{field}__gt": since})
            if position is not None:
                at, from_source, pk = position
                same = Q(pk__gt=pk) if from_source == source else Q() if from_source < source else Q(pk__in=[])
                queryset = queryset.filter(Q(**{f"{field}__gt": at}) | (Q(**{field: at}) & same))
            return queryset.order_by(field, "pk")

        entries = []
        for kind, model in selectors.kind_models().items():
            latest = selectors.latest_pages(selectors.listed_originals(model))
            for page in selectors.originals_of(model, list(window(latest, "modified", PAGE)[: size + 1])):
                entries.append((page.modified, PAGE, page.cursor_pk, kind, page))
        from .awards import published_cycles  # imported here: awards builds on this module's views

        for cycle in window(published_cycles(), "changed", PAGE)[: size + 1]:
            entries.append((cycle.changed, PAGE, cycle.pk, "award", cycle))
        for tombstone in window(Tombstone.objects.all(), "at", TOMBSTONE)[: size + 1]:
            entries.append((tombstone.at, TOMBSTONE, tombstone.pk, tombstone.kind, tombstone))
        entries.sort(key=lambda entry: entry[:3])
        has_next, entries = len(entries) > size, entries[:size]
        results = []
        for at, source, _pk, kind, obj in entries:
            identifier = obj.identifier if source == TOMBSTONE else identifier_of(obj)
            results.append(
                {
                    "identifier": identifier,
                    "kind": kind,
                    "action": "deleted" if source == TOMBSTONE else "updated",
                    "at": iso(at),
                    "url": None if source == TOMBSTONE else _detail_url(request, kind, identifier),
                }
            )
        next_url = None
        if has_next:
            at, source, pk = entries[-1][:3]
            query = params.copy()
            query["cursor"] = f"{selectors.cursor_time(at)}_{source}_{pk}"
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        response = Response({"next": next_url, "results": results})
        response.last_modified_at = entries[-1][0] if entries else None
        return response


def _detail_url(request, kind: str, identifier: str) -> str:
    from django.urls import reverse

    return request.build_absolute_uri(reverse(f"interop-api:{kind}-detail", args=[identifier]))


# --- vocabularies ---------------------------------------------------------------------------------
class VocabularyView(InteropAPIView):
    """A controlled vocabulary: every term's code and its name in the six languages."""

    vocabulary = "targets"

    def get(self, request):
        return Response({"results": vocabulary_terms(self.vocabulary)})


def vocabulary_view(name: str):
    view = type(
        f"{name.title()}VocabularyView", (VocabularyView,), {"vocabulary": name, "get": _own(VocabularyView.get)}
    )
    view.get = extend_schema(
        operation_id=f"vocabulary_{name}",
        summary=f"The {name} vocabulary",
        responses={200: VocabularySerializer, **problems(401, 404, 406, 429)},
    )(view.get)
    return view.as_view()


VOCABULARY_NAMES = list(VOCABULARIES)
