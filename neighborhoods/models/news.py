"""Dated news of a submunicipality or a neighbourhood."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from home.blocks import BodyBlock
from home.forms import AreaPageForm
from neighborhoods.models.feedback import EmbeddedFeedbackMixin


class NewsPage(EmbeddedFeedbackMixin, Page):
    """A piece of news for an area: a date, a short introduction, a photo and the story."""

    date = models.DateField(_("date"), default=datetime.date.today)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Shown in lists of news."))
    image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        *EmbeddedFeedbackMixin.feedback_panels,
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    # Facts: the same in every language, and not overridable in the translation editor.
    override_translatable_fields = [
        SynchronizedField("date", overridable=False),
        SynchronizedField("image", overridable=False),
        SynchronizedField("feedback_form", overridable=False),
    ]

    api_fields = [APIField("date"), APIField("intro"), APIField("image"), APIField("body")]

    template = "neighborhoods/news_page.html"
    base_form_class = AreaPageForm
    parent_page_types = ["neighborhoods.SubmunicipalityPage", "neighborhoods.NeighborhoodPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
