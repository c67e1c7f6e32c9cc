"""Link blocks: a single link, a list of links, a call to action."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError


class LinkBlock(blocks.StructBlock):
    """A link to a page of the portal or to an outside address (exactly one of them)."""

    text = blocks.CharBlock(label=_("Text"), max_length=120)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Outside address"), required=False)

    class Meta:
        icon = "link"
        template = "blocks/link.html"
        label = _("Link")
        description = _("A link to a page or an outside address.")
        preview_value = {"text": "Convention on Biological Diversity", "url": "https://www.cbd.int/"}

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choose a page or type an address, not both."))}
            )
        return value


class LinkListBlock(blocks.StructBlock):
    """A titled list of links."""

    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    links = blocks.ListBlock(LinkBlock(), label=_("Links"))

    class Meta:
        icon = "list-ul"
        template = "blocks/link_list.html"
        label = _("List of links")
        description = _("A titled list of links.")
        preview_value = {"title": "Partners", "links": []}


class CallToActionBlock(blocks.StructBlock):
    """A short text and one prominent button."""

    text = blocks.TextBlock(label=_("Text"))
    link = LinkBlock(label=_("Button"))

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action.html"
        label = _("Call to action")
        description = _("A short text and a prominent button.")
        preview_value = {
            "text": "Submit your national report.",
            "link": {"text": "Submit", "url": "https://www.cbd.int/"},
        }
