"""The shared block library. Domain apps compose their own StreamBlocks from these families."""

from .links import CallToActionBlock, LinkBlock, LinkListBlock
from .media import AccessibleImageBlock, DocumentLinkBlock, EmbedVideoBlock
from .streams import BodyStreamBlock
from .text import HeadingBlock, QuoteBlock, RichParagraphBlock

__all__ = [
    "AccessibleImageBlock",
    "BodyStreamBlock",
    "CallToActionBlock",
    "DocumentLinkBlock",
    "EmbedVideoBlock",
    "HeadingBlock",
    "LinkBlock",
    "LinkListBlock",
    "QuoteBlock",
    "RichParagraphBlock",
]
