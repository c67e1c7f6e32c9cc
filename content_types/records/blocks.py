"""Blocks of records: the body composed from the shared library, and indicator values of reports."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from cms.blocks import (
    AccessibleImageBlock,
    DocumentLinkBlock,
    EmbedVideoBlock,
    HeadingBlock,
    LinkListBlock,
    QuoteBlock,
    RichParagraphBlock,
)


class RecordBodyBlock(blocks.StreamBlock):
    """A record's free text: the library's text, media and link blocks (no calls to action)."""

    heading = HeadingBlock()
    paragraph = RichParagraphBlock()
    image = AccessibleImageBlock()
    quote = QuoteBlock()
    document = DocumentLinkBlock()
    video = EmbedVideoBlock()
    links = LinkListBlock()

    class Meta:
        label = _("Body")


class IndicatorValueBlock(blocks.StructBlock):
    """One value of a GBF headline, component or national indicator for a year."""

    indicator = blocks.CharBlock(label=_("Indicator"), max_length=255, help_text=_("e.g. A.1 Red List of Ecosystems"))
    value = blocks.DecimalBlock(label=_("Value"))
    unit = blocks.CharBlock(label=_("Unit"), max_length=50, required=False, help_text=_("e.g. %, km², number"))
    year = blocks.IntegerBlock(label=_("Year"), min_value=1900, max_value=2100)

    class Meta:
        icon = "table"
        template = "records/blocks/indicator_value.html"
        label = _("Indicator value")
        description = _("A measured value of an indicator in a given year.")
        preview_value = {"indicator": "A.1 Red List of Ecosystems", "value": "0.82", "unit": "", "year": 2025}


class IndicatorStreamBlock(blocks.StreamBlock):
    """The indicator values of one section of a national report."""

    indicator_value = IndicatorValueBlock()

    class Meta:
        label = _("Indicator values")
