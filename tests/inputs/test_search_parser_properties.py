"""Property: any text at all, in any parameter, is read into a valid search without raising."""

import json

import pytest
from django.db import connection
from django.http import QueryDict
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from search.backends.database import DatabaseBackend
from search.backends.elasticsearch import build_search
from search.indexing import FACETS
from search.query import MAX_PAGE, parse_search
from search.service import MAX_FILTER_VALUES, MAX_PAGE_SIZE, SORTS, FacetLabels
from search.text import MAX_QUERY_LENGTH, WORD, clean_text

pytestmark = pytest.mark.django_db

PARAMETER_NAMES = ["q", "page", "per_page", "sort", *FACETS]
# Every code point, lone surrogates and NUL included, weighted towards what query parsers choke on.
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=400) | st.text(
    alphabet=st.sampled_from("'\":[](){}*?~^!&|\\/-+<>%\x00 ²١٢٣ a1éж中"), max_size=40
)


@settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=ANY_TEXT, others=st.dictionaries(st.sampled_from(PARAMETER_NAMES), st.lists(ANY_TEXT, max_size=3)))
@example(q="'", others={})
@example(q='"', others={"year": ["²"]})
@example(q="\x00", others={"page": ["\x00"]})
@example(q="[]:\ud800", others={"country": ["\ud800"]})
@example(q="species\ud800 loss", others={})
def test_any_input_yields_a_valid_search(site_pages, q, others):
    params = QueryDict(mutable=True)
    for name, values in others.items():
        params.setlist(name, values)
    params["q"] = q

    parsed = parse_search(params, "en")

    query = parsed.query
    assert isinstance(query.text, str) and len(query.text) <= MAX_QUERY_LENGTH
    assert query.text == clean_text(query.text)  # no control characters, markers or lone surrogates
    assert not query.text or WORD.search(query.text)
    assert 1 <= query.page <= MAX_PAGE and 1 <= query.page_size <= MAX_PAGE_SIZE
    assert query.sort in SORTS
    labels = FacetLabels("en")
    for facet, values in query.filters.items():
        assert facet in FACETS and 0 < len(values) <= MAX_FILTER_VALUES
        assert all(labels.is_known(facet, value) for value in values)
    assert all(isinstance(message, str) and message for message in parsed.messages)
    json.dumps(build_search("chm-pages", query).to_dict())
    if connection.vendor == "postgresql" and query.text:
        DatabaseBackend()._parses(query.text)  # PostgreSQL's parser takes whatever the parser kept
