"""Public works (obras): what is being built in a neighbourhood, for how much, by whom."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from rest_framework import serializers

from home.forms import AreaPageForm
from home.images import PHOTO_RENDITIONS
from home.visibility import public_pages
from languages.sources import in_locale
from neighborhoods.geo import latitude_validators, longitude_validators
from neighborhoods.models.feedback import EmbeddedFeedbackMixin


class WorkStatus(models.TextChoices):
    # A context keeps these apart from Wagtail's own "In progress"/"Cancelled" (workflow states),
    # which Spanish words differently.
    PLANNED = "planned", pgettext_lazy("work status", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("work status", "In progress")
    PAUSED = "paused", pgettext_lazy("work status", "Paused")
    COMPLETED = "completed", pgettext_lazy("work status", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("work status", "Cancelled")


money = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class PublicWorkPage(EmbeddedFeedbackMixin, Page):
    """A public work (obra) in a neighbourhood.

    Editors see what it is and its category, its status and progress, its planned and actual
    dates, its budget and what has been spent (in bolivianos), the contractor, where it is on
    the map, its project code, a photo gallery, documents and a dated timeline of progress
    updates. Numbers, dates, status, place and code are the same in every language.
    """

    project_code = models.CharField(
        _("project code"),
        max_length=40,
        help_text=_("The municipality's code for this work, e.g. 'OB-2025-0142'. Unique; shared by all translations."),
    )
    # The database's guarantee that a code is unique per language: "<locale id>:<code>",
    # kept by save(). (A constraint cannot span the page table's locale and this table.)
    code_in_locale = models.CharField(max_length=60, unique=True, editable=False)
    category = models.ForeignKey(
        "works.WorkCategory",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("What the work is, in one or two sentences."))
    description = RichTextField(_("description"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    status = models.CharField(_("status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        default=0,
        validators=[
            MinValueValidator(0, message=_("Progress is a percentage between 0 and 100.")),
            MaxValueValidator(100, message=_("Progress is a percentage between 0 and 100.")),
        ],
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    budget = models.DecimalField(_("budget (Bs)"), **money)
    amount_executed = models.DecimalField(_("amount executed (Bs)"), default=Decimal("0"), **money)
    overrun_note = models.TextField(
        _("reason for exceeding the budget"),
        blank=True,
        help_text=_("Required when the amount executed is larger than the budget."),
    )
    contractor = models.ForeignKey(
        "works.Contractor",
        verbose_name=_("contractor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=latitude_validators
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=longitude_validators
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("project_code"), FieldPanel("category")]),
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("status"), FieldPanel("progress")]), FieldPanel("contractor")],
            heading=_("Status"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("planned_start"), FieldPanel("planned_end")]),
                FieldRowPanel([FieldPanel("actual_start"), FieldPanel("actual_end")]),
            ],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("budget"), FieldPanel("amount_executed")]), FieldPanel("overrun_note")],
            heading=_("Money (bolivianos)"),
        ),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("Location")),
        InlinePanel("photos", label=_("Photos")),
        InlinePanel("documents", label=_("Documents")),
        InlinePanel("updates", label=_("Progress updates")),
        *EmbeddedFeedbackMixin.feedback_panels,
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("project_code"),
        index.FilterField("status"),
        index.FilterField("category"),
    ]
    override_translatable_fields = [
        SynchronizedField("project_code", overridable=False),
        SynchronizedField("category", overridable=False),
        SynchronizedField("contractor", overridable=False),
        SynchronizedField("status", overridable=False),
        SynchronizedField("progress", overridable=False),
        SynchronizedField("planned_start", overridable=False),
        SynchronizedField("planned_end", overridable=False),
        SynchronizedField("actual_start", overridable=False),
        SynchronizedField("actual_end", overridable=False),
        SynchronizedField("budget", overridable=False),
        SynchronizedField("amount_executed", overridable=False),
        SynchronizedField("latitude", overridable=False),
        SynchronizedField("longitude", overridable=False),
        SynchronizedField("feedback_form", overridable=False),
    ]

    # What the page shows. The reason for an overrun is left out: the page shows it only when the
    # budget was exceeded (the open-data export applies that rule row by row).
    api_fields = [
        APIField("project_code"),
        APIField("category_code", serializer=serializers.CharField(source="category.code", read_only=True)),
        APIField("category_name", serializer=serializers.CharField(source="category.name", read_only=True)),
        APIField("summary"),
        APIField("description"),
        APIField("status"),
        APIField("progress"),
        APIField("planned_start"),
        APIField("planned_end"),
        APIField("actual_start"),
        APIField("actual_end"),
        APIField("budget"),
        APIField("amount_executed"),
        APIField(
            "contractor_name",
            serializer=serializers.CharField(source="contractor.name", read_only=True, allow_null=True),
        ),
        APIField("latitude"),
        APIField("longitude"),
    ]

    template = "works/public_work_page.html"
    base_form_class = AreaPageForm
    parent_page_types = ["neighborhoods.NeighborhoodPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("public work")
        verbose_name_plural = _("public works")

    def clean(self):
        super().clean()
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end cannot be before the planned start.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end cannot be before the actual start.")
        if (
            self.budget is not None
            and self.amount_executed is not None
            and self.amount_executed > self.budget
            and not self.overrun_note.strip()
        ):
            errors["overrun_note"] = _(
                "The amount executed is larger than the budget: explain why here, or correct the amounts."
            )
        if (self.latitude is None) != (self.longitude is None):
            field = "longitude" if self.longitude is None else "latitude"
            errors[field] = _("Give both the latitude and the longitude, or neither.")
        if self.project_code:
            self.project_code = self.project_code.strip()
            clash = PublicWorkPage.objects.filter(project_code=self.project_code, locale_id=self.locale_id)
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            if self.locale_id and clash.exists():
                errors["project_code"] = _("Another work already has the project code %(code)s.") % {
                    "code": self.project_code
                }
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.project_code = (self.project_code or "").strip()
        self.code_in_locale = f"{self.locale_id}:{self.project_code}"
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        """The gallery, documents and timeline with their images and renditions in a fixed number of queries."""
        from django.db.models import Prefetch

        from wagtail.images import get_image_model

        context = super().get_context(request, *args, **kwargs)

        # The template renders these images with these renditions (components/photo.html).
        images = get_image_model().objects.prefetch_renditions(*PHOTO_RENDITIONS)
        context["category"] = in_locale([self.category])[0] if self.category_id else None
        context["photos"] = self.photos.prefetch_related(Prefetch("image", queryset=images))
        context["documents"] = self.documents.select_related("document")
        context["updates"] = self.updates.prefetch_related(Prefetch("image", queryset=images)).order_by(
            "date", "sort_order"
        )
        return context

    @property
    def execution_rate(self):
        """Share of the budget spent, as a percentage (None without a budget)."""
        if not self.budget:
            return None
        return round(self.amount_executed * 100 / self.budget, 1)

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None

    def days_late(self, today=None):
        """How many days behind its planned end the work is (0 when it is not late).

        A work still planned, in progress or paused is late once its planned end has passed; a
        completed work was late when it ended after its planned end. A cancelled work, or one
        without a planned end, is never late.
        """
        if self.planned_end is None or self.status == WorkStatus.CANCELLED:
            return 0
        if self.status == WorkStatus.COMPLETED:
            if self.actual_end is None:
                return 0
            return max((self.actual_end - self.planned_end).days, 0)
        today = today or timezone.localdate()
        return max((today - self.planned_end).days, 0)

    @property
    def is_late(self):
        """Whether residents see the work flagged as late (see ``days_late``)."""
        return self.lateness > 0

    @cached_property
    def lateness(self):
        """``days_late()`` as of today, for templates."""
        return self.days_late()

    @property
    def finished_late(self):
        """Completed after its planned end: "finished N days late" rather than "N days behind"."""
        return self.status == WorkStatus.COMPLETED and self.is_late


class PublicWorkPhoto(TranslatableMixin, Orderable):
    """A photo in a work's gallery; the caption is translated, the image is shared."""

    page = ParentalKey(PublicWorkPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        get_image_model_string(), verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]
    translatable_fields = [
        SynchronizedField("image", overridable=False),
        TranslatableField("caption"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class PublicWorkDocument(TranslatableMixin, Orderable):
    """A document about a work (contract, technical report…); its title is translated."""

    page = ParentalKey(PublicWorkPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        get_document_model_string(), verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(
        _("title"), max_length=250, blank=True, help_text=_("Leave blank to use the document's own title.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]
    translatable_fields = [
        SynchronizedField("document", overridable=False),
        TranslatableField("title"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    @property
    def display_title(self):
        return self.title or self.document.title


class PublicWorkUpdate(TranslatableMixin, Orderable):
    """A dated entry in a work's timeline: what happened, with an optional photo."""

    page = ParentalKey(PublicWorkPage, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    text = models.TextField(_("text"))
    image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("date"), FieldPanel("text"), FieldPanel("image")]
    translatable_fields = [
        SynchronizedField("date", overridable=False),
        TranslatableField("text"),
        SynchronizedField("image", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")


def published_works(neighborhood: Page):
    """The neighbourhood's published, public works, with what their cards need (one query)."""
    return public_pages(PublicWorkPage.objects.child_of(neighborhood)).select_related("category").order_by("title")
