"""StreamBlocks composed from the library. Domain apps may compose their own the same way."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .links import CallToActionBlock, LinkListBlock
from .media import AccessibleImageBlock, DocumentLinkBlock, EmbedVideoBlock
from .text import HeadingBlock, QuoteBlock, RichParagraphBlock


class BodyStreamBlock(blocks.StreamBlock):
    """The general page body: text, media and links."""

    heading = HeadingBlock()
    paragraph = RichParagraphBlock()
    image = AccessibleImageBlock()
    quote = QuoteBlock()
    document = DocumentLinkBlock()
    video = EmbedVideoBlock()
    links = LinkListBlock()
    call_to_action = CallToActionBlock()

    class Meta:
        label = _("Body")
