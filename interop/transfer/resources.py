"""What an export of a listing holds: the fields a visitor sees on the public pages, by code.

Column names are stable codes (the same names as the API's), so a file can be read by a program
whatever the language of the listing it came from.
"""

from import_export import resources
from import_export.fields import Field

from content_types.base.codes import page_type_code
from content_types.base.languages import locale_code, page_text_language

VOCABULARIES = {
    "countries": "countries",
    "regions": "regions",
    "targets": "gbf_targets",
    "subjects": "subjects",
    "languages": "languages",
}
SEPARATOR = ";"


class ListedPageResource(resources.Resource):
    """One row per page of a listing (records, events, networks or news)."""

    identifier = Field(column_name="identifier")
    type = Field(column_name="type")
    title = Field(column_name="title")
    url = Field(column_name="url")
    language = Field(column_name="language")
    text_language = Field(column_name="text_language")
    summary = Field(column_name="summary")
    countries = Field(column_name="countries")
    regions = Field(column_name="regions")
    targets = Field(column_name="targets")
    subjects = Field(column_name="subjects")
    languages = Field(column_name="languages")
    first_published_at = Field(column_name="first_published_at")
    modified = Field(column_name="modified")

    class Meta:
        export_order = (
            "identifier",
            "type",
            "title",
            "url",
            "language",
            "text_language",
            "summary",
            "countries",
            "regions",
            "targets",
            "subjects",
            "languages",
            "first_published_at",
            "modified",
        )

    def __init__(self, request=None, **kwargs):
        super().__init__(**kwargs)
        self.request = request

    def dehydrate_identifier(self, page):
        return getattr(page, "identifier", "") or ""

    def dehydrate_type(self, page):
        return getattr(page, "event_type", "") or getattr(page, "kind", "") or page_type_code(type(page))

    def dehydrate_title(self, page):
        return page.title

    def dehydrate_url(self, page):
        return page.get_full_url(self.request)

    def dehydrate_language(self, page):
        return locale_code(page.locale_id)

    def dehydrate_text_language(self, page):
        return page_text_language(page) or ""

    def dehydrate_summary(self, page):
        return getattr(page, "summary", "") or ""

    def _codes(self, page, column):
        relation = VOCABULARIES[column]
        if not hasattr(page, relation):
            return ""
        return SEPARATOR.join(sorted(term.code for term in getattr(page, relation).all()))

    def dehydrate_countries(self, page):
        return self._codes(page, "countries")

    def dehydrate_regions(self, page):
        return self._codes(page, "regions")

    def dehydrate_targets(self, page):
        return self._codes(page, "targets")

    def dehydrate_subjects(self, page):
        return self._codes(page, "subjects")

    def dehydrate_languages(self, page):
        return self._codes(page, "languages")

    def dehydrate_first_published_at(self, page):
        return page.first_published_at.isoformat() if page.first_published_at else ""

    def dehydrate_modified(self, page):
        moment = page.last_published_at or page.first_published_at
        return moment.isoformat() if moment else ""
