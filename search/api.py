"""``GET /api/search/``: the search page's results as JSON, described in the OpenAPI schema."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.problems import PROBLEM_CONTENT_TYPE, ProblemSerializer

from .indexing import FACETS
from .query import parse_search
from .service import FACET_LABELS, MAX_PAGE_SIZE, SORTS
from .views import run_search


class HitSerializer(serializers.Serializer):
    page_id = serializers.IntegerField()
    url = serializers.CharField(help_text="Absolute address of the page.")
    title = serializers.CharField(source="plain_title")
    title_html = serializers.CharField(source="title", help_text="Title with matches in <mark>; all else escaped.")
    snippet_html = serializers.CharField(source="snippet", help_text="Excerpt with matches in <mark>; escaped.")
    type = serializers.CharField(source="content_type", help_text="Content type code, e.g. records.needpage.")
    type_label = serializers.CharField()
    identifier = serializers.CharField(allow_blank=True)
    date = serializers.DateField(allow_null=True)
    language = serializers.CharField(help_text="Language of the text (the original's when not translated).")
    is_fallback = serializers.BooleanField(help_text="True when shown in its original language.")


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    count_estimated = serializers.BooleanField(
        source="estimated", help_text="True when the count is an estimate (a search with very many matches)."
    )
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=FACETS)
    label = serializers.CharField()
    options = FacetOptionSerializer(many=True)


class AppliedFilterSerializer(serializers.Serializer):
    facet = serializers.ChoiceField(choices=FACETS)
    facet_label = serializers.CharField()
    value = serializers.CharField()
    label = serializers.CharField()


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField(allow_blank=True)
    language = serializers.CharField()
    sort = serializers.ChoiceField(choices=SORTS)
    total = serializers.IntegerField()
    total_estimated = serializers.BooleanField(
        help_text="True when the total is an estimate, rounded: beyond a few thousand matches the database "
        "search counts a sample of the index."
    )
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = HitSerializer(many=True)
    facets = FacetSerializer(many=True)
    applied_filters = AppliedFilterSerializer(many=True)
    spelling_suggestion = serializers.CharField(allow_blank=True)
    warnings = serializers.ListField(child=serializers.CharField(), help_text="Input that was ignored, and why.")
    notice = serializers.CharField(
        allow_blank=True,
        help_text="Empty, or why the results may be less complete than usual (the search server is down "
        "and a simpler search answered).",
    )


LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]

PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words, an identifier or a vocabulary code (200 characters)."),
    OpenApiParameter("lang", OpenApiTypes.STR, enum=LANGUAGE_CODES, description="Visitor language (default en)."),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=list(SORTS)),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("per_page", OpenApiTypes.INT, description=f"1 to {MAX_PAGE_SIZE} (default 20)."),
    *[
        OpenApiParameter(
            facet,
            OpenApiTypes.STR,
            many=True,
            explode=True,
            description=f"{FACET_LABELS[facet]} code; repeat for OR within the facet (facets combine with AND).",
        )
        for facet in FACETS
    ],
]


class SearchAPIView(APIView):
    """Full-text, faceted search over everything published, in one visitor language."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        operation_id="search",
        summary="Search published records, events, networks and news",
        parameters=PARAMETERS,
        responses={
            200: SearchResponseSerializer,
            (400, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="Invalid parameters."),
        },
    )
    def get(self, request):
        language = request.query_params.get("lang") or settings.LANGUAGE_CODE
        if language not in LANGUAGE_CODES:
            message = _("Unknown language “%(language)s”; use one of %(codes)s.") % {
                "language": language[:20],
                "codes": ", ".join(LANGUAGE_CODES),
            }
            raise ValidationError({"lang": [message]})
        with translation.override(language):
            parsed = parse_search(request.query_params, language)
            results = run_search(parsed)
            for hit in results.hits:
                hit.url = request.build_absolute_uri(hit.url)
            data = {
                "query": parsed.query.text,
                "language": language,
                "sort": parsed.query.sort,
                "total": results.total,
                "total_estimated": results.estimated,
                "page": results.page,
                "page_size": results.page_size,
                "num_pages": results.num_pages,
                "next": self._page_url(request, parsed, results.page + 1) if results.has_next else None,
                "previous": self._page_url(request, parsed, results.page - 1) if results.has_previous else None,
                "results": results.hits,
                "facets": results.facets,
                "applied_filters": results.applied_filters,
                "spelling_suggestion": results.spelling_suggestion,
                "warnings": parsed.messages,
                "notice": results.notice,
            }
            return Response(SearchResponseSerializer(data).data)

    @staticmethod
    def _page_url(request, parsed, page: int) -> str:
        query = parsed.url_with(page=page if page > 1 else None, lang=request.query_params.get("lang"))
        return request.build_absolute_uri(request.path + query)
