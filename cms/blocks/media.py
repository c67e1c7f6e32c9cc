"""Media blocks: images that require alternative text, documents, embedded videos."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class AccessibleImageBlock(blocks.StructBlock):
    """An image with mandatory alternative text (WCAG 1.1.1) and an optional caption."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        label = _("Image")
        description = _("An image with alternative text and an optional caption.")
        preview_value = {"alt_text": "A mangrove forest at low tide", "caption": "Mangroves"}


class DocumentLinkBlock(blocks.StructBlock):
    """A link to a document of the library, with its type and size shown."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False, max_length=255)

    class Meta:
        icon = "doc-full"
        template = "blocks/document.html"
        label = _("Document")
        description = _("A downloadable document.")
        preview_value = {"title": "National report (PDF)"}


class EmbedVideoBlock(blocks.StructBlock):
    """A video from an oEmbed provider, with a transcript link for accessibility."""

    video = EmbedBlock(label=_("Video address"))
    transcript_url = blocks.URLBlock(label=_("Transcript address"), required=False)

    class Meta:
        icon = "media"
        template = "blocks/embed.html"
        label = _("Video")
        description = _("An embedded video with an optional transcript.")
        preview_value = {"transcript_url": "https://www.cbd.int/"}
