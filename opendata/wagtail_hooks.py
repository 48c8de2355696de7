""" "Print bulletin" for a neighbourhood, from the page listing and the page's header."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button

from neighborhoods.models import NeighborhoodPage


def bulletin_button(page, priority):
    """A link to the printable bulletin of a live neighbourhood page, in the page's own language.

    The bulletin is public, so the button shows only for a live page; it opens in a new tab.
    """
    if not page.live or not issubclass(page.specific_class or type(page), NeighborhoodPage):
        return []
    neighbourhood = page.specific_deferred  # no query: only the route's URL is needed
    url = neighbourhood.get_url()
    if not url:
        return []
    return [
        Button(
            _("Print bulletin"),
            url + neighbourhood.reverse_subpage("bulletin"),
            icon_name="doc-full",
            attrs={"target": "_blank", "rel": "noopener"},
            priority=priority,
        )
    ]


@hooks.register("register_page_listing_more_buttons")
def page_listing_bulletin_button(page, user, next_url=None):
    return bulletin_button(page, priority=7)  # after "View live"


@hooks.register("register_page_header_buttons")
def page_header_bulletin_button(page, user, view_name, next_url=None):
    return bulletin_button(page, priority=67)
