"""Export of a listing's current filter as CSV (streamed), XLSX or JSON, in a bounded number of queries.

The pages are read in chunks: one query for the chunk's ids, one per page type for the specific
pages, one per vocabulary and page type for their codes. At most ``EXPORT_LIMIT`` rows are written.
"""

import csv
import itertools

import tablib
from django.db.models import prefetch_related_objects
from django.http import HttpResponse, StreamingHttpResponse
from wagtail.models import Page

from cms.caching import add_cache_tags
from content_types.base.languages import prime_text_languages

from .resources import VOCABULARIES, ListedPageResource

EXPORT_LIMIT = 10000
CHUNK_SIZE = 500
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection"): CSV and
# XLSX exports prefix it with an apostrophe, so that a spreadsheet shows the text instead of running
# it; the import removes that apostrophe again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"


def neutralised(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return FORMULA_GUARD + value
    return value


def export_chunks(queryset):
    """The specific pages of ``queryset`` (already ordered), ``CHUNK_SIZE`` at a time."""
    ids = list(queryset.values_list("pk", flat=True)[:EXPORT_LIMIT])
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start : start + CHUNK_SIZE]
        by_id = {page.pk: page for page in Page.objects.filter(pk__in=chunk).specific()}
        pages = [by_id[pk] for pk in chunk if pk in by_id]
        for _model, group in itertools.groupby(sorted(pages, key=lambda page: type(page).__name__), key=type):
            group = list(group)
            relations = [relation for relation in VOCABULARIES.values() if hasattr(group[0], relation)]
            if relations:
                prefetch_related_objects(group, *relations)
        yield prime_text_languages(pages)


class _Echo:
    def write(self, value):
        return value


def export_response(request, queryset, feed_format: str, filename: str, tags=()):
    resource = ListedPageResource(request=request)
    headers = resource.get_export_headers()
    add_cache_tags(request, *tags)
    if feed_format == "csv":
        writer = csv.writer(_Echo())

        def rows():
            yield "\ufeff" + writer.writerow(headers)  # the mark tells spreadsheets the file is UTF-8
            for pages in export_chunks(queryset):
                for page in pages:
                    yield writer.writerow([neutralised(value) for value in resource.export_resource(page)])

        response = StreamingHttpResponse(rows(), content_type=FORMATS["csv"])
    else:
        dataset = tablib.Dataset(headers=headers)
        for pages in export_chunks(queryset):
            for page in pages:
                values = resource.export_resource(page)
                dataset.append(values if feed_format == "json" else [neutralised(value) for value in values])
        response = HttpResponse(dataset.export(feed_format), content_type=FORMATS[feed_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{feed_format}"'
    return response
