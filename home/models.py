"""The city portal's front page and the site-wide pieces."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.routable_page.models import path as route
from wagtail.models import Page
from wagtail.search import index

from home.context import extend_context


class HomePage(RoutablePageMixin, Page):
    """The city's front page, one per language.

    Editors see a short introduction; below it the portal lists the submunicipalities
    (subalcaldías) and the latest news on its own (added by the ``home_page_context`` hook).
    """

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("One or two sentences shown under the portal's name."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    api_fields = [APIField("intro")]

    template = "home/home_page.html"
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["neighborhoods.SubmunicipalityPage"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    @route("presupuesto/", name="budget")
    def budget(self, request):
        """The city's budget page: totals, categories, lines and charts for a year (``?anio=``)."""
        from budgets.views import budget_view  # a page route calls its app's view: budgets sit above home

        return budget_view(self, request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        return extend_context("home_page_context", self, request, context)
