"""Admin menus for the snippets that works share: categories and contractors."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from neighborhoods.models import Contractor, WorkCategory


class WorkCategoryViewSet(SnippetViewSet):
    model = WorkCategory
    icon = "tag"
    list_display = ["name", "code", "locale"]
    search_fields = ["name"]


class ContractorViewSet(SnippetViewSet):
    model = Contractor
    icon = "group"
    list_display = ["name", "tax_id", "locale"]
    search_fields = ["name"]


class WorksViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Works")
    menu_icon = "site"
    items = (WorkCategoryViewSet, ContractorViewSet)


register_snippet(WorksViewSetGroup)
