"""The admin's "Budget lines" screens: each area team sees and edits only its own lines.

A ``ModelViewSet`` whose every view asks ``BudgetLinePermissionPolicy`` (see
``budgets.permissions``) which lines the user may touch: the listing shows only
those, another area's line is refused in the edit, delete, copy, history and usage views, and the
form offers only the user's own Spanish areas, categories and works.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Locale, Page

import django_filters

from budgets.models import BudgetLine
from budgets.permissions import area_pages_for_user, budget_line_policy
from neighborhoods.models import NeighborhoodPage, SubmunicipalityPage
from works.models import PublicWorkPage, WorkCategory


def spanish():
    return Locale.get_default()


class AreaChoiceField(forms.ModelChoiceField):
    """Areas listed as "Submunicipality" and "Submunicipality › Neighbourhood", in tree order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._submunicipalities = {
            page.path: page.title for page in SubmunicipalityPage.objects.filter(locale=spanish()).only("path", "title")
        }

    def label_from_instance(self, page):
        for path, title in self._submunicipalities.items():
            if page.path.startswith(path) and page.path != path:
                return f"{title} › {page.title}"
        return page.title


class BudgetLineForm(WagtailAdminModelForm):
    """Offers only the user's own areas and works, and the Spanish categories."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        areas = area_pages_for_user(user, locale=spanish()) if user is not None else None
        if areas is None:
            areas = Page.objects.type(SubmunicipalityPage, NeighborhoodPage).filter(locale=spanish())
        area_field = self.fields["area"]
        self.fields["area"] = AreaChoiceField(
            queryset=areas.order_by("path"),
            label=area_field.label,
            help_text=area_field.help_text,
        )
        works = PublicWorkPage.objects.filter(locale=spanish()).order_by("project_code")
        if user is not None and not user.is_superuser:
            paths = list(areas.values_list("path", flat=True))
            works = works.filter(pk__in=[]) if not paths else works.filter(_paths_condition(paths))
        work_field = self.fields["work"]
        self.fields["work"] = forms.ModelChoiceField(
            queryset=works, required=False, label=work_field.label, help_text=work_field.help_text
        )
        self.fields["work"].label_from_instance = lambda work: f"{work.project_code} · {work.title}"
        self.fields["category"].queryset = WorkCategory.objects.filter(locale=spanish())


def _paths_condition(paths):
    from django.db.models import Q

    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


class BudgetLineFilterSet(WagtailFilterSet):
    fiscal_year = django_filters.ChoiceFilter(label=_("Fiscal year"), choices=[], empty_label=_("All"))
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=lambda request: WorkCategory.objects.filter(locale=spanish())
    )

    class Meta:
        model = BudgetLine
        fields = ["fiscal_year", "category"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = BudgetLine.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct()
        self.filters["fiscal_year"].extra["choices"] = [(year, year) for year in years]


class OwnLinesMixin:
    """Another area's line is refused (PermissionDenied: the admin sends the user to the dashboard)."""

    def own_lines(self):
        return budget_line_policy().instances_user_has_any_permission_for(
            self.request.user, ["add", "change", "delete"]
        )

    def check_own(self, line):
        if not self.own_lines().filter(pk=line.pk).exists():
            raise PermissionDenied
        return line


class IndexView(OwnLinesMixin, generic.IndexView):
    def get_base_queryset(self):
        return self.own_lines().select_related("area", "category", "work")


class EditView(OwnLinesMixin, generic.EditView):
    def get_object(self, queryset=None):
        return self.check_own(super().get_object(queryset))


class DeleteView(OwnLinesMixin, generic.DeleteView):
    def get_object(self, queryset=None):
        if getattr(self, "object", None):
            return self.object
        line = self.check_own(super().get_object(queryset))
        if not budget_line_policy().user_has_permission_for_instance(self.request.user, "delete", line):
            raise PermissionDenied
        return line


class HistoryView(OwnLinesMixin, history.HistoryView):
    def get_object(self):
        return self.check_own(super().get_object())


class UsageView(OwnLinesMixin, usage.UsageView):
    def get_object(self):
        return self.check_own(super().get_object())


class CopyView(OwnLinesMixin, generic.CopyView):
    pass  # refuses another area's line through the policy (PermissionDenied)


def _money(line, value):
    return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",").replace("\u202f", ".")


class MoneyColumn(Column):
    def get_value(self, instance):
        return _money(instance, getattr(instance, self.accessor))


class BudgetLineViewSet(ModelViewSet):
    model = BudgetLine
    icon = "table"
    menu_label = _("Budget lines")
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "budget-lines"
    name = "budget_lines"
    index_view_class = IndexView
    edit_view_class = EditView
    delete_view_class = DeleteView
    history_view_class = HistoryView
    usage_view_class = UsageView
    copy_view_class = CopyView
    filterset_class = BudgetLineFilterSet
    # The database, not the search index: codes are searched too, and bulk imports stay cheap.
    search_backend_name = None
    search_fields = ["code", "description", "funding_source"]
    list_display = [
        "code",
        "description",
        Column("area", label=_("area"), accessor="area"),
        "fiscal_year",
        "category",
        MoneyColumn("amount_allocated", label=_("Allocated (Bs)")),
        MoneyColumn("amount_executed", label=_("Executed (Bs)")),
        Column("execution_rate", label=_("Executed (%)"), accessor="execution_rate"),
    ]
    list_export = [
        "code",
        "fiscal_year",
        "area",
        "category",
        "description",
        "amount_allocated",
        "amount_executed",
        "funding_source",
        "work",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("fiscal_year"), FieldPanel("code")]),
            FieldPanel("area"),
            FieldPanel("category"),
            FieldPanel("description"),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("amount_allocated"), FieldPanel("amount_executed")])],
                heading=_("Money (bolivianos)"),
            ),
            FieldPanel("funding_source"),
            FieldPanel("work"),
        ],
        base_form_class=BudgetLineForm,
    )
