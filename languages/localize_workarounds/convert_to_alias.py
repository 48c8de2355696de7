""" "Convert to alias" is for those who may publish the page: it changes what the public sees.

The bug (wagtail-localize 1.14.5, ``wagtail_localize.views.convert.convert_to_alias``): the view
checks only ``can_edit()``. Converting a translation back into an alias replaces the page's
content with the Spanish original's and makes it live (``sync_alias`` copies the original's
``live``): a translator, who may edit but not publish, could take a reviewed translation off the
public site, or put a never-published draft translation live. It was also the first step of
the path by which a translator published unreviewed text (convert, then "Translate this page"
again: see ``draft_translations``).

Upstream: no wagtail-localize issue reports this yet (searched 2026); the view came with
https://github.com/wagtail/wagtail-localize/pull/457. File one and link it here.

The fix: ``convert_to_alias`` below refuses (403) anyone without ``can_publish()`` on the page
and hands everyone else to upstream's view unchanged; ``hide_convert_to_alias`` (a
``construct_page_action_menu`` hook) takes the item out of the action menu of those it would
refuse.

How it is hooked in: as ``po_upload``, ``urlpatterns`` repeats upstream's path, registered by
``languages.wagtail_hooks`` before wagtail-localize's.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path

from wagtail.models import Page
from wagtail_localize.views import convert as upstream

MENU_ITEM_NAME = "localize-convert-to-alias"


def convert_to_alias(request, page_id):
    """wagtail-localize's "Convert to alias", for those who may publish the page."""
    page = get_object_or_404(Page, id=page_id, alias_of_id__isnull=True)
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return upstream.convert_to_alias(request, page_id)


def hide_convert_to_alias(menu_items, request, context):
    """``construct_page_action_menu``: no "Convert to alias" for whom the view would refuse."""
    page = context.get("page")
    if page is None or page.pk is None or page.permissions_for_user(request.user).can_publish():
        return
    menu_items[:] = [item for item in menu_items if getattr(item, "name", None) != MENU_ITEM_NAME]


# Shadows wagtail-localize's "wagtail_localize:convert_to_alias" (see the module docstring).
urlpatterns = [
    path("localize/page/<int:page_id>/convert_to_alias/", convert_to_alias),
]
