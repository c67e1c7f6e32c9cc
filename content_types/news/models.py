"""News: announcements by the secretariat or the national CHM team."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BodyStreamBlock
from cms.home.models import paginate_cards
from content_types.base.models import AccessControlledPage
from interop.feeds.routes import SectionFeedsMixin
from interop.transfer.routes import ListingExportMixin

#: An article's card in the news listing (``news_index_page.html`` shows it with ``{% cached_cards %}``).
NEWS_CARD_TEMPLATE = "news/includes/news_card.html"


class NewsIndexPage(ListingExportMixin, SectionFeedsMixin, AccessControlledPage, Page):
    """The News section: articles, newest first."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")

    feed_order = ("-date", "-first_published_at", "-pk")

    def feed_queryset(self, request, listing):
        return NewsArticlePage.objects.child_of(self).live().public()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = NewsArticlePage.objects.child_of(self).live().public().order_by("-date", "-pk")
        context["articles"] = paginate_cards(request, articles, NEWS_CARD_TEMPLATE)
        return context


class NewsArticlePage(AccessControlledPage, Page):
    """A dated news article."""

    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("Shown in listings and feeds; 400 characters at most.")
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
