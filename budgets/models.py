"""Budget lines: how much money each area gets, for what, and how much of it is spent."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.search import index

AREA_PAGE_TYPES = ("neighborhoodpage", "submunicipalitypage")


class BudgetLine(index.Indexed, models.Model):
    """One line of the municipal budget of a neighbourhood or of a whole submunicipality.

    Editors see the area, fiscal year, category, description, amounts allocated and executed
    (bolivianos), the funding source and, when the line pays for one, the public work. Lines
    are figures from the municipality's spreadsheets, matched on re-import by their code.
    """

    area = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="budget_lines",
        limit_choices_to={"content_type__model__in": AREA_PAGE_TYPES, "content_type__app_label": "neighborhoods"},
        help_text=_("The neighbourhood, or the submunicipality for lines that serve the whole area."),
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    code = models.CharField(
        _("code"), max_length=40, help_text=_("The line's code in the municipal budget, e.g. 'PRE-2026-0031'.")
    )
    category = models.ForeignKey(
        "works.WorkCategory", verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("description"), max_length=255)
    amount_allocated = models.DecimalField(
        _("amount allocated (Bs)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    amount_executed = models.DecimalField(
        _("amount executed (Bs)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    funding_source = models.CharField(
        _("funding source"),
        max_length=120,
        blank=True,
        help_text=_("e.g. IDH, coparticipación tributaria, recursos propios"),
    )
    work = models.ForeignKey(
        "works.PublicWorkPage",
        verbose_name=_("public work"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funding_lines",
    )

    search_fields = [
        index.SearchField("description"),
        index.AutocompleteField("description"),
        index.FilterField("fiscal_year"),
        index.FilterField("area_id"),
    ]

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["-fiscal_year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "fiscal_year", "code"], name="unique_budget_line_code_per_area_year"
            ),
        ]
        indexes = [models.Index(fields=["fiscal_year", "area"])]

    def __str__(self):
        return f"{self.code} · {self.description}"

    def clean(self):
        super().clean()
        errors = {}
        if self.area_id and self.area.specific_class.__name__.lower() not in AREA_PAGE_TYPES:
            errors["area"] = _("Choose a neighbourhood or a submunicipality.")
        if (
            self.amount_allocated is not None
            and self.amount_executed is not None
            and self.amount_executed > self.amount_allocated
        ):
            errors["amount_executed"] = _("The amount executed cannot be larger than the amount allocated.")
        if self.work_id and self.area_id and not self.work.is_descendant_of(self.area):
            errors["work"] = _("The work must be in the line's area.")
        if errors:
            raise ValidationError(errors)

    @property
    def execution_rate(self):
        """Share of the allocation spent, as a percentage (None when nothing is allocated)."""
        if not self.amount_allocated:
            return None
        return round(self.amount_executed * 100 / self.amount_allocated, 1)
