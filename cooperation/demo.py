"""Demo: the suggestions of every open need, computed once the records and their search index exist.

The demo is loaded in one transaction and the search index is written when it commits; the
suggestions (whose text similarity reads that index) are computed right after, in the same commit.
"""

from django.db import transaction

from cms.demo.registry import register_demo

from .suggestions import refresh_all


@register_demo(order=35, label="Matchmaking suggestions")
def build_suggestions(context):
    transaction.on_commit(lambda: refresh_all(progress=context.progress))
