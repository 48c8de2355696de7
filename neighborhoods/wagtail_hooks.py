"""Admin menus for the snippets that works share: categories and contractors.

Their lists search the names as typed so far (the models' autocomplete field), not named fields:
modelsearch's SQLite backend fails on a search of named fields.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from neighborhoods.models import Contractor, WorkCategory


class WorkCategoryViewSet(SnippetViewSet):
    model = WorkCategory
    icon = "tag"
    list_display = ["name", "code", "locale"]


class ContractorViewSet(SnippetViewSet):
    model = Contractor
    icon = "group"
    list_display = ["name", "tax_id", "locale"]


class WorksViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Works")
    menu_icon = "site"
    items = (WorkCategoryViewSet, ContractorViewSet)


register_snippet(WorksViewSetGroup)


# --- Budget lines and spreadsheet imports (see neighborhoods.views) --------------------------

from django.urls import path, reverse  # noqa: E402
from wagtail import hooks  # noqa: E402
from wagtail.admin.menu import MenuItem  # noqa: E402

from neighborhoods.views import imports as import_views  # noqa: E402
from neighborhoods.views.budget import BudgetLineViewSet  # noqa: E402


@hooks.register("register_admin_viewset")
def register_budget_line_viewset():
    return BudgetLineViewSet()


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("importar/", import_views.upload, name="neighborhoods_import"),
        path("importar/confirmar/", import_views.confirm, name="neighborhoods_import_confirm"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return import_views.may_import(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import spreadsheets"), reverse("neighborhoods_import"), icon_name="upload", order=260
    )


# --- "Print bulletin" for a neighbourhood, from the page listing and the page's header ------

from wagtail.admin.widgets import Button  # noqa: E402

from neighborhoods.models import NeighborhoodPage  # noqa: E402


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


# --- Participation: who sees submissions, assisted submissions (see participation_hooks) ------

from neighborhoods import participation_hooks  # noqa: E402, F401
