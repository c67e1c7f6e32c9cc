"""The kinds of page the open API serves, and the stable identifier of each page."""

from wagtail.models import Page


def kind_models() -> dict:
    """Kind → the page model whose table every page of that kind has (imported late: apps load first)."""
    from content_types.events.models import EventPage
    from content_types.networks.models import NetworkPage
    from content_types.news.models import NewsArticlePage
    from content_types.records.models import RecordPage

    return {"record": RecordPage, "event": EventPage, "network": NetworkPage, "news": NewsArticlePage}


def kind_of(model) -> str | None:
    """The kind of a page model (a record type counts as "record"), or None for pages the API does not serve."""
    if model is None:
        return None
    for kind, base in kind_models().items():
        if issubclass(model, base):
            return kind
    return None


def identifier_of(page: Page) -> str:
    """A record's identifier (the same in every language and on every portal); for other pages, the
    translation key that their translations share."""
    return getattr(page, "identifier", "") or str(page.translation_key)


def stored_identifier(kind: str, page: Page) -> str:
    """The identifier of a page known only as a ``Page`` (its specific row may be going)."""
    if kind == "record":
        from content_types.records.models import RecordPage

        value = RecordPage.objects.filter(pk=page.pk).values_list("identifier", flat=True).first()
        if value:
            return value
    return str(page.translation_key)
