"""The place tree: submunicipalities (subalcaldías / macrodistritos) and their neighbourhoods."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.routable_page.models import path as route
from wagtail.fields import StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from home.blocks import BodyBlock
from home.context import extend_context
from home.forms import AreaPageForm
from home.visibility import public_pages
from neighborhoods.geo import bounding_box, latitude_validators, longitude_validators, validate_boundary
from neighborhoods.models.feedback import EmbeddedFeedbackMixin
from neighborhoods.models.news import NewsPage
from neighborhoods.widgets import BoundaryWidget


class BoundaryMixin(models.Model):
    """A GeoJSON boundary, checked before saving so a bad paste never reaches the map."""

    boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        help_text=_(
            "GeoJSON Polygon or MultiPolygon, longitude first: "
            '{"type": "Polygon", "coordinates": [[[-68.13, -16.50], ...]]}'
        ),
    )

    # The boundary's bounding box, kept by save(): "find my neighbourhood" asks the database
    # only for the few neighbourhoods whose box holds the point (see maps/place_maps.py).
    bbox_west = models.FloatField(null=True, blank=True, editable=False, db_index=True)
    bbox_south = models.FloatField(null=True, blank=True, editable=False, db_index=True)
    bbox_east = models.FloatField(null=True, blank=True, editable=False, db_index=True)
    bbox_north = models.FloatField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        try:
            validate_boundary(self.boundary)
        except ValidationError as error:
            raise ValidationError({"boundary": error.messages}) from error

    def save(self, *args, **kwargs):
        try:
            box = bounding_box(self.boundary)
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            box = None  # a boundary saved without validation that is not GeoJSON: found by no point
        self.bbox_west, self.bbox_south, self.bbox_east, self.bbox_north = box or (None, None, None, None)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "boundary" in update_fields:
            kwargs["update_fields"] = {*update_fields, "bbox_west", "bbox_south", "bbox_east", "bbox_north"}
        super().save(*args, **kwargs)


class AreaRoutesMixin(RoutablePageMixin):
    """What every area page serves besides itself: its budget page and its RSS and Atom feeds."""

    @route("presupuesto/", name="budget")
    def budget(self, request):
        """The budget page: totals, categories, lines and charts for a year (``?anio=``)."""
        from budgets.views import budget_view  # a page route calls its app's view: budgets sit above

        return budget_view(self, request)

    @route("feed/rss/", name="feed_rss")
    def feed_rss(self, request):
        """What happens in the area (works, progress updates, news) as an RSS feed."""
        from opendata.feeds import area_feed  # a page route calls its app's view: open data sits above

        return area_feed(self, request, "rss")

    @route("feed/atom/", name="feed_atom")
    def feed_atom(self, request):
        """The same as an Atom feed."""
        from opendata.feeds import area_feed  # a page route calls its app's view: open data sits above

        return area_feed(self, request, "atom")


class SubmunicipalityPage(AreaRoutesMixin, BoundaryMixin, Page):
    """A submunicipality (subalcaldía / macrodistrito) and its office.

    Editors see the area's summary, its office (address, hours, phone, e-mail), a photo and
    its boundary. Under it they add neighbourhoods and the area's news. Creating one sets up
    the area's editors, reviewers, collection and review workflow (see ``governance``).
    """

    summary = models.TextField(_("summary"), blank=True)
    office_address = models.TextField(_("office address"), blank=True)
    opening_hours = models.CharField(
        _("opening hours"), max_length=200, blank=True, help_text=_("e.g. Monday to Friday, 8:30–16:30")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                FieldPanel("office_address"),
                FieldPanel("opening_hours"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
            ],
            heading=_("Office"),
        ),
        FieldPanel("boundary", widget=BoundaryWidget),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    override_translatable_fields = [
        SynchronizedField("phone", overridable=False),
        SynchronizedField("email", overridable=False),
        SynchronizedField("image", overridable=False),
        SynchronizedField("boundary", overridable=False),
    ]

    api_fields = [
        APIField("summary"),
        APIField("image"),
        APIField("office_address"),
        APIField("opening_hours"),
        APIField("phone"),
        APIField("email"),
        APIField("boundary"),
    ]

    template = "neighborhoods/submunicipality_page.html"
    base_form_class = AreaPageForm
    parent_page_types = ["home.HomePage"]
    subpage_types = [
        "neighborhoods.NeighborhoodPage",
        "neighborhoods.NewsPage",
        "participation.ConsultationPage",
        "participation.FeedbackFormPage",
    ]

    class Meta:
        verbose_name = _("submunicipality")
        verbose_name_plural = _("submunicipalities")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["neighborhoods"] = public_pages(NeighborhoodPage.objects.child_of(self)).order_by("title")
        context["news"] = public_pages(NewsPage.objects.descendant_of(self)).order_by("-date", "-pk")[:10]
        return context


class NeighborhoodPage(AreaRoutesMixin, BoundaryMixin, EmbeddedFeedbackMixin, Page):
    """A neighbourhood (barrio / zona): what residents open first.

    Editors see a summary, a free body, a photo, the boundary and centre on the map, the
    population if known, and the neighbourhood council's contact. Under it they add public
    works and news; the page lists them on its own.
    """

    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    center_latitude = models.DecimalField(
        _("centre latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=latitude_validators,
    )
    center_longitude = models.DecimalField(
        _("centre longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=longitude_validators,
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    council_name = models.CharField(
        _("neighbourhood council"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Junta Vecinal de Sopocachi"),
    )
    council_contact = models.CharField(_("council contact person"), max_length=200, blank=True)
    council_phone = models.CharField(_("council phone"), max_length=40, blank=True)
    council_email = models.EmailField(_("council e-mail"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("council_name"),
                FieldPanel("council_contact"),
                FieldRowPanel([FieldPanel("council_phone"), FieldPanel("council_email")]),
            ],
            heading=_("Neighbourhood council"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("population"),
                FieldRowPanel([FieldPanel("center_latitude"), FieldPanel("center_longitude")]),
                FieldPanel("boundary", widget=BoundaryWidget),
            ],
            heading=_("Place"),
        ),
        *EmbeddedFeedbackMixin.feedback_panels,
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("council_name"),
    ]
    override_translatable_fields = [
        SynchronizedField("image", overridable=False),
        SynchronizedField("center_latitude", overridable=False),
        SynchronizedField("center_longitude", overridable=False),
        SynchronizedField("population", overridable=False),
        SynchronizedField("council_name", overridable=False),
        SynchronizedField("council_contact", overridable=False),
        SynchronizedField("council_phone", overridable=False),
        SynchronizedField("council_email", overridable=False),
        SynchronizedField("boundary", overridable=False),
        SynchronizedField("feedback_form", overridable=False),
    ]

    # Not the council's contact person: a private individual's name is left out of the API.
    api_fields = [
        APIField("summary"),
        APIField("body"),
        APIField("image"),
        APIField("population"),
        APIField("center_latitude"),
        APIField("center_longitude"),
        APIField("council_name"),
        APIField("council_phone"),
        APIField("council_email"),
        APIField("boundary"),
    ]

    template = "neighborhoods/neighborhood_page.html"
    base_form_class = AreaPageForm
    parent_page_types = ["neighborhoods.SubmunicipalityPage"]
    subpage_types = [
        "works.PublicWorkPage",
        "neighborhoods.NewsPage",
        "participation.ConsultationPage",
        "participation.FeedbackFormPage",
    ]

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    @route("boletin/", name="bulletin")
    def bulletin(self, request):
        """The printable one-page bulletin for neighbours who are not online (see ``bulletin``)."""
        from opendata.bulletin import bulletin_view  # a page route calls its app's view: open data sits above

        return bulletin_view(self, request)

    def clean(self):
        super().clean()
        errors = {}
        if (self.center_latitude is None) != (self.center_longitude is None):
            message = _("Give both the latitude and the longitude of the centre, or neither.")
            field = "center_longitude" if self.center_longitude is None else "center_latitude"
            errors[field] = message
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news"] = public_pages(NewsPage.objects.child_of(self)).order_by("-date", "-pk")[:10]
        return extend_context("neighborhood_page_context", self, request, context)
