"""Admin menus for the snippets that works share (categories, contractors); the works on a neighbourhood's page.

Their lists search the names as typed so far (the models' autocomplete field), not named fields:
modelsearch's SQLite backend fails on a search of named fields.
"""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.models import Locale
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from languages.sources import in_locale
from works.filters import filter_works
from works.models import Contractor, WorkCategory, published_works


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
