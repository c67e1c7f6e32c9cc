"""Reading a search from a query string, for the page and the API alike.

Everything a visitor can set lives in the query string (shareable URLs). Bad input never fails the
request: each problem becomes a message that says what was done instead, and the rest applies.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from content_types.base.codes import unknown_code_message

from . import registry
from .indexing import FACETS
from .service import DEFAULT_PAGE_SIZE, FACET_LABELS, MAX_FILTER_VALUES, MAX_PAGE_SIZE, SORTS, FacetLabels, SearchQuery
from .text import MAX_QUERY_LENGTH, WORD, clean_text

MAX_CODE_LENGTH = 100
MAX_PAGE = 500  # deeper pages are refused: nobody reads them, and they cost the most


@dataclass
class ParsedSearch:
    query: SearchQuery
    messages: list[str] = field(default_factory=list)
    params: dict[str, list[str]] = field(default_factory=dict)

    def url_with(self, *, add: tuple[str, str] | None = None, remove: tuple[str, str | None] | None = None, **set_):
        """The query string of this search changed as asked, back on page 1 unless ``page`` is given."""
        params = {name: list(values) for name, values in self.params.items() if name != "page"}
        if add:
            name, value = add
            params.setdefault(name, [])
            if value not in params[name]:
                params[name].append(value)
        if remove:
            name, value = remove
            params[name] = [item for item in params.get(name, []) if value is not None and item != value]
        for name, value in set_.items():
            params[name] = [] if value in (None, "") else [str(value)]
        pairs = [(name, value) for name, values in params.items() for value in values if value != ""]
        return "?" + urlencode(pairs)


def parse_search(params, language: str, *, page_size: int | None = None) -> ParsedSearch:
    """A :class:`SearchQuery` from ``params`` (a QueryDict), with a message for each thing ignored."""
    messages: list[str] = []
    kept: dict[str, list[str]] = {}

    text = clean_text(params.get("q", ""))
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rstrip()
        messages.append(
            _("Your search was longer than %(max)d characters: only the first %(max)d were used.")
            % {"max": MAX_QUERY_LENGTH}
        )
    if text and not WORD.search(text):
        # Only punctuation or symbols (', ", :, []): nothing a search can look for.
        messages.append(_("“%(text)s” has no letters or digits to search for; it was ignored.") % {"text": text[:40]})
        text = ""
    if text:
        kept["q"] = [text]

    labels = FacetLabels(language)
    filters: dict[str, list[str]] = {}
    for facet in FACETS:
        values = [clean_text(value) for value in params.getlist(facet) if clean_text(value)]
        if facet == "type":  # older addresses and API clients name types by model label
            values = [registry.type_aliases().get(value, value) for value in values]
        accepted = []
        for value in values:
            if len(accepted) >= MAX_FILTER_VALUES:
                messages.append(
                    _("Only %(max)d values of “%(facet)s” can be combined; the others were ignored.")
                    % {"max": MAX_FILTER_VALUES, "facet": FACET_LABELS[facet]}
                )
                break
            if len(value) > MAX_CODE_LENGTH or not labels.is_known(facet, value):
                messages.append(unknown_code_message(FACET_LABELS[facet], value))
                continue
            if value not in accepted:
                accepted.append(value)
        if accepted:
            filters[facet] = accepted
            kept[facet] = accepted

    sort = params.get("sort") or "relevance"
    if sort not in SORTS:
        messages.append(_("“%(sort)s” is not a way to sort; results are sorted by relevance.") % {"sort": sort[:40]})
        sort = "relevance"
    if sort != "relevance":
        kept["sort"] = [sort]

    size = page_size or DEFAULT_PAGE_SIZE
    if page_size is None and params.get("per_page"):
        size = _positive_int(params.get("per_page"))
        if size is None or size > MAX_PAGE_SIZE:
            messages.append(
                _("“per_page” must be a number from 1 to %(max)d; %(default)d results per page are shown.")
                % {"max": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE}
            )
            size = DEFAULT_PAGE_SIZE
        else:
            kept["per_page"] = [str(size)]

    page = 1
    if params.get("page"):
        page = _positive_int(params.get("page"))
        if page is None:
            messages.append(
                _("“%(page)s” is not a page number; the first page is shown.") % {"page": params["page"][:20]}
            )
            page = 1
        elif page > MAX_PAGE:
            messages.append(
                _("Results stop at page %(max)d; refine your search to see what is further.") % {"max": MAX_PAGE}
            )
            page = MAX_PAGE
        if page > 1:
            kept["page"] = [str(page)]

    query = SearchQuery(text=text, filters=filters, sort=sort, page=page, page_size=size, language=language)
    return ParsedSearch(query=query, messages=messages, params=kept)


def _positive_int(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= 1 else None
