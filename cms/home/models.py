"""The page tree's frame: the home page, section pages and plain content pages."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms import page_fragments
from cms.blocks import BodyStreamBlock
from cms.home.routing import route_from
from content_types.base.languages import prime_text_languages
from content_types.base.models import AccessControlledPage

LISTING_PAGE_SIZE = 20


class HomePage(AccessControlledPage, Page):
    """The portal's front page: a welcome, the sections and the latest news."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("One or two sentences that say what this clearing-house is for."),
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        return route_from(self, request, path_components)

    # Parts of the template kept rendered in the cache ({% page_fragment %}, cms.page_fragments): its
    # feeds, sections, body and latest news are the same for every visitor.
    cached_fragments = ("meta", "content", "news")
    fragment_kinds = ("news",)  # the latest news; the sections are its children (any change to them retires all)

    def get_context(self, request, *args, **kwargs):
        from content_types.news.models import NewsArticlePage

        context = super().get_context(request, *args, **kwargs)
        context["page_fragments"] = page_fragments.lookup(self, request, self.cached_fragments)
        if page_fragments.fragments_cached(context):
            return context  # the sections and the news only feed the cached parts
        context["sections"] = prime_text_languages(self.get_children().live().public().in_menu().specific())
        context["latest_news"] = prime_text_languages(
            NewsArticlePage.objects.live().public().filter(locale_id=self.locale_id).order_by("-date", "-pk")[:4]
        )
        return context


class SectionPage(AccessControlledPage, Page):
    """A section of the portal (Records, Events, Networks, Awards, About…) listing what it holds."""

    class Section(models.TextChoices):
        RECORDS = "records", _("Records")
        EVENTS = "events", _("Events")
        NETWORKS = "networks", _("Networks")
        AWARDS = "awards", _("Awards")
        ABOUT = "about", _("About")
        OTHER = "other", _("Other")

    section = models.CharField(_("section"), max_length=20, choices=Section.choices, default=Section.OTHER)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("section"), FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.StandardPage", "home.SectionPage", "awards.AwardCyclePage"]

    class Meta:
        verbose_name = _("section page")

    def empty_message(self) -> str:
        """What the section says while it holds nothing yet, in place of an empty list ("" to say nothing)."""
        if self.section == self.Section.AWARDS:
            return _(
                "No award cycle has been announced yet. Award cycles will be announced on this page: the call "
                "for nominations, the criteria and the deadlines, then the results."
            )
        return ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        children = self.get_children().live().public()
        has_cycles = False
        if self.section == self.Section.AWARDS:
            from content_types.awards.listing import cycles_of_section
            from content_types.awards.models import AwardCyclePage

            context.update(cycles_of_section(self))
            has_cycles = bool(context["current_cycles"] or context["archived_cycles"])
            children = children.not_type(AwardCyclePage)
        context["children"] = paginate(request, children.specific().order_by("title"))
        if not context["children"].object_list and not has_cycles:
            context["empty_message"] = self.empty_message()
        return context


class StandardPage(AccessControlledPage, Page):
    """A plain content page (About, terms of use, contact…)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.SectionPage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


def paginate(request, queryset, per_page: int = LISTING_PAGE_SIZE):
    """A page of ``queryset`` for ``?page=N``; out-of-range numbers give the last page. The
    language of the pages' text is found for the whole page at once (see ``prime_text_languages``)."""
    page = _page_of(request, Paginator(queryset, per_page))
    page.object_list = prime_text_languages(page.object_list)
    return page


def paginate_cards(request, queryset, card_template: str, per_page: int = LISTING_PAGE_SIZE):
    """:func:`paginate` for a list shown with ``{% cached_cards %}``: the page reads its results'
    ids, then their cards in the cache (one read); only the results whose card is missing are
    loaded, the others stay ``CachedCard``s (``cms.page_fragments``)."""
    page = _page_of(request, Paginator(queryset.values_list("pk", flat=True), per_page))
    ids = list(page.object_list)
    found = page_fragments.cached_cards_for(request, card_template, ids)
    missing = [pk for pk in ids if pk not in found]
    loaded = {}
    if missing:
        pages = prime_text_languages(queryset.filter(pk__in=missing).select_related("locale"))
        loaded = {item.pk: item for item in pages}
    page.object_list = [
        page_fragments.CachedCard(pk, found[pk]) if pk in found else loaded[pk]
        for pk in ids
        if pk in found or pk in loaded
    ]
    return page


def _page_of(request, paginator):
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)
