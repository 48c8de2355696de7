"""StreamField blocks shared by every page that has a free-form body."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class LinkBlock(blocks.StructBlock):
    """A link to another website. The address is a URLBlock, so translators never see it."""

    text = blocks.CharBlock(label=_("Link text"), max_length=120)
    url = blocks.URLBlock(label=_("Address"))

    class Meta:
        icon = "link"
        template = "components/blocks/link_block.html"


class BodyBlock(blocks.StreamBlock):
    """What an editor can put in the body of a neighbourhood or news page."""

    heading = blocks.CharBlock(
        label=_("Heading"), max_length=120, form_classname="title", template="components/blocks/heading_block.html"
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul", "document-link"]
    )
    image = ImageBlock(label=_("Image"), template="components/blocks/image_block.html")
    link = LinkBlock(label=_("Link"))
