"""Admin menus for the snippets that works share (categories, contractors); the works on a neighbourhood's page.

Their lists search the names as typed so far (the models' autocomplete field), not named fields:
modelsearch's SQLite backend fails on a search of named fields.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.models import Locale
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from languages.sources import in_locale
from works.filters import filter_works
from works.models import Contractor, PublicWorkPage, WorkCategory, published_works


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


@hooks.register("neighborhood_page_context", order=0)
def add_works(page, request, context):
    """Every published work (the map shows them all) and the list as filtered (``works_filter.works``).

    Each work's ``display_category`` is its category in the reader's language.
    """
    works = list(published_works(page))
    categories = in_locale([work.category for work in works], Locale.get_active())
    for work, category in zip(works, categories, strict=True):
        work.display_category = category
    context["works"] = works
    context["works_filter"] = filter_works(request, works)


@hooks.register("before_copy_page")
def refuse_copying_works(request, page):
    """A copy of a work would repeat its project code, which is unique in each language: say so.

    Copying a neighbourhood with its subpages would copy its works too. The editor is sent back
    with the reason, nothing is copied; a new work is added with "Add child page".
    """
    if request.method != "POST":
        return None
    copies_works = isinstance(page.specific_deferred, PublicWorkPage) or (
        request.POST.get("copy_subpages") and page.get_descendants().type(PublicWorkPage).exists()
    )
    if not copies_works:
        return None
    messages.error(
        request,
        gettext(
            "A public work cannot be copied: its project code would repeat, and each work has its own. "
            "Add a new work to the neighbourhood instead."
        ),
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
