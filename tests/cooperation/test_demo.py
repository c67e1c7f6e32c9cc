"""On the demo records, every open need shows at least three ranked suggestions with their reasons."""

import pytest
from django.db import transaction

from cms.demo.registry import DemoContext
from content_types.records.demo import build_records
from content_types.records.models import NeedPage
from cooperation.demo import build_suggestions
from cooperation.selectors import suggestions_for_page
from cooperation.suggestions import representatives

pytestmark = pytest.mark.django_db


def silent(iterable, *args, **kwargs):
    return iterable


def test_every_open_demo_need_has_three_ranked_suggestions_with_reasons(index, django_capture_on_commit_callbacks):
    # Two fifths of the demo keep the test short: the same builders and seed as `load_demo`.
    context = DemoContext(progress=silent, scale=0.4)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        build_records(context)  # published: indexed, and suggestions refreshed, when this commits
        build_suggestions(context)
    needs = [need for need in representatives(NeedPage.objects.all()) if need.status == "open"]
    assert len(needs) >= 5
    for need in needs:
        shown = suggestions_for_page(need)
        assert len(shown) >= 3, need.title
        assert [item.score for item in shown] == sorted((item.score for item in shown), reverse=True)
        assert all(item.reasons for item in shown)
    codes = {
        reason["code"] for need in needs for item in suggestions_for_page(need) for reason in item.suggestion.reasons
    }
    assert {"targets", "subjects", "kind", "region", "languages", "text"} <= codes
