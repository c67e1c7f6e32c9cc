"""Text blocks: headings that keep the page outline in order, paragraphs and quotations."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4", "superscript", "subscript"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; level 2 or 3 only, so the page title stays the single h1."""

    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"), choices=[("h2", _("Section (h2)")), ("h3", _("Sub-section (h3)"))], default="h2"
    )

    class Meta:
        icon = "title"
        template = "blocks/heading.html"
        label = _("Heading")
        description = _("A heading that structures the page for readers and screen readers.")
        preview_value = {"text": "Why invasive species matter", "level": "h2"}


class RichParagraphBlock(blocks.RichTextBlock):
    """Formatted text with links and lists; no arbitrary HTML."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph.html"
        label = _("Paragraph")
        description = _("Formatted text with links, lists and sub-headings.")
        preview_value = "<p>The national clearing-house shares <b>information</b> on biodiversity.</p>"


class QuoteBlock(blocks.StructBlock):
    """A quotation with its source."""

    quote = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Source"), required=False, max_length=255)

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"
        label = _("Quotation")
        description = _("A quotation with its source.")
        preview_value = {"quote": "Biodiversity is life.", "attribution": "CBD Secretariat"}
