"""Which view restrictions apply to a page served, without the two queries Wagtail makes per request.

On every request for a page Wagtail gathers the ids of the page and of its ancestors (an alias counts as
its original) in one query, then reads the restrictions of those pages in another. Here the ancestors'
part is worked out when the page's route is stored (``cms.home.routing``) and kept with it: the
ancestors of a page and whether they are aliases change only with a move, a change to a page that has
children or a section, each of which replaces the base version (``cms.content_version``) and with it the
stored route. Which pages carry a restriction at all is read once per process and base version: adding,
changing or removing a restriction replaces it too. A page none of whose ids carries a restriction then
costs no query; otherwise its restrictions are read as Wagtail reads them. Without the shared cache (no
way to know when a copy goes stale), or for a page that was not routed through the stored routes (the
admin's privacy settings, copies, aliases), Wagtail's own method answers.

Listings, menus and feeds leave restricted pages out with Wagtail's ``PageQuerySet.public()``, which
reads every restriction for each queryset it filters; :func:`install` has it build the same condition
from the same per-process copy.
"""

import threading

from cms import content_version

ANCESTORS = "_chm_view_restriction_ancestors"  # the attribute of a routed page that holds them

_restricted = threading.local()


def _source(page):
    """The page whose restrictions ``page`` has: itself, or the original of an alias."""
    while page.alias_of_id is not None:
        page = page.alias_of
    return page


def remember_ancestors(page) -> None:
    """Keep on ``page`` the ids its ancestors contribute to its restrictions (one query, as Wagtail's)."""
    page.__dict__[ANCESTORS] = frozenset(_source(ancestor).pk for ancestor in page.get_ancestors().only("alias_of"))
    _source(page)  # an alias's original is kept with it, read once rather than on every request


def carry_ancestors(stale, fresh) -> None:
    """The page read again after its own change keeps its ancestors' part (they did not change)."""
    if ANCESTORS in stale.__dict__:
        fresh.__dict__[ANCESTORS] = stale.__dict__[ANCESTORS]


def restricted_pages() -> dict[int, tuple[str, int]] | None:
    """Every page that carries a view restriction, as ``{id: (path, depth)}``, read once per process and
    base version; None when the shared cache cannot be reached."""
    from wagtail.models import PageViewRestriction

    version = content_version.versions()
    if version is None:
        return None
    if getattr(_restricted, "version", None) != version:
        rows = PageViewRestriction.objects.values_list("page_id", "page__path", "page__depth").order_by()
        _restricted.pages = {page_id: (path, depth) for page_id, path, depth in rows}
        _restricted.version = version
    return _restricted.pages


def install() -> None:
    """Have Wagtail's ``PageQuerySet.private_q`` (behind ``public()`` and ``not_public()``) read the
    restricted pages from this process's copy: the same condition, without a query each time."""
    from django.db.models import Q
    from wagtail.query import PageQuerySet

    wagtails = PageQuerySet.private_q
    if getattr(wagtails, "reads_the_copy", False):
        return

    def private_q(self):
        pages = restricted_pages()
        if pages is None:
            return wagtails(self)
        condition = Q()
        for path, depth in pages.values():  # as ``descendant_of_q(page, inclusive=True)``
            condition |= Q(path__startswith=path) & Q(depth__gte=depth)
        return condition if pages else Q(pk__in=[])  # no restriction: matches no page

    private_q.reads_the_copy = True
    private_q.wagtails = wagtails
    PageQuerySet.private_q = private_q


def applicable_page_ids(page) -> set | None:
    """The ids of the pages whose restrictions apply to ``page`` and that carry one (often none), or
    None when Wagtail's own method must answer."""
    ancestors = page.__dict__.get(ANCESTORS)
    if ancestors is None:
        return None
    restricted = restricted_pages()
    if restricted is None:
        return None
    ids = ancestors & restricted.keys()
    own = page.pk if page.alias_of_id is None else _source(page).pk
    if own in restricted:
        ids = ids | {own}
    return set(ids)
